import type { Job } from '../../../shared/job';

/** Priority 1 first, then first come first served. */
export function byQueueOrder(a: Pick<Job, 'priority' | 'seq'>, b: Pick<Job, 'priority' | 'seq'>): number {
  return a.priority - b.priority || a.seq - b.seq;
}

/** Completion indexes still to run: not succeeded and not running now. */
export function indexesToRun(job: Job): number[] {
  const live = new Set(job.attempts.filter((a) => a.status === 'starting' || a.status === 'running').map((a) => a.index));
  const done = new Set(job.succeededIndexes);
  const out: number[] = [];
  for (let i = 0; i < job.spec.completions; i++) if (!done.has(i) && !live.has(i)) out.push(i);
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
