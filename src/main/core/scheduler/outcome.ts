// What the end of one attempt means, decided apart from the loop that acts on it (as Kubernetes
// keeps its pod failure and backoff policies apart from the Job controller): pure, table-tested.
import type { Attempt, EndReason, Job } from '../../../shared/job';
import type { AttemptOutcome } from '../engines/types';
import { backoffMs, mayRetry } from './backoff';

export interface EndInfo {
  reason: EndReason;
  exitCode?: number | null;
  message?: string;
}

export type Verdict =
  /** An index succeeded and more are to go: record it. */
  | { do: 'save'; job: Job }
  | { do: 'complete'; job: Job }
  /** The job ends (stopping whatever else of it still runs). */
  | { do: 'end'; job: Job; status: 'failed' | 'cancelled'; end: EndInfo }
  /** The engine was gone before the container existed: not the job's failure; it waits. */
  | { do: 'wait'; job: Job }
  /** A retry under the policy, not before `at`. */
  | { do: 'retry'; job: Job; at: number };

/** `job` with one attempt's record changed. */
export function withAttempt(job: Job, number: number, patch: Partial<Attempt>): Job {
  return { ...job, attempts: job.attempts.map((a) => (a.number === number ? { ...a, ...patch } : a)) };
}

/** An executor that failed in a way it did not report as an outcome. */
export function internalError(error: unknown, now: number): AttemptOutcome {
  const message = `internal error: ${error instanceof Error ? error.message : String(error)}`;
  return { exitCode: null, reason: 'Error', message, finishedAt: new Date(now).toISOString() };
}

/** The attempt's record once it is over. */
export function attemptResult(outcome: AttemptOutcome, log?: { bytes: number; truncated: boolean }): Partial<Attempt> {
  const status: Attempt['status'] = outcome.reason === 'Completed' ? 'succeeded' : outcome.reason === 'Cancelled' ? 'cancelled' : 'failed';
  return {
    status,
    exitCode: outcome.exitCode,
    reason: outcome.reason,
    finishedAt: outcome.finishedAt,
    ...(outcome.message ? { message: outcome.message } : {}),
    ...(outcome.containerId ? { containerId: outcome.containerId } : {}),
    ...(outcome.startedAt ? { startedAt: outcome.startedAt } : {}),
    ...(outcome.peakMemoryBytes !== undefined ? { peakMemoryBytes: outcome.peakMemoryBytes } : {}),
    ...(outcome.artifacts ? { artifacts: outcome.artifacts } : {}),
    ...(log ? { logBytes: log.bytes, logTruncated: log.truncated } : {}),
  };
}

/** The job's next step after `attempt` ended with `outcome`, when no end was already decided. */
export function judgeAttempt(job: Job, attempt: Pick<Attempt, 'index'>, outcome: AttemptOutcome, now: number): Verdict {
  if (outcome.reason === 'Completed') {
    const succeededIndexes = [...new Set([...job.succeededIndexes, attempt.index])].sort((a, b) => a - b);
    const next = { ...job, succeededIndexes };
    return succeededIndexes.length >= job.spec.completions ? { do: 'complete', job: next } : { do: 'save', job: next };
  }
  const end: EndInfo = { reason: outcome.reason, exitCode: outcome.exitCode, ...(outcome.message ? { message: outcome.message } : {}) };
  // Stopped without an end decided first (the deadline raced the exit): end the same way.
  if (outcome.reason === 'DeadlineExceeded' || outcome.reason === 'Cancelled') {
    return { do: 'end', job, status: outcome.reason === 'Cancelled' ? 'cancelled' : 'failed', end };
  }
  if (outcome.reason === 'EngineUnavailable') return { do: 'wait', job };
  const failures = job.failures + 1;
  const next = { ...job, failures };
  if (mayRetry(job.spec.retry, failures, outcome.exitCode, outcome.reason)) {
    return { do: 'retry', job: next, at: now + backoffMs(job.spec.retry, failures) };
  }
  return { do: 'end', job: next, status: 'failed', end };
}
