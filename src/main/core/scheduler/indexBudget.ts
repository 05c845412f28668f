// Kubernetes' backoffLimitPerIndex and maxFailedIndexes (pkg/controller/job/backoff_utils.go and
// indexed_job_utils.go): each index has its own retry budget; an index past it, or failed by a
// FailIndex rule, is failed for good without stopping the others. Pure.
import type { Job } from '../../../shared/job';
import { completionsOf, formatIndexRanges } from '../../../shared/jobPolicies';

/** Whether the job counts failures per index (Indexed with backoffLimitPerIndex). */
export const perIndex = (job: Job): boolean => job.spec.completionMode === 'Indexed' && job.spec.backoffLimitPerIndex !== undefined;

export interface IndexCount {
  job: Job;
  /** The index's failures so far, this one included. */
  failures: number;
  /** The index is failed for good. */
  failed: boolean;
}

/** One failure of `index`: counted, and the index failed when `retryable` is false or its budget is spent. */
export function countIndexFailure(job: Job, index: number, retryable: boolean): IndexCount {
  const failures = (job.indexFailures?.[String(index)] ?? 0) + 1;
  const failed = !retryable || failures > (job.spec.backoffLimitPerIndex ?? 0);
  const next: Job = { ...job, indexFailures: { ...job.indexFailures, [String(index)]: failures } };
  return { job: failed ? withFailedIndex(next, index) : next, failures, failed };
}

export function withFailedIndex(job: Job, index: number): Job {
  const failedIndexes = [...new Set([...(job.failedIndexes ?? []), index])].sort((a, b) => a - b);
  return { ...job, failedIndexes };
}

export interface IndexesEnd {
  reason: 'FailedIndexes' | 'MaxFailedIndexesExceeded';
  message: string;
}

/**
 * The job's end by its failed indexes: at once past maxFailedIndexes; otherwise once every index has
 * succeeded or failed and nothing of the job still runs.
 */
export function indexesEnd(job: Job, othersLive: boolean): IndexesEnd | undefined {
  const failed = job.failedIndexes ?? [];
  if (!failed.length) return undefined;
  const max = job.spec.maxFailedIndexes;
  if (max !== undefined && failed.length > max) {
    return { reason: 'MaxFailedIndexesExceeded', message: `${failed.length} indexes failed (${formatIndexRanges(failed)}), more than maxFailedIndexes ${max}` };
  }
  const accounted = new Set([...job.succeededIndexes, ...failed]).size;
  if (othersLive || accounted < completionsOf(job.spec)) return undefined;
  return { reason: 'FailedIndexes', message: `indexes ${formatIndexRanges(failed)} failed` };
}
