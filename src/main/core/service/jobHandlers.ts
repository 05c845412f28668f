import type { Requester } from '../../../shared/audit';
import { AppError } from '../../../shared/errors';
import type { Handlers } from '../../../shared/ipc';
import { isTerminal, type Job } from '../../../shared/job';
import { summarize } from '../../../shared/query';
import { specOf } from '../../../shared/template';
import { removeJobArtifacts } from '../artifacts/artifactFiles';
import { requesterOf } from '../audit/audit';
import { iso } from '../clock';
import type { CoreContext } from './context';
import { specOfFile } from './fileSpec';
import { createJob, maskJob } from './jobFactory';
import { mustTemplate, templateNamed } from './templateHandlers';

type JobHandlers = Pick<
  Handlers,
  'jobs.create' | 'jobs.list' | 'jobs.templateNames' | 'jobs.get' | 'jobs.cancel' | 'jobs.retry' | 'jobs.clone' | 'jobs.reorder' | 'jobs.remove' | 'jobs.pull'
>;

/** Cancel on `by`'s behalf: the request is an event of its own (a running job ends later, by itself). */
export function cancelAs(ctx: CoreContext, id: string, by: Requester): Job | undefined {
  const job = mustJob(ctx, id);
  if (!isTerminal(job.status)) ctx.audit.note(id, { kind: 'cancelled', at: iso(ctx.clock.now()), by });
  return ctx.jobs.acting(by, [id], () => ctx.scheduler.cancel(id));
}

export function mustJob(ctx: CoreContext, id: string): Job {
  const j = ctx.store.getJob(id);
  if (!j) throw new AppError('NOT_FOUND', `no job ${id}`);
  return j;
}

/** A retry or clone belongs to the template its job came from, under the name it had then. */
const sameTemplate = (job: Job) => ({
  ...(job.templateId ? { templateId: job.templateId } : {}),
  templateName: job.templateName,
  ...(job.templateVersion ? { templateVersion: job.templateVersion } : {}),
});

export function jobHandlers(ctx: CoreContext): JobHandlers {
  return {
    async 'jobs.create'({ templateId, template: ref, spec, file, overrides, dependsOn }, call) {
      // The contract admits exactly one of templateId, template, spec and file.
      const template = templateId ? mustTemplate(ctx, templateId) : ref !== undefined ? templateNamed(ctx, ref) : undefined;
      return maskJob(
        createJob(ctx, {
          spec: template ? specOf(template) : file ? specOfFile(file) : spec!,
          ...(template ? { templateId: template.id, templateVersion: template.updatedAt } : {}),
          requestedBy: requesterOf(call),
          overrides,
          dependsOn,
          origin: 'manual',
        }),
      );
    },
    async 'jobs.list'(filter) {
      const page = ctx.store.listJobs(filter);
      return { total: page.total, items: page.items.map(summarize) };
    },
    async 'jobs.templateNames'() {
      return ctx.store.jobTemplateNames();
    },
    async 'jobs.get'({ id }) {
      return maskJob(mustJob(ctx, id));
    },
    async 'jobs.pull'({ id }) {
      mustJob(ctx, id);
      return ctx.pulls.of(id) ?? null;
    },
    async 'jobs.cancel'({ id }, call) {
      return maskJob(cancelAs(ctx, id, requesterOf(call)) ?? mustJob(ctx, id));
    },
    async 'jobs.retry'({ id }, call) {
      const job = mustJob(ctx, id);
      const by = requesterOf(call);
      if (job.status === 'failed') return maskJob(ctx.jobs.acting(by, [id], () => ctx.scheduler.retry(id)));
      if (job.status === 'cancelled') {
        return maskJob(createJob(ctx, { ...sameTemplate(job), spec: job.spec, origin: 'retry', requestedBy: by, sourceJobId: job.id }));
      }
      throw new AppError('CONFLICT', `only a failed or cancelled job can be retried; this one is ${job.status}`);
    },
    async 'jobs.clone'({ id, overrides, dependsOn }, call) {
      const job = mustJob(ctx, id);
      return maskJob(
        createJob(ctx, {
          ...sameTemplate(job),
          spec: job.spec,
          overrides,
          origin: 'clone',
          ...(dependsOn ? { dependsOn } : {}),
          requestedBy: requesterOf(call),
          sourceJobId: job.id,
        }),
      );
    },
    async 'jobs.reorder'({ id, priority, beforeId }, call) {
      const job = mustJob(ctx, id);
      if (job.status !== 'pending') throw new AppError('CONFLICT', `only a pending job can be moved; this one is ${job.status}`);
      let seq = job.seq;
      if (beforeId) {
        const before = mustJob(ctx, beforeId);
        // Just ahead of `before` among the pending jobs of the same priority.
        const ahead = ctx.store
          .activeJobs()
          .filter((j) => j.status === 'pending' && j.priority === priority && j.seq < before.seq && j.id !== id)
          .reduce((m, j) => Math.max(m, j.seq), before.seq - 1);
        seq = (ahead + before.seq) / 2;
      }
      return maskJob(ctx.jobs.save({ ...job, priority, seq }, { by: requesterOf(call) }));
    },
    async 'jobs.remove'({ ids }) {
      const jobs = ids.map((id) => mustJob(ctx, id));
      const active = jobs.find((j) => !isTerminal(j.status));
      if (active) throw new AppError('CONFLICT', `job ${active.id} is ${active.status}: cancel it before removing it`);
      const removed = ctx.store.removeJobs(ids);
      await Promise.all(ids.map(async (id) => {
        await ctx.logs.removeJob(id);
        await removeJobArtifacts(ctx.dataDir, id);
      }));
      ctx.hub.emit('job.removed', { ids });
      return { removed };
    },
  };
}
