import type { Requester } from '../../../shared/audit';
import type { Job } from '../../../shared/job';
import type { JobStore } from './jobStore';

/** What a saved change sets off beyond the store: given by the composition root. */
export interface JobRepositoryPorts {
  /** Tell every client (the root masks secret values and emits job.updated). */
  announce(job: Job): void;
  /** A change may let a job start or end: look at the queue again (Scheduler.pump). */
  wake(): void;
  /** The audit trail: every saved change, from the job as it was (undefined: new) to the job as saved. */
  saved?(old: Job | undefined, next: Job, by: Requester | undefined): void;
}

export interface SaveOptions {
  /** Persist without an event: a log's size while it grows, not news to the views. */
  quiet?: boolean;
  /** false for the scheduler's own changes: it looks at the queue again itself. */
  wake?: boolean;
  /** Who asked for the change (the audit trail); without it, the core's own doing. */
  by?: Requester;
}

/**
 * The one writer of jobs. A change goes through save() (or update(), a function of the stored
 * job), which persists it, announces it and wakes the scheduler; what it reads back is frozen, so
 * no one changes a stored job in place (see frozen.ts).
 */
export class JobRepository {
  /** Set by acting(): the requester of the saves of these jobs while a handler's call runs. */
  private actor: { by: Requester; ids: ReadonlySet<string> } | undefined;

  constructor(
    private readonly store: JobStore,
    private readonly ports: JobRepositoryPorts,
  ) {}

  get(id: string): Job | undefined {
    return this.store.getJob(id);
  }

  active(): Job[] {
    return this.store.activeJobs();
  }

  /** Insert or replace; returns the job as stored (frozen). */
  save(job: Job, opts: SaveOptions = {}): Job {
    const old = this.ports.saved ? this.store.getJob(job.id) : undefined;
    const saved = this.store.putJob(job);
    this.ports.saved?.(old, saved, opts.by ?? (this.actor?.ids.has(job.id) ? this.actor.by : undefined));
    if (!opts.quiet) this.ports.announce(saved);
    if (opts.wake !== false) this.ports.wake();
    return saved;
  }

  /** The stored job changed by `change` (a new object made from the frozen one) and saved. */
  update(id: string, change: (job: Job) => Job, opts: SaveOptions = {}): Job | undefined {
    const job = this.store.getJob(id);
    return job && this.save(change(job), opts);
  }

  /**
   * Run `fn` (synchronous: a scheduler call such as retry or cancel) with the saves of `ids` made
   * on `by`'s behalf; the saves of other jobs it sets off (a downstream job cancelled) stay the core's.
   */
  acting<T>(by: Requester, ids: readonly string[], fn: () => T): T {
    const outer = this.actor;
    this.actor = { by, ids: new Set(ids) };
    try {
      return fn();
    } finally {
      this.actor = outer;
    }
  }

  /** Resolves when what was saved is on disk (or its failure reported). */
  persist(): Promise<void> {
    return this.store.persist();
  }

  /**
   * The scheduler's port (scheduler/types.ts JobRepo, matched by shape: the store does not import
   * the scheduler). Its changes do not wake it: it looks at the queue again itself.
   */
  schedulerPort() {
    return {
      getJob: (id: string) => this.get(id),
      activeJobs: () => this.active(),
      save: (job: Job) => void this.save(job, { wake: false }),
      touch: (job: Job) => void this.save(job, { wake: false, quiet: true }),
      persist: () => this.persist(),
    };
  }
}
