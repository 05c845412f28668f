// Kubernetes ttlSecondsAfterFinished: a finished job (its record, logs and artifacts) is removed
// that many seconds after it ended, unless the user pinned it. One timer, for the earliest due.
import { isTerminal, type Job } from '../../../shared/job';
import type { Clock } from '../clock';

export interface TtlDeps {
  clock: Clock;
  jobs(): Iterable<Job>;
  /** Remove the jobs and everything they left (and announce it). */
  remove(ids: string[]): Promise<void>;
  onError(error: unknown): void;
}

/** When `job` is due for removal; undefined when it is kept. */
export function ttlDue(job: Job): number | undefined {
  const ttl = job.spec.ttlSecondsAfterFinished;
  if (ttl === undefined || job.pinned || !isTerminal(job.status) || !job.finishedAt) return undefined;
  return Date.parse(job.finishedAt) + ttl * 1000;
}

export class TtlReaper {
  private timer: { at: number; handle: unknown } | undefined;
  private closed = false;

  constructor(private readonly d: TtlDeps) {}

  /** A job changed: look again when it is due before the timer (cheap otherwise). */
  noteJob(job: Job): void {
    const at = ttlDue(job);
    if (at !== undefined && (!this.timer || at < this.timer.at)) this.arm(at);
  }

  /** Remove what is due now and arm the timer for the next one. */
  sweep(): void {
    if (this.closed) return;
    const now = this.d.clock.now();
    const due: string[] = [];
    let next = Infinity;
    for (const job of this.d.jobs()) {
      const at = ttlDue(job);
      if (at === undefined) continue;
      if (at <= now) due.push(job.id);
      else next = Math.min(next, at);
    }
    if (this.timer) this.d.clock.clearTimeout(this.timer.handle);
    this.timer = undefined;
    if (Number.isFinite(next)) this.arm(next);
    if (due.length) void this.d.remove(due).catch((e: unknown) => this.d.onError(e));
  }

  private arm(at: number): void {
    if (this.closed) return;
    if (this.timer) this.d.clock.clearTimeout(this.timer.handle);
    const handle = this.d.clock.setTimeout(() => {
      this.timer = undefined;
      this.sweep();
    }, Math.max(0, at - this.d.clock.now()));
    this.timer = { at, handle };
  }

  close(): void {
    this.closed = true;
    if (this.timer) this.d.clock.clearTimeout(this.timer.handle);
  }
}
