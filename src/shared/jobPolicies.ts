// Kubernetes batch/v1 Job policies a template carries (podFailurePolicy, successPolicy,
// backoffLimitPerIndex…), with the names and rules of the Kubernetes API, so that a manifest
// imported here means what it means on a cluster. Pure: the scheduler's policy modules read them.
import { z } from 'zod';

const code = (label: string) => {
  const message = `${label} must be whole numbers from 0 to 255`;
  return z.number({ error: message }).int({ error: message }).min(0, { error: message }).max(255, { error: message });
};

export const PodFailureAction = z.enum(['FailJob', 'Ignore', 'Count', 'FailIndex'], {
  error: 'Pod failure policy action must be FailJob, Ignore, Count or FailIndex',
});
export type PodFailureAction = z.infer<typeof PodFailureAction>;

export const OnExitCodes = z
  .object({
    /** The container whose exit code counts; any container when left out. */
    containerName: z.string({ error: 'Pod failure policy containerName must be text' }).min(1, { error: 'Pod failure policy containerName must not be empty' }).optional(),
    operator: z.enum(['In', 'NotIn'], { error: 'Pod failure policy operator must be In or NotIn' }),
    values: z
      .array(code('Pod failure policy exit codes'), { error: 'Pod failure policy values must be a list of exit codes' })
      .min(1, { error: 'Pod failure policy values must name at least one exit code' })
      .max(255, { error: 'Pod failure policy values may name at most 255 exit codes' }),
  })
  .strict()
  .refine((r) => r.operator !== 'In' || !r.values.includes(0), { error: 'Pod failure policy: exit code 0 cannot be In a rule (it is success)', path: ['values'] });

/** Jobdeck's disruptions are the pod condition DisruptionTarget: the engine lost, the app's shutdown. */
export const OnPodCondition = z
  .object({
    type: z.literal('DisruptionTarget', { error: 'Pod failure policy condition type must be DisruptionTarget (the only one Jobdeck has)' }),
    status: z.enum(['True', 'False', 'Unknown'], { error: 'Pod failure policy condition status must be True, False or Unknown' }).default('True'),
  })
  .strict();

export const PodFailurePolicyRule = z
  .object({
    action: PodFailureAction,
    onExitCodes: OnExitCodes.optional(),
    onPodConditions: z.array(OnPodCondition, { error: 'Pod failure policy onPodConditions must be a list' }).min(1, { error: 'Pod failure policy onPodConditions must not be empty' }).optional(),
  })
  .strict()
  .refine((r) => (r.onExitCodes === undefined) !== (r.onPodConditions === undefined), {
    error: 'Each pod failure policy rule needs exactly one of onExitCodes and onPodConditions',
  });
export type PodFailurePolicyRule = z.infer<typeof PodFailurePolicyRule>;

export const PodFailurePolicy = z
  .object({
    rules: z.array(PodFailurePolicyRule, { error: 'Pod failure policy rules must be a list' }).max(20, { error: 'Pod failure policy may have at most 20 rules' }),
  })
  .strict();
export type PodFailurePolicy = z.infer<typeof PodFailurePolicy>;

/** `0,2-3` → [0, 2, 3]; undefined when the text is not such a list (ascending, no overlaps). */
export function parseIndexRanges(text: string): number[] | undefined {
  const out: number[] = [];
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)(?:-(\d+))?\s*$/.exec(part);
    if (!m) return undefined;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from || (out.length && from <= out[out.length - 1]!) || to > 100_000) return undefined;
    for (let i = from; i <= to; i++) out.push(i);
  }
  return out;
}

/** [0, 2, 3] → `0,2-3` (how Kubernetes writes completedIndexes and failedIndexes). */
export function formatIndexRanges(indexes: readonly number[]): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

export const SuccessPolicyRule = z
  .object({
    succeededIndexes: z
      .string({ error: 'Success policy succeededIndexes must be text such as 0,2-3' })
      .refine((s) => parseIndexRanges(s) !== undefined, { error: 'Success policy succeededIndexes must be ascending indexes and ranges such as 0,2-3' })
      .optional(),
    succeededCount: z.number({ error: 'Success policy succeededCount must be a whole number from 1' }).int({ error: 'Success policy succeededCount must be a whole number from 1' }).min(1, { error: 'Success policy succeededCount must be a whole number from 1' }).optional(),
  })
  .strict()
  .refine((r) => r.succeededIndexes !== undefined || r.succeededCount !== undefined, {
    error: 'Each success policy rule needs succeededIndexes, succeededCount or both',
  });
