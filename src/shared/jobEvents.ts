import { z } from 'zod';
import { JobInputs, Requester, requesterText } from './audit';
import { commandText } from './jobNumbers';
import { EndReason, JobOrigin, JobStatus } from './job';
import { WaitReason, waitText } from './wait';

// JobEvent lives here, not in audit.ts: job.ts imports audit.ts (Requester on the job), and the
// events name job states and wait reasons, so audit.ts importing job.ts would close a cycle.

const at = z.string();
const attempt = z.number().int().positive();
const exitCode = z.number().int().nullable().optional();

/**
 * One entry of a job's timeline: a transition with its time, what it was and, where someone asked
 * for it, who (`by`). Written one per line to `<dataDir>/logs/<job>/events.jsonl`, never into the
 * job's record (the store's cold load stays the size it was).
 */
export const JobEvent = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('created'),
    at,
    by: Requester.optional(),
    origin: JobOrigin,
    templateId: z.string().optional(),
    templateName: z.string(),
    /** The template's updatedAt when the job was made. */
    templateVersion: z.string().optional(),
    inputs: JobInputs.optional(),
    scheduledFor: z.string().optional(),
  }),
  /** What a pending job waits for, recorded when that changes. */
  z.object({ kind: z.literal('waiting'), at, wait: WaitReason }),
  /** An attempt was made on an engine (its image may still be pulled). */
  z.object({ kind: z.literal('starting'), at, attempt, index: z.number().int().min(0), engineId: z.string() }),
  /** Its container runs. */
  z.object({ kind: z.literal('started'), at, attempt, engineId: z.string(), containerId: z.string(), containerName: z.string() }),
  z.object({
    kind: z.literal('attemptEnded'),
    at,
    attempt,
    engineId: z.string(),
    exitCode,
    /** The exit code's meaning (shared/exitCodes.ts). */
    meaning: z.string(),
    reason: EndReason.optional(),
    message: z.string().optional(),
  }),
  /** Back in the queue for another attempt: by the retry policy (automatic), or by a person. */
  z.object({ kind: z.literal('retried'), at, by: Requester.optional(), automatic: z.boolean(), notBefore: z.string().optional() }),
  /** Someone asked to cancel; `ended` follows once nothing runs. */
  z.object({ kind: z.literal('cancelled'), at, by: Requester.optional() }),
  z.object({ kind: z.literal('suspended'), at, by: Requester.optional() }),
  z.object({ kind: z.literal('resumed'), at, by: Requester.optional() }),
  z.object({ kind: z.literal('priorityChanged'), at, by: Requester.optional(), from: z.number().int(), to: z.number().int() }),
  z.object({ kind: z.literal('dependenciesSet'), at, by: Requester.optional(), dependsOn: z.array(z.string()) }),
  z.object({ kind: z.literal('pinned'), at, by: Requester.optional(), pinned: z.boolean() }),
  z.object({
    kind: z.literal('ended'),
    at,
    by: Requester.optional(),
    status: JobStatus,
    reason: EndReason.optional(),
    exitCode,
    meaning: z.string(),
    message: z.string().optional(),
  }),
]);
export type JobEvent = z.infer<typeof JobEvent>;
export type JobEventKind = JobEvent['kind'];

const short = (id: string) => id.slice(0, 8);
/** "exit 3 (general error)"; a meaning that names its code already stands alone. */
const exitPart = (code: number | null | undefined, meaning: string) =>
  code === null || code === undefined || meaning.includes(`exit ${code}`) ? meaning : `exit ${code} (${meaning})`;
/** The reason where it says more than the exit code and the status do (OOMKilled, DeadlineExceeded…). */
const reasonPart = (reason: EndReason | undefined) => (reason && !['Completed', 'Error', 'Cancelled'].includes(reason) ? ` (${reason})` : '');

