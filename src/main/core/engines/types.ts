import type { EndReason } from '../../../shared/job';
import type { LogStream, PullProgress } from '../../../shared/ipc';
import type { AttemptStep } from '../../../shared/pod';
import type { TemplateSpec } from '../../../shared/template';

/** One container to run for one attempt of a job. */
export interface AttemptRequest {
  jobId: string;
  attempt: number;
  index: number;
  spec: TemplateSpec;
  /** Env with secrets already decrypted, plus JOB_COMPLETION_INDEX for Indexed jobs. */
  env: string[];
  labels: Record<string, string>;
  graceSeconds: number;
  /**
   * Resolves once the store holds the attempt on disk. Awaited before the container is created,
   * so that after a crash the next start finds the container by its labels.
   */
  persisted?: () => Promise<void>;
}

export interface AttemptOutcome {
  exitCode: number | null;
  reason: EndReason;
  message?: string;
  containerId?: string;
  startedAt?: string;
  finishedAt: string;
  peakMemoryBytes?: number;
  /** Files copied out of the output dir (Attempt.artifacts). */
  artifacts?: { name: string; size: number }[];
  /** The container that ended the attempt when not the main one (an init container): what podFailurePolicy's containerName matches. */
  containerName?: string;
}

/**
 * What the executor reports while an attempt runs. Every time in it (and in AttemptOutcome) is an
 * ISO string with milliseconds, UTC: the executor reads the engine's stamps, nothing after it does.
 */
export interface AttemptSink {
  started(containerId: string, startedAt: string): void;
  log(stream: LogStream, data: string, t: string): void;
  /** The log's writes are behind (a slow disk): resolves when it has room; undefined: room now. */
  backlog?(): Promise<void> | undefined;
  pullProgress?(progress: PullProgress): void;
  /**
   * The container has exited: record the exit durably. Awaited before the outcome is given and
   * the container removed, so a crash after either still leaves the true exit code to the next start.
   */
  exited?(outcome: AttemptOutcome): Promise<void>;
  /** The attempt's init containers and sidecars changed state (the whole list, in order). */
  steps?(steps: AttemptStep[]): void;
}

/** Where one init container's or sidecar's output goes: a log of its own. */
export interface StepLog {
  append(stream: LogStream, data: string, t: string): unknown;
  /** Write what a masker held back. */
  end?(t?: string): unknown;
  close(): Promise<void>;
}

export type StopReason = 'Cancelled' | 'DeadlineExceeded';

export interface RunningAttempt {
  /** The outcome, as soon as the exit is recorded (exited) and the artifacts copied out. */
  readonly done: Promise<AttemptOutcome>;
  /**
   * Resolves (never rejects) once what the attempt left is removed (its container, an attempt
   * pod's sidecars and volumes), some time after `done`: the engine's slot is held until then.
   * Absent: nothing is left after `done`.
   */
  readonly settled?: Promise<void>;
  /** SIGTERM, the grace period, then SIGKILL; the outcome's reason becomes `reason`. */
  stop(reason: StopReason): void;
  /** Stop following and leave the container running (the app quits, jobs keep going). */
  detach(): void;
}

/** Characters of each stream already stored: what a reattach drops before it keeps anything. */
export interface ResumeMarks {
  stdout: number;
  stderr: number;
}

/** Resume following a container found after a restart. */
export interface ReattachRequest {
  containerId: string;
  resume?: ResumeMarks;
  tty: boolean;
  keepContainer: boolean;
  graceSeconds: number;
  /** Sidecars and volumes of the attempt found with it: stopped and removed when it ends. */
  pod?: { containerIds: string[]; volumes: string[]; steps?: AttemptStep[] };
}

export interface Executor {
  readonly engineId: string;
  start(request: AttemptRequest, sink: AttemptSink): RunningAttempt;
  reattach(request: ReattachRequest, sink: AttemptSink): RunningAttempt;
}
