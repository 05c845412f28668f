import type { Clock } from '../clock';

/**
 * One timer per job for its timeoutSeconds, counted from the run's start (job.startedAt), as
 * Kubernetes counts activeDeadlineSeconds from the Job's start: the automatic retries of a run
 * share it; a manual retry is a new run (the scheduler clears startedAt) and so gets a new one.
 */
export class Deadlines {
  private timers = new Map<string, unknown>();

  constructor(private readonly clock: Clock) {}

  /** Arm once per run; a job already armed keeps its timer (the retries of one run). */
  arm(jobId: string, startedAt: string | undefined, seconds: number | undefined, onDue: () => void): void {
    if (!seconds || !startedAt || this.timers.has(jobId)) return;
    const due = Date.parse(startedAt) + seconds * 1000 - this.clock.now();
    const handle = this.clock.setTimeout(() => {
      this.timers.delete(jobId);
      onDue();
    }, Math.max(0, due));
    this.timers.set(jobId, handle);
  }

  disarm(jobId: string): void {
    const h = this.timers.get(jobId);
    if (h !== undefined) this.clock.clearTimeout(h);
    this.timers.delete(jobId);
  }

  close(): void {
    for (const h of this.timers.values()) this.clock.clearTimeout(h);
    this.timers.clear();
  }
}