/** What happened, in words (the timeline's and the report's), without the time and requester. */
export function eventText(e: JobEvent, now: number = Date.now()): string {
  switch (e.kind) {
    case 'created': {
      const from = e.inputs?.sourceJobId ? ` from job ${short(e.inputs.sourceJobId)}` : '';
      // A file run as it is, or an image run now: a template that was never stored, as the report says.
      const stored = e.templateId ? '' : ' (not stored)';
      return `created (${e.origin}${from}) from template ${e.templateName}${stored}${e.scheduledFor ? `, scheduled for ${e.scheduledFor}` : ''}`;
    }
    case 'waiting':
      // A wait's words without a live countdown: the event is a moment, not the queue now.
      return e.wait.kind === 'backoff' ? `waiting: next retry at ${e.wait.until}` : `waiting: ${waitText(e.wait, now)}`;
    case 'starting':
      return `attempt ${e.attempt} starting on engine ${e.engineId}`;
    case 'started':
      return `attempt ${e.attempt} started on engine ${e.engineId}, container ${e.containerName} (${e.containerId.slice(0, 12)})`;
    case 'attemptEnded':
      return `attempt ${e.attempt} ended${reasonPart(e.reason)}: ${exitPart(e.exitCode, e.meaning)}${e.message ? ` — ${e.message}` : ''}`;
    case 'retried':
      return `${e.automatic ? 'retried automatically' : 'retried'}${e.notBefore ? `, next attempt not before ${e.notBefore}` : ''}`;
    case 'cancelled':
      return 'cancel requested';
    case 'suspended':
      return 'suspended';
    case 'resumed':
      return 'resumed';
    case 'priorityChanged':
      return `priority changed from ${e.from} to ${e.to}`;
    case 'dependenciesSet':
      return e.dependsOn.length ? `set to run after ${e.dependsOn.map(short).join(', ')}` : 'set to run after no other job';
    case 'pinned':
      return e.pinned ? 'pinned' : 'unpinned';
    case 'ended':
      // A cancelled job's meaning is "cancelled": the status says it already.
      return `ended ${e.status}${reasonPart(e.reason)}${e.meaning === e.status ? '' : `: ${exitPart(e.exitCode, e.meaning)}`}${e.message ? ` — ${e.message}` : ''}`;
  }
}

/** What the run was given apart from its template, as list items (secret values already masked). */
export function inputLines(inputs: JobInputs | undefined): string[] {
  const o = inputs?.overrides;
  const out: string[] = [];
  if (o?.command !== undefined) out.push(`command: \`${commandText(o.command)}\``);
  for (const e of o?.env ?? []) out.push(`env ${e.name}=${e.value}${e.secret ? ' (secret)' : ''}`);
  if (o?.limits) for (const [k, v] of Object.entries(o.limits)) if (v !== undefined) out.push(`limit ${k}: ${String(v)}`);
  if (o?.timeoutSeconds !== undefined) out.push(`timeout: ${o.timeoutSeconds} s`);
  if (o?.priority !== undefined) out.push(`priority: ${o.priority}`);
  if (o?.engine !== undefined) out.push(`engine: ${o.engine}`);
  if (o?.engineId !== undefined) out.push(`engine id: ${o.engineId}`);
  if (inputs?.dependsOn?.length) out.push(`runs after: ${inputs.dependsOn.join(', ')}`);
  if (inputs?.sourceJobId) out.push(`made from job: ${inputs.sourceJobId}`);
  return out;
}

/** One event as one line of text (`jobdeck show JOB --events`): its time, what, and who asked. */
export function eventLine(e: JobEvent): string {
  const by = 'by' in e && e.by ? `  by ${requesterText(e.by)}` : '';
  return `${e.at}  ${eventText(e)}${by}`;
}

/** The events as an export file holds them: the job named, the events checked against the schema. */
export const JobEventsFile = z.object({ jobId: z.string(), templateName: z.string(), events: z.array(JobEvent) });
export type JobEventsFile = z.infer<typeof JobEventsFile>;
