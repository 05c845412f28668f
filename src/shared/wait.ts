import { z } from 'zod';
import { JobStatus } from './job';

/** A job named as the Queue names it: its template and the first 8 characters of its id. */
export const jobLabel = (j: { templateName: string; id: string }): string => `${j.templateName} ${j.id.slice(0, 8)}`;

/**
 * Why a pending job has not started, as the scheduler sees it (src/main/core/scheduler/waitReason.ts
 * decides; the renderer only words it). The first that holds, in the order the scheduler checks.
 */
export const WaitReason = z.discriminatedUnion('kind', [
  /** Made for a time still to come. */
  z.object({ kind: z.literal('scheduled'), at: z.string() }),
  /** Jobs it runs after that have not completed yet. */
  z.object({
    kind: z.literal('upstream'),
    jobs: z.array(z.object({ id: z.string(), templateName: z.string(), status: JobStatus })),
  }),
  z.object({ kind: z.literal('paused') }),
  /** Retry backoff: the next attempt may start at `until`. */
  z.object({ kind: z.literal('backoff'), until: z.string() }),
  /** None of the engines it may use is available: "any engine", "docker", "podman" or "engine <id>". */
  z.object({
    kind: z.literal('engine'),
    engine: z.string(),
    /** Why that one engine cannot be reached (its last probe's error), when the job names one. */
    problem: z.string().optional(),
  }),
  /** The global concurrency limit is reached. */
  z.object({ kind: z.literal('concurrency'), running: z.number().int(), limit: z.number().int() }),
  /** Every engine it may use runs as many jobs as its own limit allows. */
  z.object({ kind: z.literal('engineSlot'), engines: z.array(z.string()) }),
  /** Nothing holds it back: it starts with the scheduler's next look at the queue. */
  z.object({ kind: z.literal('starting') }),
]);
export type WaitReason = z.infer<typeof WaitReason>;

export const JobWait = z.object({ id: z.string(), reason: WaitReason });
export type JobWait = z.infer<typeof JobWait>;

/** Whole seconds from now to `at`, never below 0 (a countdown that has run out reads "0 s"). */
export function secondsUntil(at: string, now: number): number {
  return Math.max(0, Math.ceil((Date.parse(at) - now) / 1000));
}

function clockTime(at: string): string {
  return new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** The reason in words, for a queue row; `now` makes the backoff a live countdown. */
export function waitText(r: WaitReason, now: number): string {
  switch (r.kind) {
    case 'scheduled':
      return `scheduled for ${clockTime(r.at)}`;
    case 'upstream': {
      const [first, ...rest] = r.jobs;
      if (!first) return 'waiting for the jobs it runs after';
      return `waiting for job ${jobLabel(first)} (${first.status})${rest.length ? ` and ${rest.length} more` : ''}`;
    }
    case 'paused':
      return 'queue paused';
    case 'backoff':
      return `next retry in ${secondsUntil(r.until, now)} s`;
    case 'engine':
      return r.problem ? `waiting for ${r.engine}: ${r.problem}` : `waiting for ${r.engine}`;
    case 'concurrency':
      return `waiting for a concurrency slot (${r.running} of ${r.limit} running)`;
    case 'engineSlot':
      return `waiting for a slot on ${r.engines.join(', ')}`;
    case 'starting':
      return 'starting';
  }
}
