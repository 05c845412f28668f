import type { ImageProgress, LiveLogChunk, QueueState } from '../../../shared/ipc';
import type { EngineInfoKind } from '../../../shared/engine';
import type { Job } from '../../../shared/job';
import type { Settings } from '../../../shared/settings';
import type { Clock } from '../clock';
import type { AttemptRequest, Executor } from '../engines/types';
import type { AttemptLog } from '../logs/attemptLog';

// The log writer is the logs module's; the scheduler only names it (logs never import the scheduler).
export type { AttemptLog };

/** The jobs the scheduler reads and writes; the store in the app, a Map in unit tests. */
export interface JobRepo {
  getJob(id: string): Job | undefined;
  activeJobs(): Job[];
  /** Persist and announce. */
  save(job: Job): void;
  /** Persist without an event (log progress stamps). */
  touch(job: Job): void;
  /** Resolves when what was saved is on disk (or its failure reported). */
  persist?(): Promise<void>;
}

export interface EngineSlot {
  id: string;
  kind: EngineInfoKind;
  available: boolean;
  /** Per-engine limit; undefined = only the global one. */
  limit?: number;
  /** Other ids an engineId may name it by ('kubernetes': the chosen Kubernetes context). */
  aliases?: string[];
  /** Why it is unavailable (its last probe), for the queue's wait reason. */
  error?: string;
  executor: Executor;
}

export interface SchedulerDeps {
  clock: Clock;
  repo: JobRepo;
  settings(): Settings;
  engines(): EngineSlot[];
  /** Env for the container (secrets decrypted) and labels. */
  prepare(job: Job, attempt: number, index: number): Pick<AttemptRequest, 'env' | 'labels'>;
  openLog(jobId: string, attempt: number): AttemptLog;
  /** The job's secret values, decrypted: masked in its output before it is stored or shown. */
  secrets?(job: Job): string[];
  onLog(jobId: string, chunk: LiveLogChunk): void;
  onEngineLost(engineId: string, message: string): void;
  onQueueState(state: QueueState): void;
  /** An attempt began or ended: the per-engine running counts (runningAttempts) changed. */
  onLiveChange?(): void;
  /** An attempt's image is being pulled (at most one event per PULL_EVERY_MS, and every new status). */
  onImageProgress?(progress: ImageProgress): void;
}

