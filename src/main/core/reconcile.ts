import type Docker from 'dockerode';
import { iso } from './clock';
import type { Attempt } from '../../shared/job';
import { ENGINE_ANSWER_MS, withinDeadline } from './deadline';
import { engineMessage, startFailureExitCode } from './engines/errors';
import type { Engine } from './engines/registry';
import type { AttemptOutcome, ResumeMarks } from './engines/types';
import { LABEL_ATTEMPT, LABEL_INSTANCE, LABEL_JOB, LABEL_STEP } from './labels';
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
        await ourContainers(ctx, e, instanceId),
      );
    } catch {
      // The engine went away (or stopped answering) between the probe and now: its attempts are handled below as lost.
    }
  }
  const claimed = new Set<string>();
  const claimedAttempts = new Set<string>();
  for (const job of ctx.store.activeJobs()) {
    for (const a of job.attempts) {
      if (a.status !== 'starting' && a.status !== 'running') continue;
      const engine = ctx.engines.get(a.engineId);
      const containers = byEngine.get(a.engineId);
      // The main container: an init container or sidecar carries a step label.
      const ofAttempt = (c: Docker.ContainerInfo) => c.Labels[LABEL_JOB] === job.id && c.Labels[LABEL_ATTEMPT] === String(a.number);
      const found = containers?.find((c) => c.Id === a.containerId || (ofAttempt(c) && !c.Labels[LABEL_STEP]));
      if (engine && containers && found) {
        if (found.State === 'created') {
          // The app died between create and start: finish the start, as it was about to.
          try {
            await engine.docker.getContainer(found.Id).start();
          } catch (error) {
            const message = engineMessage(error);
            await ctx.scheduler.settle(job.id, a.number, {
              exitCode: startFailureExitCode(message),
              reason: 'Error',
              message,
              containerId: found.Id,
              finishedAt: iso(ctx.clock.now()),
            });
            continue; // unclaimed: removed below
          }
        }
        claimed.add(found.Id);
        // Its sidecars run on beside it and go when it ends, with the attempt's volumes.
        const sidecars = containers.filter((c) => ofAttempt(c) && c.Labels[LABEL_STEP] && c.State === 'running').map((c) => c.Id);
        for (const id of sidecars) claimed.add(id);
        const volumes = job.spec.volumes?.length ? await attemptVolumes(engine, instanceId, job.id, a.number) : [];
        const pod = { containerIds: sidecars, volumes, ...(a.steps ? { steps: a.steps } : {}) };
        claimedAttempts.add(`${job.id}/${a.number}`);
        const resume = await ctx.logs.prepareResume(job.id, a.number);
        adopt(ctx, engine, job.id, a.number, found.Id, resume, job.spec.tty, job.spec.keepContainer, pod);
        continue;
      }
      if (containers && a.status === 'starting' && !a.containerId) {
        // The app died after writing the attempt and before the engine made its container: the
        // attempt never ran, so it is dropped and the job waits for its turn again.
        ctx.scheduler.forget(job.id, a.number);
        continue;
      }
      await ctx.scheduler.settle(job.id, a.number, goneOutcome(a, Boolean(containers), ctx.clock.now()));
    }
  }
  for (const [engineId, containers] of byEngine) {
    const engine = ctx.engines.get(engineId);
    if (engine) await removeUnclaimed(ctx, engine, containers, (c) => claimed.has(c.Id));
    // Orphan volumes hold nothing anyone waits for: swept beside the start, not before it.
    if (engine) void removeVolumes(engine, instanceId, (job, attempt) => claimedAttempts.has(`${job}/${attempt}`) || ctx.scheduler.isLiveAttempt(job, Number(attempt))).catch(() => undefined);
  }
}

/**
 * This instance's containers on the engine. Bounded as a probe is: an engine that answered its
 * probe and then hangs must not keep the app from starting, nor its queue held for good.
 */
function ourContainers(ctx: CoreContext, engine: Engine, instanceId: string): Promise<Docker.ContainerInfo[]> {
  return withinDeadline(engine.docker.listContainers({ all: true, filters: { label: [`${LABEL_INSTANCE}=${instanceId}`] } }), ENGINE_ANSWER_MS, ctx.clock);
}

