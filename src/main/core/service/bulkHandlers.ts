import { bulkSummary, type BulkAction, type BulkOutcome, type JobSelection } from '../../../shared/bulk';
import { AppError } from '../../../shared/errors';
import type { Handlers } from '../../../shared/ipc';
import { isTerminal, type Job } from '../../../shared/job';
import { exportFilename, jobsCsv } from '../../../shared/jobExport';
import { previewRetention, removeJobsAndFiles, type RetentionRule } from '../retention';
import type { Requester } from '../../../shared/audit';
import { requesterOf } from '../audit/audit';
import type { CoreContext } from './context';
import { createJob, maskJob } from './jobFactory';
import { cancelAs } from './jobHandlers';

type BulkHandlers = Pick<Handlers, 'jobs.bulk' | 'jobs.export' | 'retention.preview'>;

/** Most jobs one filter selection acts on: beyond it the user narrows the filter first. */
export const MAX_SELECTION = 100_000;

/** The jobs a selection names: ids (unknown ones reported, not thrown), or every match of the filter. */
export function resolveSelection(ctx: CoreContext, sel: JobSelection): { jobs: Job[]; missing: string[] } {
  if ('ids' in sel) {
    const jobs: Job[] = [];
    const missing: string[] = [];
    for (const id of new Set(sel.ids)) {
      const j = ctx.store.getJob(id);
      if (j) jobs.push(j);
      else missing.push(id);
    }
    return { jobs, missing };
  }
  const page = ctx.store.listJobs({ ...sel.filter, sort: 'createdAt', order: 'desc', offset: 0, limit: MAX_SELECTION + 1 });
  if (page.total > MAX_SELECTION) {
    throw new AppError('VALIDATION', `the filter matches ${page.total.toLocaleString('en-US')} jobs; narrow it to at most ${MAX_SELECTION.toLocaleString('en-US')}`);
  }
  return { jobs: page.items, missing: [] };
}

const sameTemplate = (job: Job) => ({ ...(job.templateId ? { templateId: job.templateId } : {}), templateName: job.templateName });

/** One job's part of a bulk action (all but remove, which goes in one store change). */
function actOn(ctx: CoreContext, action: Exclude<BulkAction, 'remove'>, job: Job, by: Requester): BulkOutcome {
  const skip = (reason: string): BulkOutcome => ({ id: job.id, outcome: 'skipped', reason });
  switch (action) {
    case 'cancel':
      if (isTerminal(job.status)) return skip('already finished');
      cancelAs(ctx, job.id, by);
      return { id: job.id, outcome: 'done' };
    case 'retry':
      if (job.status === 'failed') return { id: job.id, outcome: 'done', newId: ctx.jobs.acting(by, [job.id], () => ctx.scheduler.retry(job.id)).id };
      if (job.status === 'cancelled') {
        return { id: job.id, outcome: 'done', newId: createJob(ctx, { ...sameTemplate(job), spec: job.spec, origin: 'retry', requestedBy: by, sourceJobId: job.id }).id };
      }
      return skip(job.status === 'completed' ? 'completed (nothing to retry)' : 'not finished yet');
    case 'clone':
      return { id: job.id, outcome: 'done', newId: createJob(ctx, { ...sameTemplate(job), spec: job.spec, origin: 'clone', requestedBy: by, sourceJobId: job.id }).id };
  }
}

/** A clean-up rule from the contract: its age counted from `asOf` (a preview's time) or now. */
export function cleanupRule(ctx: CoreContext, r: { olderThanDays: number; statuses: Job['status'][]; asOf?: string | undefined }): RetentionRule {
  return { olderThanDays: r.olderThanDays, statuses: r.statuses, now: new Date(r.asOf ? Date.parse(r.asOf) : ctx.clock.now()) };
}

export function bulkHandlers(ctx: CoreContext): BulkHandlers {
  return {
    async 'jobs.bulk'({ action, selection }, call) {
      const by = requesterOf(call);
      const { jobs, missing } = resolveSelection(ctx, selection);
      const outcomes: BulkOutcome[] = missing.map((id) => ({ id, outcome: 'skipped', reason: 'no longer there' }));
      if (action === 'remove') {
        const needed = new Set(ctx.store.activeJobs().flatMap((j) => j.dependsOn));
        const doomed: string[] = [];
        for (const j of jobs) {
          if (!isTerminal(j.status)) outcomes.push({ id: j.id, outcome: 'skipped', reason: 'still pending or running (cancel first)' });
          else if (needed.has(j.id)) outcomes.push({ id: j.id, outcome: 'skipped', reason: 'a waiting job depends on it' });
          else {
            doomed.push(j.id);
            outcomes.push({ id: j.id, outcome: 'done' });
          }
        }
        await removeJobsAndFiles(ctx.store, ctx.logs, ctx.dataDir, doomed);
        if (doomed.length) ctx.hub.emit('job.removed', { ids: doomed });
      } else {
        for (const j of jobs) {
          try {
            outcomes.push(actOn(ctx, action, j, by));
          } catch (error) {
            // One job that cannot be acted on (a limit the host refuses) never stops the rest.
            outcomes.push({ id: j.id, outcome: 'failed', reason: error instanceof Error ? error.message : String(error) });
          }
        }
      }
      const count = (k: BulkOutcome['outcome']) => outcomes.filter((o) => o.outcome === k).length;
      return {
        action,
        matched: outcomes.length,
        done: count('done'),
        skipped: count('skipped'),
        failed: count('failed'),
        outcomes,
        summary: bulkSummary(action, outcomes),
      };
    },
    async 'jobs.export'({ selection, format }) {
      const { jobs } = resolveSelection(ctx, selection);
      // Secrets leave masked, as everywhere outside main.
      const masked = jobs.map(maskJob);
      const content = format === 'csv' ? jobsCsv(masked) : `${JSON.stringify(masked, null, 2)}\n`;
      return { filename: exportFilename(format, new Date(ctx.clock.now())), content, count: jobs.length };
    },
    async 'retention.preview'(args) {
      return previewRetention(ctx.store, cleanupRule(ctx, args));
    },
  };
}
