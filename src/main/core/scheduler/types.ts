import type { ImageProgress, LiveLogChunk, LogStream, QueueState } from '../../../shared/ipc';
import type { Job } from '../../../shared/job';
import type { Settings } from '../../../shared/settings';
import type { Clock } from '../clock';
import type { AttemptRequest, Executor } from '../engines/types';

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
  kind: 'docker' | 'podman';
  available: boolean;
  /** Per-engine limit; undefined = only the global one. */
  limit?: number;
  executor: Executor;
}

export interface AttemptLog {
  /**
   * `raw`: how many characters of the job's output `data` stands for, when that differs from
   * data.length (masked secrets); the resume point after a restart counts those.
   */
  append(stream: LogStream, data: string, t?: string, raw?: number): LiveLogChunk | null;
  /** The output ended: write what was held back (masking), returning what to announce. */
  end?(t?: string): LiveLogChunk[];
  readonly bytes: number;
  readonly truncated: boolean;
  close(): Promise<void>;
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

