import { z } from 'zod';
import { CpuQuantity, MemoryQuantity } from './quantity';

export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const EnvVar = z.object({
  name: z.string().regex(ENV_NAME, 'expected an environment variable name (letters, digits, _; not starting with a digit)'),
  value: z.string(),
  /** Secret values are stored encrypted where the host can, and shown masked. */
  secret: z.boolean().default(false),
});
export type EnvVar = z.infer<typeof EnvVar>;

const absolutePath = (what: string) =>
  z.string().min(1).refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p), `expected an absolute ${what} path`);

export const Mount = z.object({
  hostPath: absolutePath('host'),
  containerPath: absolutePath('container').refine((p) => p.startsWith('/'), 'expected an absolute container path'),
  readOnly: z.boolean().default(false),
});
export type Mount = z.infer<typeof Mount>;

export const Limits = z
  .object({
    memory: MemoryQuantity.optional(),
    cpus: CpuQuantity.optional(),
  })
  .strict();
export type Limits = z.infer<typeof Limits>;

export const DEFAULT_NEVER_RETRY_EXIT_CODES = [125, 126, 127] as const;

export const RetryPolicy = z
  .object({
    /** Failed attempts allowed before the job fails (Kubernetes backoffLimit). */
    limit: z.number().int().min(0).max(100).default(0),
    backoffInitialSeconds: z.number().min(0).max(86_400).default(10),
    backoffFactor: z.number().min(1).max(10).default(2),
    backoffMaxSeconds: z.number().min(0).max(86_400).default(360),
    neverRetryExitCodes: z.array(z.number().int().min(0).max(255)).default([...DEFAULT_NEVER_RETRY_EXIT_CODES]),
  })
  .strict();
export type RetryPolicy = z.infer<typeof RetryPolicy>;

export const ConcurrencyPolicy = z.enum(['Allow', 'Forbid', 'Replace']);
export type ConcurrencyPolicy = z.infer<typeof ConcurrencyPolicy>;
export const MissedRunPolicy = z.enum(['CatchUpOnce', 'Skip']);
export type MissedRunPolicy = z.infer<typeof MissedRunPolicy>;

/** Five- or six-field cron as croner reads it; the importer and the store check it really fires. */
export const Schedule = z
  .object({
    cron: z.string().min(1),
    timeZone: z.string().min(1).optional(),
    concurrencyPolicy: ConcurrencyPolicy.default('Allow'),
    missedRunPolicy: MissedRunPolicy.default('Skip'),
    enabled: z.boolean().default(true),
  })
  .strict();
export type Schedule = z.infer<typeof Schedule>;

export const EngineChoice = z.enum(['any', 'docker', 'podman']);
export type EngineChoice = z.infer<typeof EngineChoice>;
export const PullPolicy = z.enum(['IfNotPresent', 'Always', 'Never']);
export const NetworkMode = z.enum(['none', 'bridge', 'host']);
export const CompletionMode = z.enum(['NonIndexed', 'Indexed']);

export const Command = z.union([z.string().min(1), z.array(z.string()).min(1)]);
export type Command = z.infer<typeof Command>;

export const PRIORITY_HIGHEST = 1;
export const PRIORITY_LOWEST = 5;
export const Priority = z.number().int().min(PRIORITY_HIGHEST).max(PRIORITY_LOWEST);

/** What to run: everything a user writes in a template file. */
export const TemplateSpec = z
  .object({
    name: z.string().trim().min(1).max(120),
    description: z.string().max(2000).optional(),
    image: z.string().trim().min(1).max(512).regex(/^[^\s]+$/, 'expected an image reference without spaces'),
    /** argv array, or a string that runs as `sh -c`. */
    command: Command.optional(),
    entrypoint: z.array(z.string()).min(1).optional(),
    env: z.array(EnvVar).default([]),
    workingDir: absolutePath('working directory').optional(),
    user: z.string().min(1).optional(),
    mounts: z.array(Mount).default([]),
    /** A container path whose files are copied out as artifacts when the attempt ends. */
    outputDir: absolutePath('output directory').optional(),
    limits: Limits.default({}),
    network: NetworkMode.default('bridge'),
    tty: z.boolean().default(false),
    /** Kubernetes activeDeadlineSeconds: the whole job, across attempts. */
    timeoutSeconds: z.number().int().positive().max(30 * 86_400).optional(),
    retry: RetryPolicy.default(RetryPolicy.parse({})),
    priority: Priority.default(3),
    engine: EngineChoice.default('any'),
    pullPolicy: PullPolicy.default('IfNotPresent'),
    labels: z.record(z.string(), z.string()).default({}),
    parallelism: z.number().int().min(1).max(64).default(1),
    completions: z.number().int().min(1).max(1000).default(1),
    completionMode: CompletionMode.default('NonIndexed'),
    keepContainer: z.boolean().default(false),
    schedule: Schedule.optional(),
  })
  .strict();
export type TemplateSpec = z.infer<typeof TemplateSpec>;
export type TemplateSpecInput = z.input<typeof TemplateSpec>;

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
    limits: Limits.optional(),
    timeoutSeconds: z.number().int().positive().max(30 * 86_400).optional(),
    priority: Priority.optional(),
    engine: EngineChoice.optional(),
  })
  .strict();
export type JobOverrides = z.infer<typeof JobOverrides>;
export type JobOverridesInput = z.input<typeof JobOverrides>;

/** Env overrides replace by name and keep the rest, as `docker run -e` does over an image's env. */
export function applyOverrides(spec: TemplateSpec, o: JobOverrides): TemplateSpec {
  const env = o.env
    ? [...spec.env.filter((e) => !o.env!.some((x) => x.name === e.name)), ...o.env]
    : spec.env;
  return {
    ...spec,
    ...(o.command !== undefined ? { command: o.command } : {}),
    env,
    limits: o.limits ? { ...spec.limits, ...o.limits } : spec.limits,
    ...(o.timeoutSeconds !== undefined ? { timeoutSeconds: o.timeoutSeconds } : {}),
    ...(o.priority !== undefined ? { priority: o.priority } : {}),
    ...(o.engine !== undefined ? { engine: o.engine } : {}),
  };
}
