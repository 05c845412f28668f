import type { LogStream } from '../../../shared/ipc';
import type { Job } from '../../../shared/job';
import type { RunningAttempt } from '../engines/types';
import { maskedLog } from '../logs/mask';
import { withAttempt } from './outcome';
import type { AttemptLog, SchedulerDeps } from './types';

export interface Live {
  handle?: RunningAttempt;
  log: AttemptLog;
  engineId: string;
  lastTouch: number;
}

/**
 * The attempts that have a container now (per job, by attempt number), and the path their
 * output takes: into the attempt's log, secrets masked on the way in, and out to subscribers.
 */
export class LiveAttempts {
  private readonly byJob = new Map<string, Map<number, Live>>();
  /** Attempts whose end is being written (their log closing): not settled yet, so still live. */
  private readonly closing = new Map<string, number>();
  /**
   * Per engine, ended attempts whose containers are still being removed: their jobs may end, but
   * their slots stay taken, so the next job never starts beside a container that is still going.
   */
  private readonly removing = new Map<string, number>();

  constructor(
    private readonly d: Pick<SchedulerDeps, 'repo' | 'clock' | 'openLog' | 'secrets' | 'onLog' | 'onLiveChange'>,
    /** A slot held for a removal is free again. */
    private readonly onFreed: () => void,
  ) {}

  /** Register an attempt and open its log (a job without secrets gets the log itself). */
  open(job: Job | string, attempt: number, engineId: string): Live {
    const jobId = typeof job === 'string' ? job : job.id;
    const raw = this.d.openLog(jobId, attempt);
    const log = typeof job === 'string' ? raw : maskedLog(raw, this.d.secrets?.(job) ?? []);
    const live: Live = { log, engineId, lastTouch: 0 };
    let attempts = this.byJob.get(jobId);
    if (!attempts) this.byJob.set(jobId, (attempts = new Map()));
    attempts.set(attempt, live);
    this.d.onLiveChange?.();
    return live;
  }

  /**
   * Attempts running (what a user is told is running), or with `slots`, those that hold an engine
   * slot: the running ones and those whose containers are still being removed.
   */
  count(engineId?: string, slots = false): number {
    let n = 0;
    for (const l of this.all()) if (!engineId || l.engineId === engineId) n++;
    if (slots) for (const [id, k] of this.removing) if (!engineId || id === engineId) n += k;
    return n;
  }

  countOf(jobId: string): number {
    return this.byJob.get(jobId)?.size ?? 0;
  }

  has(jobId: string, attempt: number): boolean {
    return this.byJob.get(jobId)?.has(attempt) ?? false;
  }

  /** An attempt of the job runs, or its end is still being written: the job must not end yet. */
  isLive(jobId: string): boolean {
    return this.countOf(jobId) > 0 || (this.closing.get(jobId) ?? 0) > 0;
  }

  of(jobId: string): Iterable<Live> {
    return this.byJob.get(jobId)?.values() ?? [];
  }

  *all(): Generator<Live> {
    for (const attempts of this.byJob.values()) yield* attempts.values();
  }

  /** A chunk of the attempt's output (time already ISO). */
  output(jobId: string, attempt: number, stream: LogStream, data: string, t: string): void {
    const live = this.byJob.get(jobId)?.get(attempt);
    if (!live) return;
    const chunk = live.log.append(stream, data, t);
    if (chunk) this.d.onLog(jobId, chunk);
    // The log's size for the views: saved (without an event) at most once a second, as a new
    // record (stored jobs are frozen); the attempt's end records the final size.
    const now = this.d.clock.now();
    if (now - live.lastTouch < 1000) return;
    const job = this.d.repo.getJob(jobId);
    if (!job?.attempts.some((x) => x.number === attempt)) return;
    live.lastTouch = now;
    this.d.repo.touch(withAttempt(job, attempt, { logBytes: live.log.bytes, logTruncated: live.log.truncated }));
  }

  /** The attempt's log is behind its writes: resolves when it has caught up (undefined: it has not). */
  backlog(jobId: string, attempt: number): Promise<void> | undefined {
    return this.byJob.get(jobId)?.get(attempt)?.log.backlog?.();
  }

  /**
   * The attempt is over: forget it, write and announce what the masker held back, close its log.
   * Its engine slot stays taken until `removed` (its container's removal) settles.
   */
  async end(jobId: string, attempt: number, removed?: Promise<void>): Promise<Live | undefined> {
    const attempts = this.byJob.get(jobId);
    const live = attempts?.get(attempt);
    attempts?.delete(attempt);
    if (attempts?.size === 0) this.byJob.delete(jobId);
    if (!live) return undefined;
    if (removed) this.holdSlot(live.engineId, removed);
    this.d.onLiveChange?.();
    // A held-back possible start of a secret is plain text after all.
    for (const chunk of live.log.end?.(new Date(this.d.clock.now()).toISOString()) ?? []) this.d.onLog(jobId, chunk);
    // Until its log is closed and its outcome saved, a sibling's end must not end the job without it.
    this.closing.set(jobId, (this.closing.get(jobId) ?? 0) + 1);
    try {
      await live.log.close().catch(() => undefined);
    } finally {
      const n = (this.closing.get(jobId) ?? 1) - 1;
      if (n > 0) this.closing.set(jobId, n);
      else this.closing.delete(jobId);
    }
    return live;
  }

  private holdSlot(engineId: string, removed: Promise<void>): void {
    this.removing.set(engineId, (this.removing.get(engineId) ?? 0) + 1);
    void removed
      .catch(() => undefined)
      .then(() => {
        const n = (this.removing.get(engineId) ?? 1) - 1;
        if (n > 0) this.removing.set(engineId, n);
        else this.removing.delete(engineId);
        this.d.onLiveChange?.();
        this.onFreed();
      });
  }
}
