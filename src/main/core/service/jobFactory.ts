import { randomUUID } from 'node:crypto';
import type { JobInputs, Requester } from '../../../shared/audit';
import { AppError } from '../../../shared/errors';
import type { Job } from '../../../shared/job';
import { applyOverrides, type JobOverrides, type TemplateSpec } from '../../../shared/template';
import { jobLabel } from '../../../shared/wait';
import { iso } from '../clock';
import { maskEnv, maskSpec, sealEnv } from '../secrets';
import { assertHostLimits } from '../templates/hostLimits';
import { assertKnownContext } from '../kubernetes/contexts';
import type { CoreContext } from './context';
import { assertValuesGiven } from './scheduledRuns';

export interface NewJob {
  spec: TemplateSpec;
  templateId?: string;
  /** Kept from the job a retry or clone comes from; else the spec's name. */
  templateName?: string;
  overrides?: JobOverrides;
  dependsOn?: string[];
  origin: Job['origin'];
  scheduledFor?: string;
  /** Who asked (the audit trail): the caller's requester, or the schedule's. */
  requestedBy?: Requester;
  /** The template's updatedAt, when the job comes from a stored template. */
  templateVersion?: string;
  /** The job a retry or clone is made from. */
  sourceJobId?: string;
}

/**
 * What the caller gave apart from the template, for the audit trail: the overrides as given, with
 * every secret value masked (an override of a variable the template keeps secret is secret too).
 */
export function auditInputs(n: Pick<NewJob, 'spec' | 'overrides' | 'dependsOn' | 'sourceJobId'>): JobInputs | undefined {
  const o = n.overrides && Object.keys(n.overrides).length ? n.overrides : undefined;
  const secret = new Set(n.spec.env.filter((e) => e.secret).map((e) => e.name));
  const overrides = o && {
    ...o,
    ...(o.env ? { env: maskEnv(o.env.map((e) => (secret.has(e.name) ? { ...e, secret: true } : e))) } : {}),
  };
  const inputs: JobInputs = {
    ...(overrides ? { overrides } : {}),
    ...(n.dependsOn?.length ? { dependsOn: [...n.dependsOn] } : {}),
    ...(n.sourceJobId ? { sourceJobId: n.sourceJobId } : {}),
  };
  return Object.keys(inputs).length ? inputs : undefined;
}

/** Every upstream job exists and can still complete. */
export function assertUpstream(ctx: CoreContext, dependsOn: readonly string[]): void {
  for (const dep of dependsOn) {
    const up = ctx.store.getJob(dep);
    if (!up) throw new AppError('NOT_FOUND', `dependsOn: no job ${dep}`);
    // It would be cancelled at once (UpstreamFailed): say so now, while the user can choose again.
    if (up.status === 'failed' || up.status === 'cancelled') {
      throw new AppError('CONFLICT', `dependsOn: job ${jobLabel(up)} is ${up.status}, so a job after it could never run; retry it first`, [
        { path: 'dependsOn', message: `job ${jobLabel(up)} is ${up.status}` },
      ]);
    }
  }
}

/** A pending job from a spec (template snapshot), with overrides applied and secrets sealed. */
export function createJob(ctx: CoreContext, n: NewJob): Job {
  assertUpstream(ctx, n.dependsOn ?? []);
  const overridden = n.overrides ? applyOverrides(n.spec, n.overrides) : n.spec;
  if (n.origin !== 'schedule') assertHostLimits(overridden);
  // A scheduled run is not refused: its job waits for the engine, saying why.
  if (n.origin !== 'schedule') assertKnownContext(overridden.engineId, ctx.engines.list());
  assertValuesGiven(overridden);
  const spec: TemplateSpec = { ...overridden, env: sealEnv(overridden.env, ctx.codec, n.spec.env) };
  const job: Job = {
    id: randomUUID(),
    ...(n.templateId ? { templateId: n.templateId } : {}),
    templateName: n.templateName ?? spec.name,
    spec,
    status: 'pending',
    priority: spec.priority,
    seq: ctx.store.nextSeq(),
    origin: n.origin,
    dependsOn: [...new Set(n.dependsOn ?? [])],
    createdAt: iso(ctx.clock.now()),
    failures: 0,
    succeededIndexes: [],
    attempts: [],
    ...(n.scheduledFor ? { scheduledFor: n.scheduledFor } : {}),
  };
  const inputs = auditInputs(n);
  if (n.requestedBy) job.requestedBy = n.requestedBy;
  if (n.templateVersion) job.templateVersion = n.templateVersion;
  if (inputs) job.inputs = inputs;
  ctx.jobs.save(job);
  // The wake may have started it already: the job as it is now.
  return ctx.jobs.get(job.id) ?? job;
}

export function maskJob(job: Job): Job {
  return { ...job, spec: maskSpec(job.spec) };
}
