import { z } from 'zod';
import { imageReferenceProblem, outputDirProblem } from './references';
import { jobPolicyProblems, PodFailurePolicy, SuccessPolicy } from './jobPolicies';
import { CpuQuantity, MemoryLimit, MemoryQuantity } from './quantity';
import { InitContainer, PodVolume, VolumeMount } from './pod';
import { checkSchedule } from './schedule';
import { TemplateNotifications } from './notify';

export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

// Every message below is what the editor shows under its field and what the core's VALIDATION
// error carries: one sentence in the user's words, naming the field as the editor labels it.

/** A whole number in a range, refused in one sentence whatever is wrong with it. */
export const wholeNumber = (label: string, min: number, max: number, unit = '', hint = '') => {
  const message = `${label} must be a whole number${unit ? ` of ${unit}` : ''} from ${min} to ${max}${hint ? ` (${hint})` : ''}`;
  return z.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });
};

const seconds = (label: string, min: number, max: number) => {
  const message = `${label} must be a number of seconds from ${min} to ${max}`;
  return z.number({ error: message }).min(min, { error: message }).max(max, { error: message });
};

export const EnvVar = z.object({
  name: z.string({ error: 'Variable name is required' }).regex(ENV_NAME, {
    error: 'Variable names use letters, digits and _, and do not start with a digit',
  }),
  value: z.string({ error: 'Variable value must be text' }),
  /** Secret values are stored encrypted where the host can, and shown masked. */
  secret: z.boolean({ error: 'Variable secret must be true or false' }).default(false),
  /**
   * Where a cluster would have taken the value (a manifest's secretKeyRef / configMapKeyRef, e.g.
   * "secret db-creds, key password"). With an empty value, the user still has to give it: no job
   * starts until then.
   */
  valueFrom: z.string({ error: 'Variable valueFrom must be text' }).optional(),
});
export type EnvVar = z.infer<typeof EnvVar>;

const isAbsolute = (p: string) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);
const absolutePath = (label: string, example: string) =>
  z
    .string({ error: `${label} is required` })
    .min(1, { error: `${label} is required` })
    .refine(isAbsolute, { error: `${label} must be an absolute path such as ${example}` });

/** A host directory bind-mounted into the container (docker run -v host:container[:ro]). */
export const Mount = z.object({
  hostPath: absolutePath('Host path', '/srv/data'),
  containerPath: absolutePath('Container path', '/data').refine((p) => p.startsWith('/'), {
    error: 'Container path must be an absolute path such as /data',
  }),
  readOnly: z.boolean({ error: 'Mount readOnly must be true or false' }).default(false),
});
export type Mount = z.infer<typeof Mount>;

export const Limits = z
  .object({
    memory: MemoryQuantity.optional(),
    cpus: CpuQuantity.optional(),
  })
  .strict();
export type Limits = z.infer<typeof Limits>;
/** What a user may save: the engines' minimum applies (CPUs above this machine's count: the core checks). */
export const CheckedLimits = Limits.extend({ memory: MemoryLimit.optional() });

export const DEFAULT_NEVER_RETRY_EXIT_CODES = [125, 126, 127] as const;

export const RetryPolicy = z
  .object({
    /** Failed attempts allowed before the job fails (Kubernetes backoffLimit). */
    limit: wholeNumber('Retries', 0, 100).default(0),
    backoffInitialSeconds: seconds('First retry delay', 0, 86_400).default(10),
    backoffFactor: z.number({ error: 'Backoff factor must be a number from 1 to 10' }).min(1, { error: 'Backoff factor must be a number from 1 to 10' }).max(10, { error: 'Backoff factor must be a number from 1 to 10' }).default(2),
    backoffMaxSeconds: seconds('Longest retry delay', 0, 86_400).default(360),
    neverRetryExitCodes: z.array(wholeNumber('Exit codes that never retry', 0, 255), { error: 'Exit codes that never retry must be a list of numbers' }).default([...DEFAULT_NEVER_RETRY_EXIT_CODES]),
    /** When set, only these exit codes retry (a failure without an exit code still does). */
    retryOnExitCodes: z.array(wholeNumber('Exit codes that retry', 1, 255), { error: 'Exit codes that retry must be a list of numbers' }).min(1, { error: 'Exit codes that retry must name at least one exit code' }).optional(),
  })
  .strict();
