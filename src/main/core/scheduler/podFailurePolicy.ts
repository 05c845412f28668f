// Kubernetes' pod failure policy (pkg/controller/job/pod_failure_policy.go): rules in order, the
// first that matches decides; exit code 0 never matches onExitCodes; a disruption is the pod
// condition DisruptionTarget. Pure.
import type { PodFailureAction, PodFailurePolicy } from '../../../shared/jobPolicies';

/** What is known about one failed attempt. */
export interface FailureFacts {
  exitCode: number | null | undefined;
  /** The container that ended the attempt (the main container unless an executor says otherwise). */
  containerName: string;
  /** The engine went away or the app shut down under it (Kubernetes' DisruptionTarget). */
  disrupted: boolean;
}

export interface RuleMatch {
  /** 0-based, as Kubernetes counts the rules in its messages. */
  rule: number;
  action: PodFailureAction;
  /** What happened, in the words of the Kubernetes Job condition message. */
  message: string;
}

export function matchPodFailurePolicy(policy: PodFailurePolicy | undefined, facts: FailureFacts): RuleMatch | undefined {
  if (!policy) return undefined;
  for (const [rule, r] of policy.rules.entries()) {
    if (r.onExitCodes) {
      const { containerName, operator, values } = r.onExitCodes;
      const code = facts.exitCode;
      if (code === null || code === undefined || code === 0) continue;
      if (containerName !== undefined && containerName !== facts.containerName) continue;
      if (values.includes(code) !== (operator === 'In')) continue;
      return { rule, action: r.action, message: `container ${facts.containerName} failed with exit code ${code}, matching ${r.action} rule ${rule} of the pod failure policy` };
    }
    // DisruptionTarget is the only condition; "False"/"Unknown" match an attempt that was not disrupted.
    if (r.onPodConditions?.some((c) => (c.status === 'True') === facts.disrupted)) {
      const what = facts.disrupted ? 'was disrupted (DisruptionTarget)' : 'failed without a disruption';
      return { rule, action: r.action, message: `the attempt ${what}, matching ${r.action} rule ${rule} of the pod failure policy` };
    }
  }
  return undefined;
}
