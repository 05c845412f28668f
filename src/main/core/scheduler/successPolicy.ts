// Kubernetes' Job success policy (pkg/controller/job/success_policy.go), Indexed jobs only: a rule
// is met by all of succeededIndexes, by succeededCount indexes, or by that many of those indexes.
import { parseIndexRanges, type SuccessPolicy } from '../../../shared/jobPolicies';

export interface SuccessMatch {
  rule: number;
  message: string;
}

export function matchSuccessPolicy(policy: SuccessPolicy | undefined, succeeded: readonly number[], completions: number): SuccessMatch | undefined {
  if (!policy) return undefined;
  const done = new Set(succeeded);
  for (const [rule, r] of policy.rules.entries()) {
    // Indexes past completions can never succeed (the cluster refuses them; here they just never count).
    const wanted = r.succeededIndexes === undefined ? undefined : (parseIndexRanges(r.succeededIndexes) ?? []).filter((i) => i < completions);
    const count = wanted === undefined ? done.size : wanted.filter((i) => done.has(i)).length;
    const needed = r.succeededCount ?? wanted?.length ?? 0;
    if (needed > 0 && count >= needed) {
      return { rule, message: `success policy rule ${rule} was met (${count} of the indexes it names succeeded)` };
    }
  }
  return undefined;
}
