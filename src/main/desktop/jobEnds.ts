// Pure policy for the Electron shell (no `electron` import): which job updates are news.
import { isTerminal, type Job } from '../../shared/job';

export type EndedJob = Pick<Job, 'id' | 'status' | 'finishedAt'>;

/**
 * Remembers the job ends already announced, so each end notifies (and counts in the tray) once.
 * The core sends job.updated again for an ended job (a late attempt of a parallel job, a reload
 * of the store), and those must stay quiet. The key is job id + terminal status + finishedAt:
 * a failed job retried by hand (failed → pending, same id) that ends again is news again.
 */
export class JobEndLedger {
  private readonly seen = new Map<string, true>();
  private readonly since: number | undefined;
  private readonly cap: number;

  /** since: ends older than this (ms) happened before the shell watched: never announced. */
  constructor(opts: { since?: number; cap?: number } = {}) {
    this.since = opts.since;
    this.cap = opts.cap ?? 10_000;
  }

  /** A job.updated event: true exactly once per end that happened while the shell was running. */
  observe(job: EndedJob): boolean {
    if (!this.remember(job)) return false;
    if (this.since === undefined || !job.finishedAt) return true;
    const at = Date.parse(job.finishedAt);
    return Number.isNaN(at) || at >= this.since;
  }

  /** An end known from a snapshot: recorded without being announced; true if it was not known. */
  remember(job: EndedJob): boolean {
    if (!isTerminal(job.status)) return false;
    const key = `${job.id}\u0000${job.status}\u0000${job.finishedAt ?? ''}`;
    if (this.seen.has(key)) return false;
    this.seen.set(key, true);
    // Bounded: the oldest ends are forgotten first (a re-send that old is not worth the memory).
    if (this.seen.size > this.cap) this.seen.delete(this.seen.keys().next().value!);
    return true;
  }
}
