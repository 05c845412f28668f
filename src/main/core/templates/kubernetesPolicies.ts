// The Job spec's policy fields of a batch/v1 manifest (issue 10): podFailurePolicy, successPolicy,
// backoffLimitPerIndex, maxFailedIndexes, ttlSecondsAfterFinished, suspend. Kept apart from the
// rest of the Kubernetes import so that each part can grow on its own.
import type { Issue } from '../../../shared/errors';
import { DEFAULT_CONTAINER_NAME, type PodFailurePolicyRule } from '../../../shared/jobPolicies';
import { DEFAULT_NEVER_RETRY_EXIT_CODES, type TemplateSpecInput } from '../../../shared/template';
import { isRecord } from './parse';

export const JOB_POLICY_FIELDS = ['podFailurePolicy', 'successPolicy', 'backoffLimitPerIndex', 'maxFailedIndexes', 'ttlSecondsAfterFinished', 'suspend'];

interface Sink {
  warnings: string[];
  errors: Issue[];
}

/** What the exit-code rules of a pod failure policy become in the retry policy, where they can. */
export interface FoldedCodes {
  neverRetryExitCodes?: number[];
  retryOnExitCodes?: number[];
  /** Every non-zero exit fails at once (NotIn lists with nothing in common). */
  noRetry?: boolean;
}

/**
 * FailJob/Count rules on the main container's exit codes, every FailJob before every Count (a Count
 * after them is the default), fold onto "never retry" / "retry only on" exit codes. Anything else
 * (Ignore, FailIndex, conditions, another container, a Count that shields a FailJob) stays a policy.
 */
export function foldExitCodeRules(rules: readonly PodFailurePolicyRule[], containerName: string): FoldedCodes | undefined {
  let counting = false;
  const failIn: number[] = [];
  const notIn: number[][] = [];
  for (const r of rules) {
    const on = r.onExitCodes;
    if (!on || (on.containerName !== undefined && on.containerName !== containerName)) return undefined;
    if (r.action === 'Count') counting = true;
    else if (r.action !== 'FailJob' || counting) return undefined;
    else if (on.operator === 'In') failIn.push(...on.values);
    else notIn.push(on.values);
  }
  if (!notIn.length) return failIn.length ? { neverRetryExitCodes: [...new Set([...DEFAULT_NEVER_RETRY_EXIT_CODES, ...failIn])].sort((a, b) => a - b) } : {};
  // A code retries only if it is in every NotIn list and in no In list.
  const retry = notIn.reduce((acc, list) => acc.filter((c) => list.includes(c))).filter((c) => !failIn.includes(c) && c !== 0);
  return retry.length ? { retryOnExitCodes: [...new Set(retry)].sort((a, b) => a - b) } : { noRetry: true };
}

/** The policy fields of the job spec `js` (at `jobPath`) onto `spec`; run after completions and the container are read. */
export function mapJobPolicies(r: Sink, js: Record<string, unknown>, jobPath: string, spec: TemplateSpecInput): void {
  // The rules between these fields are the template's own (jobPolicyProblems), checked as it is parsed.
  for (const field of ['backoffLimitPerIndex', 'maxFailedIndexes', 'ttlSecondsAfterFinished'] as const) {
    if (js[field] !== undefined) spec[field] = js[field] as number;
  }
  if (js.suspend !== undefined) spec.suspend = js.suspend as boolean;
  if (js.successPolicy !== undefined) spec.successPolicy = js.successPolicy as TemplateSpecInput['successPolicy'];
  const pfp = js.podFailurePolicy;
  if (pfp === undefined) return;
  if (!isRecord(pfp) || !Array.isArray(pfp.rules)) {
    r.errors.push({ path: `${jobPath}.podFailurePolicy`, message: 'expected rules: a list of pod failure policy rules' });
    return;
  }
  const rules = pfp.rules as PodFailurePolicyRule[];
  const wellFormed = rules.every((x) => isRecord(x) && typeof x.action === 'string' && (x.onExitCodes === undefined || (isRecord(x.onExitCodes) && Array.isArray(x.onExitCodes.values))));
  const folded = wellFormed ? foldExitCodeRules(rules, spec.containerName ?? DEFAULT_CONTAINER_NAME) : undefined;
  if (!folded) {
    spec.podFailurePolicy = { rules } as TemplateSpecInput['podFailurePolicy'];
    return;
  }
  const retry = { ...(spec.retry ?? {}) };
  if (folded.neverRetryExitCodes) retry.neverRetryExitCodes = folded.neverRetryExitCodes;
  if (folded.retryOnExitCodes) retry.retryOnExitCodes = folded.retryOnExitCodes;
  if (folded.noRetry) retry.limit = 0;
  spec.retry = retry;
  const as = folded.retryOnExitCodes
    ? `exit codes that retry (${folded.retryOnExitCodes.join(', ')})`
    : folded.noRetry
      ? 'no retries (no exit code is left to retry)'
      : folded.neverRetryExitCodes
        ? `exit codes that never retry (${folded.neverRetryExitCodes.join(', ')})`
        : 'the default (its rules only count failures)';
  r.warnings.push(`${jobPath}.podFailurePolicy: applied as ${as}; a job it fails ends with reason Error and the exit code`);
}
