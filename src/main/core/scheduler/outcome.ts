// What the end of one attempt means, decided apart from the loop that acts on it (as Kubernetes
// keeps its pod failure, success and backoff policies apart from the Job controller): pure,
// table-tested. The policies themselves live beside it (podFailurePolicy, successPolicy, indexBudget).
import type { Attempt, EndReason, Job } from '../../../shared/job';
import { completionsOf, DEFAULT_CONTAINER_NAME, isWorkQueue } from '../../../shared/jobPolicies';
import type { AttemptOutcome } from '../engines/types';
import { backoffMs, mayRetry } from './backoff';
import { countIndexFailure, indexesEnd, perIndex, withFailedIndex } from './indexBudget';
import { matchPodFailurePolicy } from './podFailurePolicy';
import { matchSuccessPolicy } from './successPolicy';

export interface EndInfo {
  reason: EndReason;
  exitCode?: number | null;
  message?: string;
}

export type Verdict =
  /** An index succeeded (or failed for good) and the rest go on: record it. */
  | { do: 'save'; job: Job }
  /** The job succeeded; what else of it still runs is stopped first. */
  | { do: 'complete'; job: Job; end: EndInfo }
  /** The job ends (stopping whatever else of it still runs). */
  | { do: 'end'; job: Job; status: 'failed' | 'cancelled'; end: EndInfo }
  /** The engine was gone before the container existed: not the job's failure; it waits. */
  | { do: 'wait'; job: Job }
  /** A retry under the policy, not before `at`; with `index`, only that index waits (backoffLimitPerIndex). */
  | { do: 'retry'; job: Job; at: number; index?: number };

/** What the scheduler knows beside the job and the outcome. */
export interface JudgeContext {
  now: number;
  /** Other attempts of the job still have a container. */
  othersLive?: boolean;
  /** The attempt ended because the engine was lost or the app shut down (DisruptionTarget). */
  disrupted?: boolean;
  /** The container that ended the attempt, when not the main one (an executor's say). */
  containerName?: string;
}

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

const COMPLETED: EndInfo = { reason: 'Completed', exitCode: 0 };

/** The job's next step after `attempt` ended with `outcome`, when no end was already decided. */
export function judgeAttempt(job: Job, attempt: Pick<Attempt, 'index'>, outcome: AttemptOutcome, at: number | JudgeContext): Verdict {
  const ctx: JudgeContext = typeof at === 'number' ? { now: at } : at;
  const othersLive = ctx.othersLive ?? false;
  if (outcome.reason === 'Completed') return judgeSuccess(job, attempt.index, othersLive);
  const end: EndInfo = { reason: outcome.reason, exitCode: outcome.exitCode, ...(outcome.message ? { message: outcome.message } : {}) };
  const disrupted = ctx.disrupted ?? outcome.reason === 'EngineLost';
  // A work queue that has a success is done once the rest have ended, whatever they did.
  if (isWorkQueue(job.spec) && job.succeededIndexes.length > 0) {
    return othersLive ? { do: 'save', job } : { do: 'complete', job, end: COMPLETED };
  }
  const match = matchPodFailurePolicy(job.spec.podFailurePolicy, {
    exitCode: outcome.exitCode,
    containerName: ctx.containerName ?? job.spec.containerName ?? DEFAULT_CONTAINER_NAME,
    disrupted,
  });
  // Stopped without an end decided first (the deadline raced the exit, a cancel): end the same way,
  // unless it was the app's shutdown and a DisruptionTarget rule says otherwise.
  if (outcome.reason === 'DeadlineExceeded' || (outcome.reason === 'Cancelled' && !(disrupted && match))) {
    return { do: 'end', job, status: outcome.reason === 'Cancelled' ? 'cancelled' : 'failed', end };
  }
  if (outcome.reason === 'EngineUnavailable') return { do: 'wait', job };
  // A disruption a rule counts is a failure like any other (not the user's cancel).
  const retryReason = outcome.reason === 'Cancelled' ? 'Error' : outcome.reason;
  if (match?.action === 'FailJob') {
    return { do: 'end', job, status: 'failed', end: { reason: 'PodFailurePolicy', exitCode: outcome.exitCode, message: match.message } };
  }
  // Ignored: not counted against any budget; the attempt runs again at once.
  if (match?.action === 'Ignore') return { do: 'retry', job, at: ctx.now };
  if (perIndex(job)) {
    const counted =
      match?.action === 'FailIndex'
        ? { job: withFailedIndex(job, attempt.index), failures: 0, failed: true }
        : countIndexFailure(job, attempt.index, mayRetry(job.spec.retry, 0, outcome.exitCode, retryReason));
    if (!counted.failed) return { do: 'retry', job: counted.job, at: ctx.now + backoffMs(job.spec.retry, counted.failures), index: attempt.index };
    const ending = indexesEnd(counted.job, othersLive);
    if (ending?.reason === 'MaxFailedIndexesExceeded' || (ending && !othersLive)) {
      return { do: 'end', job: counted.job, status: 'failed', end: { ...ending, exitCode: outcome.exitCode } };
    }
    // The other indexes go on; an index still to start may yet start.
    return { do: 'save', job: counted.job };
  }
  const failures = job.failures + 1;
  const next = { ...job, failures };
  if (mayRetry(job.spec.retry, failures, outcome.exitCode, retryReason)) {
    return { do: 'retry', job: next, at: ctx.now + backoffMs(job.spec.retry, failures) };
  }
  return { do: 'end', job: next, status: 'failed', end };
}

function judgeSuccess(job: Job, index: number, othersLive: boolean): Verdict {
  const succeededIndexes = [...new Set([...job.succeededIndexes, index])].sort((a, b) => a - b);
  const next = { ...job, succeededIndexes };
  if (isWorkQueue(job.spec)) return othersLive ? { do: 'save', job: next } : { do: 'complete', job: next, end: COMPLETED };
  const completions = completionsOf(job.spec);
  if (job.spec.completionMode === 'Indexed') {
    const met = matchSuccessPolicy(job.spec.successPolicy, succeededIndexes, completions);
    if (met) return { do: 'complete', job: next, end: { reason: 'SuccessCriteriaMet', exitCode: 0, message: met.message } };
    const ending = indexesEnd(next, othersLive);
    if (ending) return { do: 'end', job: next, status: 'failed', end: ending };
  }
  return succeededIndexes.length >= completions ? { do: 'complete', job: next, end: COMPLETED } : { do: 'save', job: next };
}