export type RetryPolicy = z.infer<typeof RetryPolicy>;

export const ConcurrencyPolicy = z.enum(['Allow', 'Forbid', 'Replace'], { error: 'Concurrency policy must be Allow, Forbid or Replace' });
export type ConcurrencyPolicy = z.infer<typeof ConcurrencyPolicy>;
export const MissedRunPolicy = z.enum(['CatchUpOnce', 'Skip'], { error: 'Missed run policy must be CatchUpOnce or Skip' });
export type MissedRunPolicy = z.infer<typeof MissedRunPolicy>;

/**
 * A cron schedule. Five fields (minute hour day-of-month month day-of-week) or a shorthand
 * (@daily…); six, the first being seconds, only with `seconds: true`, which a template file says
 * the same way. `allowFrequent` records that the user confirmed firing more often than once a minute.
 */
export const Schedule = z
  .object({
    cron: z.string({ error: 'Schedule is required' }).min(1, { error: 'Schedule is required' }),
    seconds: z.boolean({ error: 'Schedule seconds must be true or false' }).optional(),
    timeZone: z.string({ error: 'Time zone must be an IANA name such as Europe/Paris' }).min(1, { error: 'Time zone must be an IANA name such as Europe/Paris' }).optional(),
    concurrencyPolicy: ConcurrencyPolicy.default('Allow'),
    missedRunPolicy: MissedRunPolicy.default('Skip'),
    enabled: z.boolean({ error: 'Schedule enabled must be true or false' }).default(true),
    allowFrequent: z.boolean({ error: 'Schedule allowFrequent must be true or false' }).optional(),
    /** CronJob startingDeadlineSeconds: a run started later than this after its slot is skipped and recorded as missed. */
    startingDeadlineSeconds: wholeNumber('Starting deadline', 1, 31_536_000, 'seconds').optional(),
    /** CronJob successfulJobsHistoryLimit / failedJobsHistoryLimit: finished scheduled runs kept per template. */
    successfulJobsHistoryLimit: wholeNumber('Successful runs kept', 0, 10_000).optional(),
    failedJobsHistoryLimit: wholeNumber('Failed runs kept', 0, 10_000).optional(),
  })
  .strict();
export type Schedule = z.infer<typeof Schedule>;
/** What a user may save: it fires, has the fields it promises, and is not sub-minute unconfirmed. */
export const CheckedSchedule = Schedule.superRefine((s, ctx) => {
  const { error } = checkSchedule(s);
  if (error) ctx.addIssue({ code: 'custom', path: ['cron'], message: `Schedule: ${error}` });
});

/** An engine's id as engines.list gives it (settings' rule: lowercase letters, digits and dashes). */
export const EngineId = z
  .string({ error: 'Engine id must be text' })
  // kubernetes:<context>: a kubeconfig context, named as the kubeconfig names it.
  .regex(/^(?:[a-z0-9][a-z0-9-]{0,63}|kubernetes:\S{1,253})$/, { error: 'Engine id uses lowercase letters, digits and dashes, as engines.list shows it' });

export const EngineChoice = z.enum(['any', 'docker', 'podman'], { error: 'Engine must be any, docker or podman' });
export type EngineChoice = z.infer<typeof EngineChoice>;
export const PullPolicy = z.enum(['IfNotPresent', 'Always', 'Never'], { error: 'Pull policy must be IfNotPresent, Always or Never' });
export const NetworkMode = z.enum(['none', 'bridge', 'host'], { error: 'Network must be none, bridge or host' });
export const CompletionMode = z.enum(['NonIndexed', 'Indexed'], { error: 'Completion mode must be NonIndexed or Indexed' });

export const Command = z.union(
  [z.string().min(1, { error: 'Command must not be empty' }), z.array(z.string({ error: 'Command arguments must be text' })).min(1, { error: 'Command must not be empty' })],
  { error: 'Command must be a shell line or a list of arguments' },
);
export type Command = z.infer<typeof Command>;

