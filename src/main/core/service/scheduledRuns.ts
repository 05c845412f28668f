import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import { isTerminal, type Job } from '../../../shared/job';
import { FIELD_COMPLETION_INDEX, FIELD_POD_NAME, FIELD_REFS } from '../../../shared/pod';
import { specOf, type EnvVar, type Template, type TemplateSpec } from '../../../shared/template';
import { removeJobArtifacts } from '../artifacts/artifactFiles';
import { iso } from '../clock';
import type { CoreContext } from './context';

/**
 * Variables that came from a cluster (secretKeyRef, configMapKeyRef) and still have no value:
 * a job cannot start without them, as a pod would not.
 */
export function missingValues(spec: Pick<TemplateSpec, 'env'>): EnvVar[] {
  return spec.env.filter((e) => e.valueFrom !== undefined && !FIELD_REFS.includes(e.valueFrom) && e.value === '');
}

export function assertValuesGiven(spec: Pick<TemplateSpec, 'env'>): void {
  const missing = missingValues(spec);
  if (!missing.length) return;
  const one = missing.length === 1;
  throw new AppError(
    'VALIDATION',
    `${one ? 'Variable' : 'Variables'} ${missing.map((e) => `${e.name} (from ${e.valueFrom})`).join(', ')} ${one ? 'has' : 'have'} no value: give ${one ? 'it a value' : 'them values'} in the template (Environment) or in the run`,
    missing.map((e) => ({ path: `env.${e.name}`, message: `${e.name} has no value (it came from ${e.valueFrom})` })),
  );
}

/** A scheduled run that did not start: a cancelled job in the history, saying why. */
export function recordMissedRun(ctx: CoreContext, t: Template, slot: Date, message: string): Job {
  const at = iso(ctx.clock.now());
  return ctx.jobs.save({
    id: randomUUID(),
    templateId: t.id,
    templateName: t.name,
    // As stored in the template: secrets sealed, as every job keeps them (a retry then has them).
    spec: specOf(t),
    status: 'cancelled',
    reason: 'Cancelled',
    message,
    priority: t.priority,
    seq: ctx.store.nextSeq(),
    origin: 'schedule',
    dependsOn: [],
    createdAt: at,
    finishedAt: at,
    failures: 0,
    succeededIndexes: [],
    attempts: [],
    scheduledFor: slot.toISOString(),
    requestedBy: { user: ctx.audit.user, client: 'schedule' },
    templateVersion: t.updatedAt,
  });
}

/**
 * CronJob successfulJobsHistoryLimit / failedJobsHistoryLimit: of a template's finished scheduled
 * runs, only the newest N completed and M failed are kept (with logs and artifacts); unset keeps
 * all (Jobdeck's retention settings apply). Returns the removed ids.
 */
export async function applyHistoryLimits(ctx: CoreContext, templateId: string): Promise<string[]> {
  const s = ctx.store.getTemplate(templateId)?.schedule;
  if (!s || (s.successfulJobsHistoryLimit === undefined && s.failedJobsHistoryLimit === undefined)) return [];
  const runs: Job[] = [];
  for (const j of ctx.store.allJobs()) if (j.templateId === templateId && j.origin === 'schedule' && isTerminal(j.status)) runs.push(j);
  runs.sort((a, b) => Date.parse(b.finishedAt ?? b.createdAt) - Date.parse(a.finishedAt ?? a.createdAt));
  const doomed = [
    ...over(runs.filter((j) => j.status === 'completed'), s.successfulJobsHistoryLimit),
    ...over(runs.filter((j) => j.status === 'failed'), s.failedJobsHistoryLimit),
  ];
  if (!doomed.length) return [];
  ctx.store.removeJobs(doomed);
  for (const id of doomed) {
    await ctx.logs.removeJob(id);
    await removeJobArtifacts(ctx.dataDir, id);
  }
  return doomed;
}

const over = (newestFirst: Job[], limit: number | undefined) => (limit === undefined ? [] : newestFirst.slice(limit).map((j) => j.id));

/**
 * The downward-API values a job's env asks for (EnvVar.valueFrom): the pod's name, unique per
 * attempt as a pod's is, and the completion index. NAME=value lines, after the job's own.
 */
export function fieldValues(job: Pick<Job, 'id' | 'templateName' | 'spec'>, attempt: number, index: number): string[] {
  const podName = `${job.templateName.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}-${job.id.slice(0, 8)}-${attempt}`;
  return job.spec.env
    .filter((e) => e.valueFrom === FIELD_POD_NAME || e.valueFrom === FIELD_COMPLETION_INDEX)
    .map((e) => `${e.name}=${e.valueFrom === FIELD_POD_NAME ? podName : String(index)}`);
}
