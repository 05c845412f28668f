import { closeSync, createWriteStream, fstatSync, ftruncateSync, mkdirSync, openSync, readSync, statSync, type WriteStream } from 'node:fs';
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { dirname, join } from 'node:path';
import type { LiveLogChunk, LogChunk, LogPage, LogStream } from '../../../shared/ipc';
import { attemptArtifactsDir, idSegment } from '../artifacts/paths';
import type { ResumeMarks } from '../engines/types';
import type { AttemptLog } from './attemptLog';
import { mergedChunks } from './mergedPage';
import { CODE, lastCompleteLine, lineJson, parseLine, TAIL_BYTES, toChunk, truncationMarker, type Line } from './format';

/**
 * One append-only JSONL file per attempt (`logs/<job>/<attempt>.jsonl`), one chunk a line with its
 * time and stream, plus plain stdout.txt/stderr.txt artifacts. Log output never enters the store.
 */
export class LogStore {
  constructor(
    private readonly dataDir: string,
    private readonly opts: { capBytes: () => number; onError?: (message: string) => void },
  ) {}

  /** `step`: an init container's or sidecar's log, kept apart from the main container's. */
  file(jobId: string, attempt: number, step?: string): string {
    return join(this.dataDir, 'logs', idSegment(jobId), step ? `${attempt}.${idSegment(step)}.jsonl` : `${attempt}.jsonl`);
  }

  openWriter(jobId: string, attempt: number, step?: string): AttemptLogWriter {
    const onError = this.opts.onError;
    return new AttemptLogWriter(
      this.file(jobId, attempt, step),
      // A step's plain text stays beside its log: the attempt's artifacts are the main container's.
      step ? join(this.dataDir, 'logs', idSegment(jobId), `${attempt}.${idSegment(step)}`) : attemptArtifactsDir(this.dataDir, jobId, attempt),
      attempt,
      this.opts.capBytes(),
      onError && ((e) => onError(`could not write the log of job ${jobId}, attempt ${attempt}: ${e.message}. The job runs on; its output is not kept.`)),
    );
  }

