import { createWriteStream, mkdirSync, statSync, type WriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogChunk, LogPage, LogStream } from '../../../shared/ipc';
import type { AttemptLog } from '../scheduler/scheduler';

const CODE: Record<LogStream, string> = { stdout: 'o', stderr: 'e', system: 'x' };
const STREAM: Record<string, LogStream> = { o: 'stdout', e: 'stderr', x: 'system' };

export interface ResumePoint {
  stamp: string;
  stdout: number;
  stderr: number;
}

interface Line {
  t: string;
  s: string;
  d: string;
  /** The engine's own RFC3339Nano stamp, where a reattach resumes. */
  n?: string;
  /** Set on the truncation marker. */
  tr?: 1;
}

/**
 * One append-only JSONL file per attempt (`logs/<job>/<attempt>.jsonl`), one chunk a line with its
 * time and stream, plus plain stdout.txt/stderr.txt artifacts. Log output never enters the store.
 */
export class LogStore {
  constructor(
    private readonly dataDir: string,
    private readonly opts: { capBytes: () => number },
  ) {}

  file(jobId: string, attempt: number): string {
    return join(this.dataDir, 'logs', safe(jobId), `${attempt}.jsonl`);
  }

  openWriter(jobId: string, attempt: number): AttemptLogWriter {
    return new AttemptLogWriter(
      this.file(jobId, attempt),
      join(this.dataDir, 'artifacts', safe(jobId), String(attempt)),
      attempt,
      this.opts.capBytes(),
    );
  }

  /** Whole lines from `offset`, up to about maxBytes (one long line is returned whole). */
  async read(jobId: string, attempt: number, offset: number, maxBytes: number): Promise<LogPage> {
    let fh;
    try {
      fh = await open(this.file(jobId, attempt), 'r');
    } catch {
      return { chunks: [], nextOffset: offset, size: 0, eof: true, truncated: false };
    }
    try {
      const size = (await fh.stat()).size;
      if (offset >= size) return { chunks: [], nextOffset: offset, size, eof: true, truncated: false };
      let want = Math.min(maxBytes, size - offset);
      let buf: Buffer;
      let end: number;
      for (;;) {
        buf = Buffer.alloc(want);
        const { bytesRead } = await fh.read(buf, 0, want, offset);
        buf = buf.subarray(0, bytesRead);
        end = buf.lastIndexOf(0x0a) + 1;
        if (end > 0 || offset + bytesRead >= size) break;
        want = Math.min(want * 2, size - offset);
      }
      if (end === 0) end = buf.length; // a final line still being written
      const chunks: LogChunk[] = [];
      let truncated = false;
      for (const raw of buf.subarray(0, end).toString('utf8').split('\n')) {
        if (!raw) continue;
        let line: Line;
        try {
          line = JSON.parse(raw) as Line;
        } catch {
          continue; // a torn last line after a crash: skipped, not fatal
        }
        if (line.tr) truncated = true;
        chunks.push({ attempt, stream: STREAM[line.s] ?? 'system', t: line.t, data: line.d });
      }
      const nextOffset = offset + end;
      return { chunks, nextOffset, size, eof: nextOffset >= size, truncated };
    } finally {
      await fh.close();
    }
  }

  /**
   * Where a reattach resumes: the engine stamp of the last line on disk and how many lines of
   * each stream carry that same stamp (Podman stamps to the second, so several lines share one).
   * After a crash the file, not the store, says what was kept; a torn last line is fetched again.
   */
  async resumePoint(jobId: string, attempt: number): Promise<ResumePoint | undefined> {
    let fh;
    try {
      fh = await open(this.file(jobId, attempt), 'r');
    } catch {
      return undefined;
    }
    try {
      const size = (await fh.stat()).size;
      for (let window = 64 * 1024; ; window *= 4) {
        const start = Math.max(0, size - window);
        const buf = Buffer.alloc(size - start);
        await fh.read(buf, 0, buf.length, start);
        const lines = buf.toString('utf8').split('\n');
        let point: ResumePoint | undefined;
        let complete = false;
        for (let i = lines.length - 1; i >= (start === 0 ? 0 : 1); i--) {
          let line: Line;
          try {
            line = JSON.parse(lines[i]!) as Line;
          } catch {
            continue; // torn or partial line
          }
          if (!line.n) continue;
          if (!point) point = { stamp: line.n, stdout: 0, stderr: 0 };
          if (line.n !== point.stamp) {
            complete = true;
            break;
          }
          if (line.s === 'o') point.stdout++;
          else if (line.s === 'e') point.stderr++;
        }
        if (complete || start === 0) return point;
      }
    } finally {
      await fh.close();
    }
  }

  async removeJob(jobId: string): Promise<void> {
    await rm(join(this.dataDir, 'logs', safe(jobId)), { recursive: true, force: true });
  }
}

export class AttemptLogWriter implements AttemptLog {
  bytes: number;
  truncated = false;
  private readonly out: WriteStream;
  private plain = new Map<'stdout' | 'stderr', WriteStream>();

  constructor(
    file: string,
    private readonly artifactDir: string,
    private readonly attempt: number,
    private readonly capBytes: number,
  ) {
    mkdirSync(join(file, '..'), { recursive: true });
    // Appending: a reattach after a restart continues the same file.
    let existing = 0;
    try {
      existing = statSync(file).size;
    } catch {
      // new file
    }
    this.bytes = existing;
    this.out = createWriteStream(file, { flags: 'a' });
    this.out.on('error', () => undefined);
  }

  append(stream: LogStream, data: string, t: string = new Date().toISOString(), stamp?: string): LogChunk | null {
    if (this.truncated) return null;
    const size = Buffer.byteLength(data);
    if (this.bytes + size > this.capBytes) {
      this.truncated = true;
      const marker = `\n[jobdeck] log truncated at ${this.bytes} bytes (the cap is set in Settings)\n`;
      this.out.write(`${JSON.stringify({ t, s: 'x', d: marker, tr: 1 })}\n`);
      return { attempt: this.attempt, stream: 'system', t, data: marker };
    }
    this.bytes += size;
    const line: Line = { t, s: CODE[stream], d: data, ...(stamp ? { n: stamp } : {}) };
    this.out.write(`${JSON.stringify(line)}\n`);
    if (stream !== 'system') this.plainStream(stream).write(data);
    return { attempt: this.attempt, stream, t, data };
  }

  private plainStream(stream: 'stdout' | 'stderr'): WriteStream {
    let s = this.plain.get(stream);
    if (!s) {
      mkdirSync(this.artifactDir, { recursive: true });
      s = createWriteStream(join(this.artifactDir, `${stream}.txt`), { flags: 'a' });
      s.on('error', () => undefined);
      this.plain.set(stream, s);
    }
    return s;
  }

  async close(): Promise<void> {
    const ends = [this.out, ...this.plain.values()].map(
      (s) => new Promise<void>((resolve) => (s.closed ? resolve() : s.end(() => resolve()))),
    );
    await Promise.all(ends);
  }
}

/** Job ids are UUIDs; anything else must not turn into a path. */
function safe(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, '_');
}
