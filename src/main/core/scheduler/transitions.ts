// The job records the scheduler's transitions write, computed apart from the loop (pure), each
// checked against the one transition table.
import { AppError } from '../../../shared/errors';
import { assertTransition, isTerminal, type Attempt, type Job, type JobStatus } from '../../../shared/job';
import { iso } from '../clock';
import type { EndInfo } from './outcome';

/** failed → pending: the one path back into the queue (a running job passes through failed). */
export function requeued(job: Job, notBeforeMs: number | undefined): Job {
  if (job.status === 'running') {
    assertTransition('running', 'failed');
    assertTransition('failed', 'pending');
  }
  const next: Job = { ...job, status: 'pending' };
  if (notBeforeMs !== undefined) next.notBefore = iso(notBeforeMs);
  else delete next.notBefore;
  return next;
}

/** The job at its end. */
export function finished(job: Job, status: JobStatus, end: EndInfo, now: number): Job {
  assertTransition(job.status, status);
  const next: Job = {
    ...job,
    status,
    reason: end.reason,
    finishedAt: iso(now),
    ...(end.exitCode !== undefined ? { exitCode: end.exitCode } : {}),
    ...(end.message ? { message: end.message } : {}),
  };
  delete next.notBefore;
  delete next.waitingFor;
  return next;
}

/** A manual retry in place: failed → pending with every budget fresh (job and per index). */
export function retried(job: Job | undefined, jobId: string): Job {
  if (!job) throw new AppError('NOT_FOUND', `no job ${jobId}`);
  if (job.status !== 'failed') throw new AppError('CONFLICT', `only a failed job can be retried in place; this one is ${job.status}`);
  assertTransition('failed', 'pending');
  const next: Job = { ...job, status: 'pending', failures: 0, succeededIndexes: [] };
  for (const k of ['reason', 'message', 'exitCode', 'finishedAt', 'notBefore', 'startedAt', 'failedIndexes', 'indexFailures', 'indexNotBefore'] as const) delete next[k];
  return next;
}

/** A job that may be suspended or resumed: there, and not finished. */
export function mustBeActive(job: Job | undefined, jobId: string, verb: 'suspended' | 'resumed'): Job {
  if (!job) throw new AppError('NOT_FOUND', `no job ${jobId}`);
  if (isTerminal(job.status)) throw new AppError('CONFLICT', `only a pending or running job can be ${verb}; this one is ${job.status}`);
  return job;
}

/** The job with a new attempt of `index` starting on `engineId` (pending → running on the first). */
export function withNewAttempt(job: Job, index: number, engineId: string, now: number): { next: Job; number: number } {
  const number = job.attempts.reduce((n, a) => Math.max(n, a.number), 0) + 1;
  const attempt: Attempt = { number, index, engineId, status: 'starting', createdAt: iso(now), logBytes: 0, logTruncated: false, artifacts: [] };
  let next: Job = { ...job, attempts: [...job.attempts, attempt] };
  delete next.waitingFor;
  delete next.notBefore;
  if (next.indexNotBefore?.[String(index)] !== undefined) {
    const { [String(index)]: _started, ...rest } = next.indexNotBefore;
    next.indexNotBefore = rest;
  }
  if (job.status === 'pending') {
    assertTransition('pending', 'running');
    next = { ...next, status: 'running', startedAt: job.startedAt ?? iso(now) };
  }
  return { next, number };
}

/** The job with index `index` held back until `atMs` (its own backoff, backoffLimitPerIndex): the other indexes start meanwhile. */
export function heldIndex(job: Job, index: number, atMs: number): Job {
  return { ...job, indexNotBefore: { ...job.indexNotBefore, [String(index)]: iso(atMs) } };
}