  /**
   * Whole lines from `offset` (a line start: 0 or a previous nextOffset), up to about maxBytes; one
   * line longer than that comes whole. A last line still being written is left for the next read,
   * and `eof` then means "nothing more to read now". `truncated` is about the whole log.
   */
  async read(jobId: string, attempt: number, offset: number, maxBytes: number, merge = false, step?: string): Promise<LogPage> {
    // Synchronous file calls: a page is a few preads of a file just written (in the page cache,
    // well under a ms each), while each of the five asynchronous calls was a hop through libuv's
    // thread pool that, on a busy machine, waited for a core twice: 27 ms a page on average of a
    // log pane's catch-up, a third of its round trip.
    let fd: number;
    try {
      fd = openSync(this.file(jobId, attempt, step), 'r');
    } catch {
      return { chunks: [], nextOffset: 0, size: 0, eof: true, truncated: false };
    }
    try {
      const size = fstatSync(fd).size;
      const from = Math.max(0, Math.min(offset, size));
      const truncated = lastCompleteLine(readAtSync(fd, Math.max(0, size - TAIL_BYTES), size))?.tr === 1;
      if (from >= size) return { chunks: [], nextOffset: from, size, eof: true, truncated };
      let want = Math.min(Math.max(1, maxBytes), size - from);
      let buf: Buffer;
      let end: number;
      for (;;) {
        buf = readAtSync(fd, from, from + want);
        end = buf.lastIndexOf(0x0a) + 1;
        if (end > 0 || from + buf.length >= size) break;
        want = Math.min(want * 2, size - from);
      }
      // With `merge`, adjacent entries of one stream travel as one chunk, stamped with the first
      // one's time: a page of short lines is otherwise mostly framing on the wire.
      const records = buf.subarray(0, end).toString('utf8').split('\n');
      const chunks: LogChunk[] = merge ? mergedChunks(records, attempt) : [];
      if (!merge) {
        for (const raw of records) {
          const line = raw ? parseLine(raw) : undefined;
          if (line) chunks.push(toChunk(attempt, line));
        }
      }
      const nextOffset = from + end;
      // Read to the end of the file: whatever follows the last newline is an unfinished line.
      const eof = nextOffset >= size || from + buf.length >= size;
      return { chunks, nextOffset, size, eof, truncated };
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Before a reattach, in one pass over the log: how much text of each stream it holds (where
   * the reattach resumes), and stdout.txt/stderr.txt written afresh from it, since after a kill
   * they may hold more or less than the log (they are written apart from it). The file, not the
   * store, says what was kept; a torn last line does not count and is fetched again.
   */
  async prepareResume(jobId: string, attempt: number): Promise<ResumeMarks> {
    const point: ResumeMarks = { stdout: 0, stderr: 0 };
    let fh: FileHandle;
    try {
      fh = await open(this.file(jobId, attempt), 'r');
    } catch {
      return point;
    }
    const plainDir = attemptArtifactsDir(this.dataDir, jobId, attempt);
    const plain = { stdout: undefined as FileHandle | undefined, stderr: undefined as FileHandle | undefined };
    const plainFile = async (stream: 'stdout' | 'stderr') => {
      if (!plain[stream]) {
        await mkdir(plainDir, { recursive: true });
        plain[stream] = await open(join(plainDir, `${stream}.txt`), 'w');
      }
      return plain[stream];
    };
    try {
      const size = (await fh.stat()).size;
      const decoder = new StringDecoder('utf8'); // a character may straddle two reads
      let carry = '';
      for (let at = 0; at < size; at += 1 << 20) {
        const text = carry + decoder.write(await readAt(fh, at, Math.min(size, at + (1 << 20))));
        const lines = text.split('\n');
        carry = lines.pop() ?? '';
        const out = { stdout: '', stderr: '' };
        for (const raw of lines) {
          const line = parseLine(raw);
          const stream = line?.s === 'o' ? 'stdout' : line?.s === 'e' ? 'stderr' : undefined;
          if (!line || !stream) continue;
          point[stream] += line.n ?? line.d.length;
          out[stream] += line.d;
        }
        for (const stream of ['stdout', 'stderr'] as const) if (out[stream]) await (await plainFile(stream)).write(out[stream]);
      }
      // Streams with nothing kept: an empty file, not a stale one.
      for (const stream of ['stdout', 'stderr'] as const) if (!plain[stream]) await rm(join(plainDir, `${stream}.txt`), { force: true });
      return point;
    } finally {
      await fh.close();
      await Promise.all([plain.stdout?.close(), plain.stderr?.close()]);
    }
  }

  async removeJob(jobId: string): Promise<void> {
    await rm(join(this.dataDir, 'logs', idSegment(jobId)), { recursive: true, force: true });
  }
}

function readAtSync(fd: number, start: number, end: number): Buffer {
  const buf = Buffer.allocUnsafe(Math.max(0, end - start));
  let got = 0;
  while (got < buf.length) {
    const n = readSync(fd, buf, got, buf.length - got, start + got);
    if (n === 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}

async function readAt(fh: FileHandle, start: number, end: number): Promise<Buffer> {
  const buf = Buffer.alloc(Math.max(0, end - start));
  let got = 0;
  while (got < buf.length) {
    const { bytesRead } = await fh.read(buf, got, buf.length - got, start + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buf.subarray(0, got);
}

/**
 * Appends one attempt's chunks. Writes go through WriteStreams (ordered, buffered, never blocking
 * the event loop per chunk); close() resolves once everything is on disk and the files are closed.
 */
export class AttemptLogWriter implements AttemptLog {
  /**
   * Output bytes kept (UTF-8), against the cap. A writer reopened on an existing file (reattach
   * after a restart) starts from the file's size: an upper bound, so the cap still holds.
   */
  bytes: number;
  truncated = false;
  /** The log file's size once what was appended is written: where the next record begins. */
  private position: number;
  /** The first write error (disk full…): the log is then incomplete; the job carries on. */
  error: Error | undefined;
  private readonly out: WriteStream;
  private readonly plain = new Map<'stdout' | 'stderr', WriteStream>();

  constructor(
    file: string,
    private readonly artifactDir: string,
    private readonly attempt: number,
    private readonly capBytes: number,
    private readonly onError?: (error: Error) => void,
  ) {
    // A log that cannot be written (read-only or full disk) must not stop the job: it is said once.
    let existing = { size: 0, truncated: false };
    try {
      mkdirSync(dirname(file), { recursive: true });
      existing = inspectExisting(file);
    } catch (error) {
      this.fail(error);
    }
    this.bytes = existing.size;
    this.position = existing.size;
    this.truncated = existing.truncated;
    this.out = this.stream(file);
  }

  private fail(error: unknown): void {
    if (this.error) return;
    this.error = error instanceof Error ? error : new Error(String(error));
    this.onError?.(this.error);
  }

  append(stream: LogStream, data: string, t: string = new Date().toISOString(), raw?: number): LiveLogChunk | null {
    if (this.truncated) return null;
    // Encoded once: its length counts against the cap, and the same bytes go to stdout.txt/stderr.txt.
    const bytes = Buffer.from(data);
    if (this.bytes + bytes.length > this.capBytes) {
      this.truncated = true;
      const marker = truncationMarker(this.bytes);
      // Starts on a line of its own even when the output stopped mid-line.
      const text = `\n${marker}`;
      const from = this.position;
      this.writeLine({ t, s: CODE.system, d: text, tr: 1 });
      return { attempt: this.attempt, stream: 'system', t, data: text, from, to: this.position };
    }
    this.bytes += bytes.length;
    const from = this.position;
    this.writeLine(raw !== undefined && raw !== data.length ? { t, s: CODE[stream], d: data, n: raw } : { t, s: CODE[stream], d: data });
    if (stream === 'stdout') this.plainOut.add(bytes);
    else if (stream === 'stderr') this.plainErr.add(bytes);
    return { attempt: this.attempt, stream, t, data, from, to: this.position };
  }

  /**
   * More than BACKLOG_BYTES handed to the files and not yet written (a disk slower than the
   * engine): the caller waits for the streams to drain before reading more from the engine,
   * instead of holding the output in memory without bound.
   */
  backlog(): Promise<void> | undefined {
    const streams = [this.out, ...this.plain.values()];
    let queued = this.pendingLines.bytes + this.plainOut.bytes + this.plainErr.bytes;
    for (const s of streams) queued += s.writableLength;
    if (queued <= BACKLOG_BYTES || this.error) return undefined;
    this.flush();
    return Promise.all(streams.map(drained)).then(() => undefined);
  }

  async close(): Promise<void> {
    this.flush();
    await Promise.all([this.out, ...this.plain.values()].map(endAndClose));
  }

  // Lines are gathered and written once per turn of the event loop (or every 256 KiB): one
  // write call per line costs more than the line. Each line is encoded once, here, and its byte
  // length read off the result. A crash loses at most what the engine still has, and the next
  // start fetches that again from the resume point.
  private readonly pendingLines = new Pending();
  private readonly plainOut = new Pending();
  private readonly plainErr = new Pending();
  private scheduled = false;

  private writeLine(line: Line): void {
    const bytes = Buffer.from(`${lineJson(line)}\n`);
    this.position += bytes.length;
    this.pendingLines.add(bytes);
    if (this.pendingLines.bytes >= 256 * 1024) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.scheduled = false;
    if (this.pendingLines.bytes) this.pendingLines.writeTo(this.out);
    if (this.plainOut.bytes) this.plainOut.writeTo(this.plainStream('stdout'));
    if (this.plainErr.bytes) this.plainErr.writeTo(this.plainStream('stderr'));
  }

  private stream(file: string): WriteStream {
    const s = createWriteStream(file, { flags: 'a' });
    s.on('error', (e) => this.fail(e));
    return s;
  }

  private plainStream(stream: 'stdout' | 'stderr'): WriteStream {
    let s = this.plain.get(stream);
    if (!s) {
      try {
        mkdirSync(this.artifactDir, { recursive: true });
      } catch (error) {
        this.fail(error); // the stream below then reports its own error, which is ignored
      }
      s = this.stream(join(this.artifactDir, `${stream}.txt`));
      this.plain.set(stream, s);
    }
    return s;
  }
}

/**
 * Buffers waiting for one write, joined into one when written: one write of a joined buffer
 * costs less than a writev of many small ones (measured: cork + writev was slower).
 */
class Pending {
  private parts: Buffer[] = [];
  bytes = 0;

  add(b: Buffer): void {
    this.parts.push(b);
    this.bytes += b.length;
  }

  writeTo(s: WriteStream): void {
    s.write(this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.bytes));
    this.parts = [];
    this.bytes = 0;
  }
}

/** Output handed to an attempt's files and not yet written, above which the engine is made to wait. */
const BACKLOG_BYTES = 8 * 1024 * 1024;

/**
 * Resolves once the stream is under its high-water mark again (or has failed or closed). Only a
 * stream whose write said "wait" emits 'drain'; any other has room already.
 */
function drained(s: WriteStream): Promise<void> {
  if (!s.writableNeedDrain || s.destroyed || s.closed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      s.off('drain', done);
      s.off('close', done);
      s.off('error', done);
      resolve();
    };
    s.on('drain', done);
    s.on('close', done);
    s.on('error', done);
  });
}

/** Waits for the data to be written and the descriptor closed (not just 'finish'). */
function endAndClose(s: WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (s.closed || s.destroyed) return resolve();
    s.once('close', () => resolve());
    s.end();
  });
}

/** Size and truncation state of a file a writer reopens; read synchronously once per attempt. */
function inspectExisting(file: string): { size: number; truncated: boolean } {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return { size: 0, truncated: false };
  }
  if (size === 0) return { size, truncated: false };
  const fd = openSync(file, 'r+');
  try {
    const len = Math.min(size, TAIL_BYTES);
    const tail = Buffer.alloc(len);
    const got = readSync(fd, tail, 0, len, size - len);
    // A crash can leave a torn last line; cut it, or the next line appended would join it and
    // both be lost. The resume point already ignores it, so its text is fetched again.
    const cut = tornTail(tail.subarray(0, got), size);
    if (cut !== undefined) {
      ftruncateSync(fd, cut);
      size = cut;
    }
    return { size, truncated: lastCompleteLine(tail.subarray(0, got))?.tr === 1 };
  } finally {
    closeSync(fd);
  }
}

/** Where the file must end to hold whole lines only, or undefined when it already does. */
function tornTail(tail: Buffer, size: number): number | undefined {
  if (tail.length === 0 || tail[tail.length - 1] === 0x0a) return undefined;
  const nl = tail.lastIndexOf(0x0a);
  // No newline in the tail window: one line longer than the window; leave it rather than guess.
  if (nl < 0) return tail.length === size ? 0 : undefined;
  return size - tail.length + nl + 1;
}
