// Pure rules of job-end notices, shared by both shells: which ends are news (each once), and what
// a notice says per the settings. Electron shows them as native notifications and in the tray
// (src/main/electronMain.ts); the browser host as browser notifications; both in the bell's list.
import { describeExit } from './exitCodes';
import { isTerminal, type Job } from './job';
import type { Settings } from './settings';

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

export interface JobNotice {
  title: string;
  body: string;
  jobId: string;
}

/** What to say when a job ends, or nothing (notifications off, a muted success, not ended). */
export function noticeForJob(job: Pick<Job, 'id' | 'status' | 'templateName' | 'exitCode' | 'reason' | 'message'>, settings: Pick<Settings, 'notifications'>): JobNotice | null {
  if (!settings.notifications.enabled) return null;
  if (job.status === 'completed') {
    if (settings.notifications.muteSuccess) return null;
    return { title: `${job.templateName} succeeded`, body: 'Exit code 0', jobId: job.id };
  }
  if (job.status === 'failed') {
    const m = describeExit(job.exitCode, job.reason);
    const code = job.exitCode === null || job.exitCode === undefined ? '' : `exit code ${job.exitCode}, `;
    return {
      title: `${job.templateName} failed`,
      body: `${code}${job.reason ?? 'Error'}: ${m.meaning}${job.message ? `\n${job.message}` : ''}`.slice(0, 240),
      jobId: job.id,
    };
  }
  if (job.status === 'cancelled' && job.reason === 'UpstreamFailed') {
    return { title: `${job.templateName} did not run`, body: 'A job it depends on failed or was cancelled', jobId: job.id };
  }
  return null;
}
