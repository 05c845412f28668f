import { appendFile, mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JobEvent } from '../../../shared/jobEvents';
import { idSegment } from '../artifacts/paths';

export interface JobEventLogOptions {
  /** Is the job still stored? Events of a job removed meanwhile are dropped, not written into a new dir. */
  exists(jobId: string): boolean;
  onError?(message: string): void;
}

/**
 * A job's events, one JSON line each, in `logs/<job>/events.jsonl` beside its logs: removed with
 * them (retention, remove, TTL) and never part of the store's records. Appends are batched per
 * turn of the event loop and written in order, one appendFile per job and batch; a line torn by a
 * crash is skipped on read.
 */
export class JobEventLog {
  private queued = new Map<string, string[]>();
  private writing: Promise<void> = Promise.resolve();
  private scheduled = false;
  /** Files whose end this process has checked: a torn last line gets its newline before new lines. */
  private checked = new Set<string>();

  constructor(
    private readonly dataDir: string,
    private readonly opts: JobEventLogOptions,
  ) {}

  file(jobId: string): string {
    return join(this.dataDir, 'logs', idSegment(jobId), 'events.jsonl');
  }

  append(jobId: string, events: readonly JobEvent[]): void {
    if (!events.length) return;
    let lines = this.queued.get(jobId);
    if (!lines) this.queued.set(jobId, (lines = []));
    for (const e of events) lines.push(`${JSON.stringify(e)}\n`);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => void this.write());
  }

  /** Resolves when every event appended so far is on disk (or its failure reported). */
  flush(): Promise<void> {
    if (this.queued.size) return this.write();
    return this.writing;
  }

  /** The job's timeline, oldest first; a torn or foreign line is left out. */
  async read(jobId: string): Promise<JobEvent[]> {
    await this.flush();
    let text: string;
    try {
      text = await readFile(this.file(jobId), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const events: JobEvent[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        const parsed = JobEvent.safeParse(JSON.parse(line));
        if (parsed.success) events.push(parsed.data);
      } catch {
        // A line cut short by a crash: the events before it stand.
      }
    }
    return events;
  }

  private write(): Promise<void> {
    this.scheduled = false;
    const batch = this.queued;
    this.queued = new Map();
    this.writing = this.writing.then(async () => {
      for (const [jobId, lines] of batch) {
        if (!this.opts.exists(jobId)) continue;
        try {
          await mkdir(join(this.dataDir, 'logs', idSegment(jobId)), { recursive: true });
          const file = this.file(jobId);
          const head = this.checked.has(file) || (await endsWhole(file)) ? '' : '\n';
          this.checked.add(file);
          await appendFile(file, head + lines.join(''));
        } catch (error) {
          this.opts.onError?.(`could not record the events of job ${jobId}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    });
    return this.writing;
  }
}

/** Does the file end with a newline (or not exist)? A crash may have cut its last line short. */
async function endsWhole(file: string): Promise<boolean> {
  try {
    const fh = await open(file, 'r');
    try {
      const { size } = await fh.stat();
      if (size === 0) return true;
      const b = Buffer.alloc(1);
      await fh.read(b, 0, 1, size - 1);
      return b[0] === 0x0a;
    } finally {
      await fh.close();
    }
  } catch {
    return true;
  }
}
