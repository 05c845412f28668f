import type { RetryPolicy } from '../../../shared/template';

/** Kubernetes-style backoff: initial × factor^(n-1), capped; `failures` counts from 1. */
export function backoffMs(policy: RetryPolicy, failures: number): number {
  const n = Math.max(1, failures);
  const seconds = policy.backoffInitialSeconds * policy.backoffFactor ** (n - 1);
  return Math.round(Math.min(seconds, policy.backoffMaxSeconds) * 1000);
}

/** Whether a failed attempt may be tried again under the template's policy. */
export function mayRetry(
  policy: RetryPolicy,
  failures: number,
  exitCode: number | null | undefined,
  reason: string,
): boolean {
  if (reason === 'ImagePullFailed' || reason === 'DeadlineExceeded' || reason === 'Cancelled') return false;
  if (exitCode !== null && exitCode !== undefined && policy.neverRetryExitCodes.includes(exitCode)) return false;
  // "Retry only on": another non-zero exit code fails at once; a failure without a code still retries.
  if (policy.retryOnExitCodes && exitCode !== null && exitCode !== undefined && !policy.retryOnExitCodes.includes(exitCode)) return false;
  return failures <= policy.limit;
}
