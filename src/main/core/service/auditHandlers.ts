import type { Handlers } from '../../../shared/ipc';
import { jobReport, logTails } from '../audit/report';
import type { CoreContext } from './context';
import { maskJob } from './jobFactory';
import { mustJob } from './jobHandlers';

type AuditHandlers = Pick<Handlers, 'jobs.events' | 'jobs.report'>;

/** A job's timeline and its report: what the job page and `jobdeck show --events` / `report` read. */
export function auditHandlers(ctx: CoreContext): AuditHandlers {
  return {
    async 'jobs.events'({ id }) {
      mustJob(ctx, id);
      return ctx.audit.events(id);
    },
    async 'jobs.report'({ id }) {
      const job = maskJob(mustJob(ctx, id));
      const last = job.attempts[job.attempts.length - 1];
      const engine = last && ctx.engines.get(last.engineId)?.info;
      const [events, tails] = await Promise.all([ctx.audit.events(id), logTails(last && ctx.logs.file(id, last.number))]);
      return {
        markdown: jobReport({
          job,
          events,
          tails,
          engine: engine ? { id: engine.id, kind: engine.kind, version: engine.version } : undefined,
          templateNow: job.templateId ? ctx.store.getTemplate(job.templateId)?.updatedAt : undefined,
        }),
      };
    },
  };
}
