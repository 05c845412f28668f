import type Docker from 'dockerode';
import { iso } from './clock';
import type { Engine } from './engines/registry';
import type { ResumePoint } from './logs';
import { LABEL_ATTEMPT, LABEL_INSTANCE, LABEL_JOB } from './labels';
import type { CoreContext } from './service/context';

/**
 * After a restart: follow again the containers of attempts that were running, collect the exit
 * of those that finished meanwhile, settle attempts whose container is gone, and remove our
 * containers that no job claims. Runs once, before the queue starts.
 */
export async function reconcile(ctx: CoreContext, instanceId: string): Promise<void> {
  const byEngine = new Map<string, Docker.ContainerInfo[]>();
  for (const e of ctx.engines.all()) {
    if (e.info.status !== 'available') continue;
    try {
      byEngine.set(
        e.info.id,
        await e.docker.listContainers({ all: true, filters: { label: [`${LABEL_INSTANCE}=${instanceId}`] } }),
      );
    } catch {
      // The engine went away between the probe and now: its attempts are handled below as lost.
    }
  }
  const claimed = new Set<string>();
  for (const job of ctx.store.activeJobs()) {
    for (const a of job.attempts) {
      if (a.status !== 'starting' && a.status !== 'running') continue;
      const engine = ctx.engines.get(a.engineId);
      const containers = byEngine.get(a.engineId);
      const found = containers?.find(
        (c) => c.Id === a.containerId || (c.Labels[LABEL_JOB] === job.id && c.Labels[LABEL_ATTEMPT] === String(a.number)),
      );
      if (engine && containers && found) {
        claimed.add(found.Id);
        const resume = await ctx.logs.resumePoint(job.id, a.number);
        adopt(ctx, engine, job.id, a.number, found.Id, resume, job.spec.tty, job.spec.keepContainer);
        continue;
      }
      await ctx.scheduler.settle(job.id, a.number, {
        exitCode: null,
        reason: 'EngineLost',
        message: containers
          ? 'the container was gone when Jobdeck started again'
          : `engine ${a.engineId} was unavailable when Jobdeck started again`,
        finishedAt: iso(ctx.clock.now()),
      });
    }
  }
  for (const [engineId, containers] of byEngine) {
    const engine = ctx.engines.get(engineId);
    for (const c of containers) {
      if (claimed.has(c.Id)) continue;
      const job = ctx.store.getJob(c.Labels[LABEL_JOB] ?? '');
      if (job?.spec.keepContainer) continue;
      await engine?.docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined);
    }
  }
}

function adopt(
  ctx: CoreContext,
  engine: Engine,
  jobId: string,
  attempt: number,
  containerId: string,
  resume: ResumePoint | undefined,
  tty: boolean,
  keepContainer: boolean,
): void {
  ctx.scheduler.adopt(jobId, attempt, engine.info.id, (sink) =>
    engine.executor.reattach(
      {
        containerId,
        ...(resume ? { resume } : {}),
        tty,
        keepContainer,
        graceSeconds: ctx.store.settings().stopGraceSeconds,
      },
      sink,
    ),
  );
}