export type SuccessPolicyRule = z.infer<typeof SuccessPolicyRule>;

export const SuccessPolicy = z
  .object({
    rules: z.array(SuccessPolicyRule, { error: 'Success policy rules must be a list' }).min(1, { error: 'Success policy needs at least one rule' }).max(20, { error: 'Success policy may have at most 20 rules' }),
  })
  .strict();
export type SuccessPolicy = z.infer<typeof SuccessPolicy>;

/** The main container's name when a template does not give one (what an onExitCodes containerName matches). */
export const DEFAULT_CONTAINER_NAME = 'main';

interface ShapeOf {
  parallelism: number;
  completions?: number | undefined;
  completionMode: 'NonIndexed' | 'Indexed';
}

/** Kubernetes' work queue: parallelism without completions (success once any container succeeds). */
export function isWorkQueue(spec: ShapeOf): boolean {
  return spec.completions === undefined && spec.completionMode !== 'Indexed' && spec.parallelism > 1;
}

/** Successes the job needs: completions, or 1 for a work queue (any one of them). */
export function completionsOf(spec: ShapeOf): number {
  return spec.completions ?? 1;
}

/** Suspended now: the user's choice on the job, else the template's `suspend`. */
export function isSuspended(job: { suspended?: boolean | undefined; spec: { suspend?: boolean | undefined } }): boolean {
  return job.suspended ?? job.spec.suspend ?? false;
}

interface PolicyFields extends ShapeOf {
  successPolicy?: SuccessPolicy | undefined;
  backoffLimitPerIndex?: number | undefined;
  maxFailedIndexes?: number | undefined;
  podFailurePolicy?: PodFailurePolicy | undefined;
}

/**
 * The rules between the Job policy fields that a schema per field cannot see (Kubernetes' Job
 * validation), one place for templates.save, jobs.create and the Kubernetes import alike. Each
 * problem names the field as the editor labels it and as a file spells it.
 */
export function jobPolicyProblems(spec: PolicyFields): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const indexed = spec.completionMode === 'Indexed';
  const add = (path: string, message: string) => out.push({ path, message });
  if (indexed && spec.completions === undefined) add('completions', 'Completions must be set for completion mode Indexed (each index from 0 to completions - 1 runs once)');
  if (spec.successPolicy && !indexed) add('successPolicy', 'Success policy (successPolicy) needs completion mode Indexed');
  if (spec.backoffLimitPerIndex !== undefined && !indexed) add('backoffLimitPerIndex', 'Backoff limit per index (backoffLimitPerIndex) needs completion mode Indexed');
  if (spec.maxFailedIndexes !== undefined && spec.backoffLimitPerIndex === undefined) add('maxFailedIndexes', 'Max failed indexes (maxFailedIndexes) needs a backoff limit per index (backoffLimitPerIndex)');
  const completions = spec.completions;
  if (indexed && completions !== undefined && spec.maxFailedIndexes !== undefined && spec.maxFailedIndexes > completions) {
    add('maxFailedIndexes', `Max failed indexes (maxFailedIndexes) must be at most completions (${completions})`);
  }
  spec.podFailurePolicy?.rules.forEach((r, i) => {
    if (r.action === 'FailIndex' && spec.backoffLimitPerIndex === undefined) add(`podFailurePolicy.rules[${i}].action`, `Pod failure policy rule ${i}: action FailIndex needs a backoff limit per index (backoffLimitPerIndex)`);
  });
  if (indexed && completions !== undefined) {
    spec.successPolicy?.rules.forEach((r, i) => {
      const named = r.succeededIndexes === undefined ? undefined : parseIndexRanges(r.succeededIndexes);
      const past = named?.find((n) => n >= completions);
      if (past !== undefined) add(`successPolicy.rules[${i}].succeededIndexes`, `Success policy rule ${i}: succeededIndexes names index ${past}, but indexes run from 0 to ${completions - 1} (completions ${completions})`);
      const most = named ? Math.min(named.length, completions) : completions;
      if (r.succeededCount !== undefined && r.succeededCount > most) {
        add(`successPolicy.rules[${i}].succeededCount`, `Success policy rule ${i}: succeededCount ${r.succeededCount} can never be met (at most ${most} ${named ? 'of the indexes it names' : 'indexes'})`);
      }
    });
  }
  return out;
}
