import type { Handlers } from '../../../shared/ipc';
import type { Job } from '../../../shared/job';
import { requesterOf } from '../audit/audit';
import type { CoreContext } from './context';
import { maskJob } from './jobFactory';
import { mustJob } from './jobHandlers';

type JobControlHandlers = Pick<Handlers, 'jobs.suspend' | 'jobs.resume' | 'jobs.pin'>;

/** Per-job suspend/resume (Kubernetes spec.suspend) and pinning (kept past its TTL). */
export function jobControlHandlers(ctx: CoreContext): JobControlHandlers {
  return {
    async 'jobs.suspend'({ id }, call) {
      mustJob(ctx, id);
      return maskJob(ctx.jobs.acting(requesterOf(call), [id], () => ctx.scheduler.suspend(id)));
    },
    async 'jobs.resume'({ id }, call) {
      mustJob(ctx, id);
      return maskJob(ctx.jobs.acting(requesterOf(call), [id], () => ctx.scheduler.resume(id)));
    },
    async 'jobs.pin'({ id, pinned }, call) {
      const job = mustJob(ctx, id);
      const next: Job = { ...job, pinned };
      if (!pinned) delete next.pinned;
      return maskJob(ctx.jobs.save(next, { by: requesterOf(call) }));
    },
  };
}
