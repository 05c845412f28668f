import type { Job } from '../../../shared/job';
import type { EngineChoice } from '../../../shared/template';
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
export function indexesToRun(job: Job): number[] {
  const live = new Set(job.attempts.filter((a) => a.status === 'starting' || a.status === 'running').map((a) => a.index));
  const done = new Set([...job.succeededIndexes, ...(job.failedIndexes ?? [])]);
  const workQueue = isWorkQueue(job.spec);
  if (workQueue && job.succeededIndexes.length > 0) return [];
  const slots = workQueue ? job.spec.parallelism : completionsOf(job.spec);
  const out: number[] = [];
  for (let i = 0; i < slots; i++) if (!done.has(i) && !live.has(i)) out.push(i);
  return out;
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
export function pickEngine(choice: EngineChoice, engines: EngineSlot[], running: (engineId: string) => number): EngineSlot | string {
  const usable = engines.filter((e) => (choice === 'any' || e.kind === choice) && e.available);
  if (usable.length === 0) return choice === 'any' ? 'any engine' : choice;
  const free = usable.filter((e) => e.limit === undefined || running(e.id) < e.limit).sort((a, b) => running(a.id) - running(b.id))[0];
  return free ?? '';
}
