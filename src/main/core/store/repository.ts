import type { Job } from '../../../shared/job';
import type { JobStore } from './jobStore';

/** What a saved change sets off beyond the store: given by the composition root. */
export interface JobRepositoryPorts {
  /** Tell every client (the root masks secret values and emits job.updated). */
  announce(job: Job): void;
  /** A change may let a job start or end: look at the queue again (Scheduler.pump). */
  wake(): void;
}

export interface SaveOptions {
  /** Persist without an event: a log's size while it grows, not news to the views. */
  quiet?: boolean;
  /** false for the scheduler's own changes: it looks at the queue again itself. */
  wake?: boolean;
}

/**
 * The one writer of jobs. A change goes through save() (or update(), a function of the stored
 * job), which persists it, announces it and wakes the scheduler; what it reads back is frozen, so
 * no one changes a stored job in place (see frozen.ts).
 */
export class JobRepository {
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
    const saved = this.store.putJob(job);
    if (!opts.quiet) this.ports.announce(saved);
    if (opts.wake !== false) this.ports.wake();
    return saved;
  }

  /** The stored job changed by `change` (a new object made from the frozen one) and saved. */
  update(id: string, change: (job: Job) => Job, opts: SaveOptions = {}): Job | undefined {
    const job = this.store.getJob(id);
    return job && this.save(change(job), opts);
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
