// `logs -f` and `run --follow`: the log as numbered lines, each printed once. The file is read by
// byte range (logs.read) and live chunks (log.chunks, with their ranges) continue it: a chunk
// that begins where the reader is goes on, one already read is dropped, a gap is read from the
// file. A newer attempt (a retry) starts its own numbering.
import type { LiveLogChunk, LogPage } from '../shared/ipc';
import { LineSplitter, type LogLine, type LogStream } from '../shared/logLines';

export interface FollowPorts {
  /** logs.read of one attempt from a byte offset (not merged: each record with its stream). */
  read(attempt: number, offset: number): Promise<LogPage>;
  line(line: LogLine, attempt: number): void;
  /** A newer attempt begins (shown as a note between the two). */
  attemptStarted?(attempt: number): void;
}

export interface FollowOptions {
  /** Follow only this attempt; otherwise the newest, moving on to each retry. */
  attempt?: number;
  /** First line printed (of the first attempt followed). */
  fromLine?: number;
  streams?: readonly LogStream[];
}

export class LineFollower {
  private attempt: number | undefined;
  private offset = 0;
  private splitter = new LineSplitter();
  private fromLine: number;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly ports: FollowPorts,
    private readonly opts: FollowOptions = {},
  ) {
    this.fromLine = opts.fromLine ?? 1;
  }

  /** Start on an attempt (the job's newest when known); reads what its file holds so far. */
  start(attempt: number | undefined): Promise<void> {
    const a = this.opts.attempt ?? attempt;
    return this.then(async () => {
      if (a === undefined || this.attempt !== undefined) return;
      this.attempt = a;
      await this.catchUp();
    });
  }

  /** Live chunks, in the order they came. */
  push(chunks: readonly LiveLogChunk[]): Promise<void> {
    return this.then(async () => {
      for (const c of chunks) await this.take(c);
    });
  }

  /** The job ended: read what is left, and the last line if it has no '\n'. */
  finish(): Promise<void> {
    return this.then(async () => {
      if (this.attempt === undefined) return;
      await this.catchUp();
      this.splitter.end((l) => this.emit(l));
    });
  }

  private then(step: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(step);
    return this.chain;
  }

  private async take(c: LiveLogChunk): Promise<void> {
    if (this.opts.attempt !== undefined && c.attempt !== this.opts.attempt) return;
    if (this.attempt === undefined || c.attempt > this.attempt) {
      if (this.attempt !== undefined) {
        await this.catchUp();
        this.splitter.end((l) => this.emit(l));
        this.splitter = new LineSplitter();
        this.fromLine = 1;
        this.ports.attemptStarted?.(c.attempt);
      }
      this.attempt = c.attempt;
      this.offset = 0;
    }
    if (c.attempt < this.attempt) return;
    if (c.to <= this.offset) return; // read from the file already
    if (c.from !== this.offset) {
      await this.catchUp(); // a gap: the file has it
      if (c.to <= this.offset) return;
      if (c.from !== this.offset) return; // the file is ahead of the chunk's start; it covered it
    }
    this.splitter.push(c.stream, c.t, c.data, (l) => this.emit(l));
    this.offset = c.to;
  }

  private async catchUp(): Promise<void> {
    const attempt = this.attempt;
    if (attempt === undefined) return;
    for (;;) {
      const page = await this.ports.read(attempt, this.offset);
      for (const c of page.chunks) this.splitter.push(c.stream, c.t, c.data, (l) => this.emit(l));
      const moved = page.nextOffset > this.offset;
      this.offset = Math.max(this.offset, page.nextOffset);
      if (page.eof || !moved) return;
    }
  }

  private emit(line: LogLine): void {
    if (line.n < this.fromLine) return;
    if (this.opts.streams && !this.opts.streams.includes(line.stream)) return;
    this.ports.line(line, this.attempt!);
  }
}
