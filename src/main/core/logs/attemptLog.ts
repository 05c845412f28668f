import type { LiveLogChunk, LogStream } from '../../../shared/ipc';

/** One attempt's output as it is written: the scheduler appends, the log store keeps it. */
export interface AttemptLog {
  /**
   * `raw`: how many characters of the job's output `data` stands for, when that differs from
   * data.length (masked secrets); the resume point after a restart counts those.
   */
  append(stream: LogStream, data: string, t?: string, raw?: number): LiveLogChunk | null;
  /** The output ended: write what was held back (masking), returning what to announce. */
  end?(t?: string): LiveLogChunk[];
  /** Its writes are behind: resolves when they have caught up; undefined when they have not fallen behind. */
  backlog?(): Promise<void> | undefined;
  readonly bytes: number;
  readonly truncated: boolean;
  close(): Promise<void>;
}