export const PRIORITY_HIGHEST = 1;
export const PRIORITY_LOWEST = 5;
export const Priority = z
  .number({ error: 'Priority must be 1 (highest) to 5 (lowest)' })
  .int({ error: 'Priority must be 1 (highest) to 5 (lowest)' })
  .min(PRIORITY_HIGHEST, { error: 'Priority must be 1 (highest) to 5 (lowest)' })
  .max(PRIORITY_LOWEST, { error: 'Priority must be 1 (highest) to 5 (lowest)' });

/** Kubernetes activeDeadlineSeconds, capped at 30 days: a template's and a run's alike. */
export const MAX_TIMEOUT_SECONDS = 30 * 86_400;
export const TimeoutSeconds = wholeNumber('Timeout', 1, MAX_TIMEOUT_SECONDS, 'seconds', '30 days');

const NAME_MAX = 120;

/** What to run: everything a user writes in a template file. Read as stored: see TemplateSpecChecked. */
export const TemplateSpec = z
  .object({
    name: z
      .string({ error: 'Name is required' })
      .trim()
      .min(1, { error: 'Name is required' })
      .max(NAME_MAX, { error: `Name must be at most ${NAME_MAX} characters` }),
    description: z.string({ error: 'Description must be text' }).max(2000, { error: 'Description must be at most 2000 characters' }).optional(),
    image: z
      .string({ error: 'Image is required' })
      .trim()
      .min(1, { error: 'Image is required' })
      .max(512, { error: 'Image must be at most 512 characters' })
      .regex(/^[^\s]+$/, { error: 'Image must not contain spaces' }),
    /** argv array, or a string that runs as `sh -c`. */
    command: Command.optional(),
    entrypoint: z.array(z.string({ error: 'Entrypoint arguments must be text' }), { error: 'Entrypoint must be a list of arguments' }).min(1, { error: 'Entrypoint must not be empty' }).optional(),
    env: z.array(EnvVar, { error: 'Environment must be a list of name and value pairs' }).default([]),
    workingDir: absolutePath('Working directory', '/work').optional(),
    user: z.string({ error: 'User must be text' }).min(1, { error: 'User must not be empty' }).optional(),
    mounts: z.array(Mount, { error: 'Mounts must be a list of hostPath and containerPath pairs' }).default([]),
    /** A container path whose files are copied out as artifacts when the attempt ends. */
    outputDir: absolutePath('Artifacts dir', '/out').optional(),
    limits: Limits.default({}),
    network: NetworkMode.default('bridge'),
    tty: z.boolean({ error: 'tty must be true or false' }).default(false),
    /** Kubernetes activeDeadlineSeconds: the whole job, across attempts. */
    timeoutSeconds: TimeoutSeconds.optional(),
    retry: RetryPolicy.default(RetryPolicy.parse({})),
    priority: Priority.default(3),
    engine: EngineChoice.default('any'),
    pullPolicy: PullPolicy.default('IfNotPresent'),
    labels: z.record(z.string(), z.string({ error: 'Label values must be text' }), { error: 'Labels must be a map of names to text' }).default({}),
    parallelism: wholeNumber('Parallelism', 1, 64).default(1),
    /** Left out with parallelism > 1 (NonIndexed): a work queue, as in Kubernetes. */
    completions: wholeNumber('Completions', 1, 1000).optional(),
    completionMode: CompletionMode.default('NonIndexed'),
    keepContainer: z.boolean({ error: 'keepContainer must be true or false' }).default(false),
    schedule: Schedule.optional(),
    /** Run in order, each to its end, before the main container; restartPolicy Always: a sidecar. */
    initContainers: z.array(InitContainer, { error: 'Init containers must be a list' }).default([]),
    /** emptyDir volumes shared by the attempt's containers, removed with the attempt. */
    volumes: z.array(PodVolume, { error: 'Volumes must be a list of name and emptyDir' }).default([]),
    /** The main container's mounts of `volumes`. */
    volumeMounts: z.array(VolumeMount, { error: 'Volume mounts must be a list of name and mountPath' }).default([]),
    /** One engine by its id (engines.list), remote ones included: narrower than `engine`, and wins over it. */
    engineId: EngineId.optional(),
    // Kubernetes Job policies (jobPolicies.ts holds their rules).
    podFailurePolicy: PodFailurePolicy.optional(),
    successPolicy: SuccessPolicy.optional(),
    /** Indexed: failed attempts allowed per index (instead of retry.limit for the whole job). */
    backoffLimitPerIndex: wholeNumber('Backoff limit per index', 0, 100).optional(),
    /** Indexed, with backoffLimitPerIndex: more failed indexes than this fail the job at once. */
    maxFailedIndexes: wholeNumber('Max failed indexes', 0, 1000).optional(),
    /** The job (record, logs, artifacts) is removed this long after it ends, unless pinned. */
    ttlSecondsAfterFinished: wholeNumber('TTL after finished', 0, MAX_TIMEOUT_SECONDS, 'seconds', '30 days').optional(),
    /** Jobs from this template start suspended: no container until resumed. */
    suspend: z.boolean({ error: 'suspend must be true or false' }).optional(),
    /** The main container's name (a Kubernetes manifest's), matched by onExitCodes.containerName. */
    containerName: z.string({ error: 'Container name must be text' }).min(1, { error: 'Container name must not be empty' }).max(63, { error: 'Container name must be at most 63 characters' }).optional(),
    /** This template's notification rules, in place of the default ones (shared/notify.ts). */
    notifications: TemplateNotifications.optional(),
  })
  .strict();
