import { AppError } from '../../../shared/errors';
import type { Handlers } from '../../../shared/ipc';
import { requesterOf } from '../audit/audit';
import type { CoreContext } from './context';
import { assertNoCycle, downstreamIndex, jobGraph, templateChain } from './dependencies';
import { assertUpstream, maskJob } from './jobFactory';
import { mustJob } from './jobHandlers';
import { mustTemplate } from './templateHandlers';

type DependencyHandlers = Pick<Handlers, 'jobs.setDependencies' | 'jobs.graph' | 'queue.waits' | 'templates.chain'>;

/** Dependencies made after the fact, the graphs they draw, and why pending jobs wait. */
export function dependencyHandlers(ctx: CoreContext): DependencyHandlers {
  const lookup = (id: string) => ctx.store.getJob(id);
  return {
    async 'jobs.setDependencies'({ id, dependsOn }, call) {
      const job = mustJob(ctx, id);
      if (job.status !== 'pending' || job.attempts.length > 0) {
        throw new AppError('CONFLICT', `only a pending job that has not started can change what it runs after; this one is ${job.status}`);
      }
      const deps = [...new Set(dependsOn)];
      assertUpstream(ctx, deps);
      assertNoCycle(id, deps, lookup, job);
      return maskJob(ctx.jobs.save({ ...job, dependsOn: deps }, { by: requesterOf(call) }));
    },
    async 'jobs.graph'({ id }) {
      mustJob(ctx, id);
      return jobGraph(id, lookup, downstreamIndex(ctx.store.allJobs()));
    },
    async 'queue.waits'() {
      return ctx.scheduler.waits();
    },
    async 'templates.chain'({ id }) {
      mustTemplate(ctx, id);
      return templateChain(id, ctx.store.allJobs(), lookup, (t) => ctx.store.getTemplate(t)?.name);
    },
  };
}
