import type { Requester } from '../../../shared/audit';
import { containerName } from '../../../shared/containerName';
import { describeExit } from '../../../shared/exitCodes';
import { isTerminal, type Attempt, type Job } from '../../../shared/job';
import type { JobEvent } from '../../../shared/jobEvents';
import { iso } from '../clock';

export interface DeriveContext {
  now: number;
  /** Who asked for this change, when a person (or a script) did. */
  by?: Requester | undefined;
  /** The core's own OS user: an automatic retry is theirs, through the 'retry' client. */
  user: string;
}

const attemptEnded = (s: Attempt['status'] | undefined) => s === 'succeeded' || s === 'failed' || s === 'cancelled';
const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The events one saved change means, from the job as it was (undefined: a new job) to the job as
 * saved: the repository calls this on every save, so no transition goes unrecorded and none is
 * recorded twice. Pure: the time and the requester come in. Every event is stamped when Jobdeck
 * recorded it, not with an engine's own stamps (a container's exit time may come before the late
 * "started" of a container that ended at once): a timeline that reads in order.
 */
export function deriveEvents(old: Job | undefined, next: Job, c: DeriveContext): JobEvent[] {
  const at = iso(c.now);
  const by = c.by ? { by: c.by } : {};
  const events: JobEvent[] = [];
  if (!old) {
    const requester = next.requestedBy ?? c.by;
    events.push({
      kind: 'created',
      at: next.createdAt,
      ...(requester ? { by: requester } : {}),
      origin: next.origin,
      ...(next.templateId ? { templateId: next.templateId } : {}),
      templateName: next.templateName,
      ...(next.templateVersion ? { templateVersion: next.templateVersion } : {}),
      ...(next.inputs ? { inputs: next.inputs } : {}),
      ...(next.scheduledFor ? { scheduledFor: next.scheduledFor } : {}),
    });
    if (isTerminal(next.status)) events.push(endedEvent(next, at, by));
    return events;
  }
  for (const a of next.attempts) {
    const was = old.attempts.find((o) => o.number === a.number);
    if (!was) events.push({ kind: 'starting', at, attempt: a.number, index: a.index, engineId: a.engineId });
    if (a.status === 'running' && was?.status !== 'running' && a.containerId) {
      events.push({
        kind: 'started',
        at,
        attempt: a.number,
        engineId: a.engineId,
        containerId: a.containerId,
        containerName: containerName(next.spec.name, next.id, a.number),
      });
    }
    if (attemptEnded(a.status) && !attemptEnded(was?.status)) {
      events.push({
        kind: 'attemptEnded',
        at,
        attempt: a.number,
        engineId: a.engineId,
        exitCode: a.exitCode ?? null,
        meaning: describeExit(a.exitCode, a.reason).meaning,
        ...(a.reason ? { reason: a.reason } : {}),
        ...(a.message ? { message: a.message } : {}),
      });
    }
  }
  if (next.suspended === true && old.suspended !== true) events.push({ kind: 'suspended', at, ...by });
  if (next.suspended === false && old.suspended === true) events.push({ kind: 'resumed', at, ...by });
  if (next.priority !== old.priority) events.push({ kind: 'priorityChanged', at, ...by, from: old.priority, to: next.priority });
  if (!sameList(old.dependsOn, next.dependsOn)) events.push({ kind: 'dependenciesSet', at, ...by, dependsOn: [...next.dependsOn] });
  if ((next.pinned ?? false) !== (old.pinned ?? false)) events.push({ kind: 'pinned', at, ...by, pinned: next.pinned ?? false });
  if (next.status !== old.status) {
    // Back to pending: a retry, unless a suspend took its containers away.
    if (next.status === 'pending' && next.suspended !== true) {
      events.push({
        kind: 'retried',
        at,
        by: c.by ?? { user: c.user, client: 'retry' },
        automatic: !c.by,
        ...(next.notBefore ? { notBefore: next.notBefore } : {}),
      });
    }
    if (isTerminal(next.status)) events.push(endedEvent(next, at, by));
  }
  return events;
}

function endedEvent(job: Job, at: string, by: { by?: Requester }): JobEvent {
  return {
    kind: 'ended',
    at,
    ...by,
    status: job.status,
    ...(job.reason ? { reason: job.reason } : {}),
    exitCode: job.exitCode ?? null,
    meaning: describeExit(job.exitCode, job.reason).meaning,
    ...(job.message ? { message: job.message } : {}),
  };
}