/** The emptyDir volumes of one attempt, by its labels. */
async function attemptVolumes(engine: Engine, instanceId: string, jobId: string, attempt: number): Promise<string[]> {
  if (!engine.docker.listVolumes) return [];
  const list = await engine.docker
    .listVolumes({ filters: { label: [`${LABEL_INSTANCE}=${instanceId}`, `${LABEL_JOB}=${jobId}`, `${LABEL_ATTEMPT}=${attempt}`] } })
    .catch(() => ({ Volumes: [] }));
  return (list.Volumes ?? []).map((v) => v.Name);
}

/** Volumes of attempts that no longer run (the app died before it removed them). */
async function removeVolumes(engine: Engine, instanceId: string, claimed: (jobId: string, attempt: string) => boolean): Promise<void> {
  const { listVolumes, getVolume } = engine.docker;
  if (!listVolumes || !getVolume) return;
  const list = await listVolumes.call(engine.docker, { filters: { label: [`${LABEL_INSTANCE}=${instanceId}`] } }).catch(() => ({ Volumes: [] }));
  for (const v of list.Volumes ?? []) {
    if (claimed(v.Labels?.[LABEL_JOB] ?? '', v.Labels?.[LABEL_ATTEMPT] ?? '')) continue;
    await getVolume.call(engine.docker, v.Name).remove().catch(() => undefined);
  }
}

/**
 * When an engine comes back after an outage: its containers of attempts that ended as
 * EngineLost are no one's any more (Docker killed them, Podman's may still run) and go, so a
 * retry never runs beside its lost attempt. Containers of live attempts stay.
 */
export async function sweepAfterOutage(ctx: CoreContext, instanceId: string, engine: Engine): Promise<number | undefined> {
  let containers: Docker.ContainerInfo[];
  try {
    containers = await ourContainers(ctx, engine, instanceId);
  } catch {
    return undefined; // could not look (or no answer): tried again at the next probe
  }
  return removeUnclaimed(ctx, engine, containers, (c) =>
    ctx.scheduler.isLiveAttempt(c.Labels[LABEL_JOB] ?? '', Number(c.Labels[LABEL_ATTEMPT])),
  );
}

async function removeUnclaimed(
  ctx: CoreContext,
  engine: Engine,
  containers: Docker.ContainerInfo[],
  claimed: (c: Docker.ContainerInfo) => boolean,
): Promise<number> {
  let removed = 0;
  for (const c of containers) {
    if (claimed(c)) continue;
    const job = ctx.store.getJob(c.Labels[LABEL_JOB] ?? '');
    if (job?.spec.keepContainer) continue;
    await engine.docker
      .getContainer(c.Id)
      .remove({ force: true, v: true })
      .then(() => removed++)
      .catch(() => undefined);
  }
  return removed;
}

/**
 * An attempt whose container is gone at start-up. If its exit was recorded before the container
 * was removed (the app died in between), that exit is the truth; otherwise the engine lost it.
 */
export function goneOutcome(a: Attempt, engineAnswered: boolean, nowMs: number): AttemptOutcome {
  if (typeof a.exitCode === 'number' && a.finishedAt) {
    return {
      exitCode: a.exitCode,
      reason: a.exitCode === 0 ? 'Completed' : 'Error',
      ...(a.containerId ? { containerId: a.containerId } : {}),
      finishedAt: a.finishedAt,
    };
  }
  return {
    exitCode: null,
    reason: 'EngineLost',
    message: engineAnswered
      ? 'the container was gone when Jobdeck started again'
      : `engine ${a.engineId} was unavailable when Jobdeck started again`,
    finishedAt: iso(nowMs),
  };
}

function adopt(
  ctx: CoreContext,
  engine: Engine,
  jobId: string,
  attempt: number,
  containerId: string,
  resume: ResumeMarks,
  tty: boolean,
  keepContainer: boolean,
  pod: { containerIds: string[]; volumes: string[] },
): void {
  ctx.scheduler.adopt(jobId, attempt, engine.info.id, (sink) =>
    engine.executor.reattach(
      {
        containerId,
        resume,
        tty,
        keepContainer,
        graceSeconds: ctx.store.settings().stopGraceSeconds,
        ...(pod.containerIds.length || pod.volumes.length ? { pod } : {}),
      },
      sink,
    ),
  );
}
