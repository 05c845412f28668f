import type { QueueState } from '../../../shared/ipc';
import type { EngineInfoKind } from '../../../shared/engine';
import type { Job } from '../../../shared/job';
import type { TemplateSpec } from '../../../shared/template';
import type { EngineSlot } from './types';
import { completionsOf, isWorkQueue } from '../../../shared/jobPolicies';

/** Priority 1 first, then first come first served. */
export function byQueueOrder(a: Pick<Job, 'priority' | 'seq'>, b: Pick<Job, 'priority' | 'seq'>): number {
  return a.priority - b.priority || a.seq - b.seq;
}

/**
 * Completion indexes still to run: not succeeded, not failed for good, not running now; never more
 * than the completions still needed. A work queue runs `parallelism` slots and starts none after a success.
 */
export function indexesToRun(job: Job, now = Infinity): number[] {
  const live = new Set(job.attempts.filter((a) => a.status === 'starting' || a.status === 'running').map((a) => a.index));
  const done = new Set([...job.succeededIndexes, ...(job.failedIndexes ?? [])]);
  const workQueue = isWorkQueue(job.spec);
  if (workQueue && job.succeededIndexes.length > 0) return [];
  const slots = workQueue ? job.spec.parallelism : completionsOf(job.spec);
  const out: number[] = [];
  for (let i = 0; i < slots; i++) if (!done.has(i) && !live.has(i) && !(heldUntil(job, i) > now)) out.push(i);
  return out;
}

/** What of `job` may start now (at most parallelism at once), and when an index held by its backoff may start. */
export function startable(job: Job, liveCount: number, now: number): { indexes: number[]; wake: number } {
  return { indexes: indexesToRun(job, now).slice(0, Math.max(0, job.spec.parallelism - liveCount)), wake: nextIndexWake(job, now) };
}

/** When index `i` may start again after its own backoff (backoffLimitPerIndex); 0 when it is not held. */
export function heldUntil(job: Pick<Job, 'indexNotBefore'>, i: number): number {
  const at = job.indexNotBefore?.[String(i)];
  return at === undefined ? 0 : Date.parse(at);
}

/** The earliest end of an index's backoff still ahead of `now` (Infinity: none). */
export function nextIndexWake(job: Pick<Job, 'indexNotBefore'>, now: number): number {
  return Object.values(job.indexNotBefore ?? {}).reduce((min, at) => {
    const t = Date.parse(at);
    return t > now ? Math.min(min, t) : min;
  }, Infinity);
}

export type DependencyState = 'ready' | 'waiting' | 'upstream-failed';

export function dependencyState(job: Job, lookup: (id: string) => Job | undefined): DependencyState {
  let waiting = false;
  for (const id of job.dependsOn) {
    const dep = lookup(id);
    if (!dep || dep.status === 'cancelled' || dep.status === 'failed') {
      // `failed` is terminal unless it is on its way back to pending, which happens in one step.
      return 'upstream-failed';
    }
    if (dep.status !== 'completed') waiting = true;
  }
  return waiting ? 'waiting' : 'ready';
}

/**
 * The engine an attempt starts on: the least busy usable one under its limit. Else what the job
 * waits for: the engine it names when none is available ('' when they are only all busy).
 */
export function pickEngine(spec: Pick<TemplateSpec, 'engine' | 'engineId'>, engines: EngineSlot[], running: (engineId: string) => number): EngineSlot | string {
  const usable = usableEngines(spec, engines);
  if (usable.length === 0) return engineLabel(spec);
  const free = usable.filter((e) => e.limit === undefined || running(e.id) < e.limit).sort((a, b) => running(a.id) - running(b.id))[0];
  return free ?? '';
}

/** What the engine rules read of an engine. */
/** aliases: other ids an engineId may name it by ('kubernetes': the chosen Kubernetes context). */
export type EngineView = { id: string; kind: EngineInfoKind; available: boolean; limit?: number; aliases?: string[]; error?: string };

/** The engines a job may start on now: its one engine by id, else every available one of its kind. */
export function usableEngines<E extends EngineView>(spec: Pick<TemplateSpec, 'engine' | 'engineId'>, engines: E[]): E[] {
  const { engine, engineId } = spec;
  // 'any' means any local or remote container engine: a cluster runs a job only when named.
  return engines.filter((e) => e.available && (engineId ? e.id === engineId || Boolean(e.aliases?.includes(engineId)) : engine === 'any' ? e.kind !== 'kubernetes' : e.kind === engine));
}

/** What a job waits for when none of its engines is available, in the Queue's words. */
export function engineLabel(spec: Pick<TemplateSpec, 'engine' | 'engineId'>): string {
  if (spec.engineId) return `engine ${spec.engineId}`;
  return spec.engine === 'any' ? 'any engine' : spec.engine;
}


/** The queue's counts as the Queue view's header shows them. */
export function queueStateOf(active: Job[], paused: boolean, concurrency: number): QueueState {
  return {
    paused,
    running: active.filter((j) => j.status === 'running').length,
    pending: active.filter((j) => j.status === 'pending').length,
    concurrency,
  };
}
