// The numbers a view shows about a job, each defined once: durations, retries, attempt labels.
// Every view (job page, Queue, History, Dashboard stats) reads them from here, so that two places
// never disagree about the same job.
import type { Attempt, Job } from './job';
import type { Command } from './template';

/** An ISO stamp as ms, or undefined when missing, unparseable or Docker's zero time (0001-01-01). */
export function stampMs(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isFinite(t) && t > 0 ? t : undefined;
}

/** A stretch of time; `to` is unset while it is still going on. */
export interface Span {
  from?: string;
  to?: string;
}

/**
 * The one duration function: milliseconds from `from` to `to`, or to `now` when the span is still
 * open (`now` given). Null when a stamp is missing or the end comes before the start.
 */
export function spanMs(span: Span, now?: number): number | null {
  const from = stampMs(span.from);
  const to = span.to === undefined ? now : stampMs(span.to);
  if (from === undefined || to === undefined) return null;
  return to >= from ? to - from : null;
}

const isLive = (a: Pick<Attempt, 'status'>) => a.status === 'starting' || a.status === 'running';

/**
 * How far an engine's end stamp may come before its start stamp and still be the same instant:
 * Docker stamps StartedAt once its start call returns, after a quick process may have exited.
 */
const START_AFTER_END_MS = 1000;

/** An attempt runs from its container's start (its creation when none started) to its end. */
export function attemptSpan(a: Attempt): Span {
  const from = a.startedAt ?? a.createdAt;
  if (!a.finishedAt || isLive(a)) return { from };
  const start = stampMs(from);
  const end = stampMs(a.finishedAt);
  // Ended "before" it started by a hair: it ran for no measurable time (not an unknown duration).
  if (start !== undefined && end !== undefined && end < start && start - end <= START_AFTER_END_MS) return { from: a.finishedAt, to: a.finishedAt };
  return { from, to: a.finishedAt };
}

/** Duration of one attempt; a live one counts to `now`, a finished one with no end stamp is unknown. */
export function attemptDurationMs(a: Attempt, now?: number): number | null {
  const span = attemptSpan(a);
  if (span.to === undefined && !isLive(a)) return null;
  return spanMs(span, now);
}

/**
 * The attempts of the job's latest run. A manual retry starts a new run; the run begins at
 * job.startedAt (the first run's start in older stores, the latest manual run's start once retry
 * moves it). An attempt belongs to the run if it is still going or ended at or after that start.
 */
export function currentRun(job: Pick<Job, 'startedAt' | 'attempts'>): Attempt[] {
  const start = stampMs(job.startedAt);
  if (start === undefined) return job.attempts;
  return job.attempts.filter((a) => {
    if (isLive(a)) return true;
    const end = stampMs(a.finishedAt) ?? stampMs(a.createdAt);
    return end === undefined || end >= start;
  });
}

/** The job's run, over its attempts' own stamps: first attempt's start to last attempt's end. */
export function jobSpan(job: Pick<Job, 'startedAt' | 'attempts'>): Span {
  const spans = currentRun(job).map((a) => ({ a, s: attemptSpan(a) }));
  let from: string | undefined;
  let to: string | undefined;
  let open = false;
  for (const { a, s } of spans) {
    const f = stampMs(s.from);
    if (f !== undefined && (from === undefined || f < stampMs(from)!)) from = s.from;
    if (isLive(a)) open = true;
    const t = stampMs(s.to);
    if (t !== undefined && (to === undefined || t > stampMs(to)!)) to = s.to;
  }
  if (from === undefined) return {};
  return open || to === undefined ? { from } : { from, to };
}

/** Duration of the job's run; while an attempt runs it counts to `now`. Agrees with a single attempt's. */
export function jobDurationMs(job: Pick<Job, 'startedAt' | 'attempts'>, now?: number): number | null {
  const span = jobSpan(job);
  if (span.to === undefined && !currentRun(job).some(isLive)) return null;
  return spanMs(span, now);
}

/** A span's duration as the summary row carries it (`ran`): finished, or counting to `now`. */
export function ranMs(ran: Span | undefined, now?: number): number | null {
  return ran ? spanMs(ran, now) : null;
}

export interface Retries {
  /** Attempts started again after a failed one, in the latest run. */
  used: number;
  /** What the template allows (Kubernetes backoffLimit). */
  limit: number;
  /** When the next retry may start, while the job waits out its backoff. */
  nextAt?: string;
}

/**
 * Retries, not failures: an attempt counts when an earlier attempt of the same completion index
 * failed in this run. An attempt that found its engine unavailable was not the job's failure (the
 * scheduler does not count it), so what follows it is not a retry either.
 */
export function retriesOf(job: Pick<Job, 'startedAt' | 'attempts' | 'spec' | 'notBefore' | 'status'>): Retries {
  const failedIndexes = new Set<number>();
  let used = 0;
  for (const a of [...currentRun(job)].sort((x, y) => x.number - y.number)) {
    if (failedIndexes.has(a.index)) {
      used++;
      failedIndexes.delete(a.index);
    }
    if (a.status === 'failed' && a.reason !== 'EngineUnavailable') failedIndexes.add(a.index);
  }
  return {
    used,
    limit: job.spec.retry.limit,
    ...(job.notBefore && job.status === 'pending' ? { nextAt: job.notBefore } : {}),
  };
}

/**
 * What an attempt is called: its number, or for an Indexed job its completion index and which try
 * of that index it is ("index 2 · attempt 1").
 */
export function attemptLabel(job: Pick<Job, 'spec' | 'attempts'>, a: Pick<Attempt, 'number' | 'index'>): string {
  if (job.spec.completionMode !== 'Indexed') return `Attempt ${a.number}`;
  const nth = job.attempts.filter((x) => x.index === a.index && x.number <= a.number).length;
  return `index ${a.index} · attempt ${Math.max(1, nth)}`;
}

/** A command as one line: argv joined by spaces, a shell string as written, or the image's own. */
export function commandText(command: Command | undefined): string {
  if (command === undefined) return '(image default)';
  return Array.isArray(command) ? command.join(' ') : command;
}

/**
 * How long the job waited in the queue: from its creation to its first attempt (when the
 * scheduler took it and began to start its container; an image pull counts as running). Null
 * while it still waits. A manual retry's new run does not count again.
 */
export function queueWaitMs(job: Pick<Job, 'createdAt' | 'attempts'>): number | null {
  const first = job.attempts.reduce<Attempt | undefined>((min, a) => (min === undefined || a.number < min.number ? a : min), undefined);
  return first ? spanMs({ from: job.createdAt, to: first.createdAt }) : null;
}