export type TemplateSpec = z.infer<typeof TemplateSpec>;
export type TemplateSpecInput = z.input<typeof TemplateSpec>;

/**
 * The same fields with the rules a new value must meet (what the engines accept, what Jobdeck can
 * collect): for what a user saves or imports. Stored templates and jobs are read with the plain
 * TemplateSpec, so a rule added later never makes a store unreadable.
 */
export const TemplateSpecChecked = TemplateSpec.extend({
  image: TemplateSpec.shape.image.superRefine((v, ctx) => {
    const problem = imageReferenceProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  outputDir: TemplateSpec.shape.outputDir.unwrap().superRefine((v, ctx) => {
    const problem = outputDirProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }).optional(),
  limits: CheckedLimits.default({}),
  schedule: CheckedSchedule.optional(),
}).superRefine((spec, ctx) => {
  // The Kubernetes Job policies' rules between fields (jobPolicies.ts), for save, run and import alike.
  for (const p of jobPolicyProblems(spec)) ctx.addIssue({ code: 'custom', path: p.path.split(/[.[\]]+/).filter(Boolean).map((k) => (/^\d+$/.test(k) ? Number(k) : k)), message: p.message });
});

export const Template = TemplateSpec.extend({
  id: z.string().min(1),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Template = z.infer<typeof Template>;

/** A stored template without its identity and times: what a job snapshots and an export writes. */
export function specOf(t: Template): TemplateSpec {
  const { id: _id, createdAt: _c, updatedAt: _u, ...spec } = t;
  return spec;
}

/** What a run may change without touching the template. */
export const JobOverrides = z
  .object({
    command: Command.optional(),
    env: z.array(EnvVar).optional(),
    limits: CheckedLimits.optional(),
    timeoutSeconds: TimeoutSeconds.optional(),
    priority: Priority.optional(),
    engine: EngineChoice.optional(),
    /** Run on this one engine; `engine` alone (a kind) clears the template's engineId. */
    engineId: EngineId.optional(),
  })
  .strict();
export type JobOverrides = z.infer<typeof JobOverrides>;
export type JobOverridesInput = z.input<typeof JobOverrides>;

/** Env overrides replace by name and keep the rest, as `docker run -e` does over an image's env. */
export function applyOverrides(spec: TemplateSpec, o: JobOverrides): TemplateSpec {
  const env = o.env
    ? [...spec.env.filter((e) => !o.env!.some((x) => x.name === e.name)), ...o.env]
    : spec.env;
  const next: TemplateSpec = {
    ...spec,
    ...(o.command !== undefined ? { command: o.command } : {}),
    env,
    limits: o.limits ? { ...spec.limits, ...o.limits } : spec.limits,
    ...(o.timeoutSeconds !== undefined ? { timeoutSeconds: o.timeoutSeconds } : {}),
    ...(o.priority !== undefined ? { priority: o.priority } : {}),
    ...(o.engine !== undefined ? { engine: o.engine } : {}),
    ...(o.engineId !== undefined ? { engineId: o.engineId } : {}),
  };
  if (o.engine !== undefined && o.engineId === undefined) delete next.engineId;
  return next;
}
