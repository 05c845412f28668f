import type { LiveLogChunk, LogChunk, LogPage } from '../../../shared/ipc';

const RED = '\x1b[31m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

/** stderr in red, Jobdeck's own notes dimmed (the terminal takes \n as \r\n: convertEol). */
export function render(stream: LogChunk['stream'], text: string): string {
  if (stream === 'stderr') return `${RED}${text}${RESET}`;
  if (stream === 'system') return `${DIM}${text}${RESET}`;
  return text;
}

/** A page of chunks as terminal text: each run of one stream rendered at once (a line per chunk is common). */
export function renderPage(chunks: readonly LogChunk[]): string {
  let out = '';
  for (let i = 0; i < chunks.length; ) {
    const stream = chunks[i]!.stream;
    let data = '';
    for (; i < chunks.length && chunks[i]!.stream === stream; i++) data += chunks[i]!.data;
    out += render(stream, data);
  }
  return out;
}

export interface FollowPorts {
  /** logs.read of the pane's attempt from `offset` (a record boundary), merged. */
  read(offset: number): Promise<LogPage>;
  /** Hand text to the terminal; `parsed` once it has taken it (xterm's write callback). */
  write(text: string, parsed: () => void): void;
  onError(error: unknown): void;
  /**
   * The first read, when there is one: the log's tail as terminal text and the file offset it
   * ends at (logs.tail), so a long log opens on its end; reads by range go on from there.
   */
  start?(): Promise<{ offset: number; text: string }>;
}

export interface FollowLimits {
  /** Characters handed to the terminal and not yet parsed above which the pane stops taking more… */
  high: number;
  /** …and under which it reads on. */
  low: number;
  /** Characters per write: the terminal parses one write without yielding. */
  slice: number;
}

/**
 * What a log pane shows, byte range by byte range of the attempt's log file. Live chunks carry
 * their text and their range: one that begins where the pane is goes straight to the terminal;
 * one that does not (the pane opened late, missed chunks while reconnecting, or fell behind the
 * terminal's flow control and dropped them) makes the pane read the file from where it is, once,
 * and then drop the chunks that read covered. So a byte crosses from main once when nothing was
 * missed, and a gap is filled by one read by range.
 */
export class LogFollower {
  /** File offset up to which the terminal has been given the log. */
  private offset = 0;
  /** Characters handed to the terminal and not yet parsed. */
  private pending = 0;
  private reading = false;
  /** A read from `offset` is due (a gap, a dropped chunk, more in the file). */
  private wanted = false;
  /** Chunks that came while a read was on its way, taken once it is back (bounded by `high`). */
  private queued: LiveLogChunk[] = [];
  private queuedChars = 0;
  private disposed = false;
  private started = false;

  constructor(
    /** Only this attempt's chunks are taken; undefined: the pane only reads. */
    private readonly attempt: number | undefined,
    private readonly io: FollowPorts,
    private readonly limits: FollowLimits,
    /** Chunks as terminal text (the pane's line numbers, gutter and filter: log/lineFormat.ts). */
    private readonly render: (chunks: readonly LogChunk[]) => string = renderPage,
  ) {}

  /** Where the pane is in the file (for tests). */
  get position(): number {
    return this.offset;
  }

  /** At open, after a reconnect, and once the job has ended: read from where the pane is. */
  catchUp(): void {
    this.wanted = true;
    void this.read();
  }

  /** A log.chunks event of this pane's job. */
  onChunks(chunks: readonly LiveLogChunk[]): void {
    if (this.disposed || this.attempt === undefined) return;
    for (const c of chunks) {
      if (c.attempt !== this.attempt) continue;
      if (this.reading) this.enqueue(c);
      else this.take(c);
    }
    if (this.wanted) void this.read();
  }

  dispose(): void {
    this.disposed = true;
    this.queued = [];
  }

  private enqueue(c: LiveLogChunk): void {
    this.queuedChars += c.data.length;
    if (this.queuedChars <= this.limits.high) this.queued.push(c);
    else {
      // Not held without bound: the file has it, read once the terminal has room.
      this.queued = [];
      this.wanted = true;
    }
  }

  private take(c: LiveLogChunk): void {
    if (c.to <= this.offset) return; // a read brought it already
    if (this.wanted || c.from !== this.offset || this.pending > this.limits.high) {
      this.wanted = true;
      return;
    }
    this.offset = c.to;
    this.write(this.render([c]));
  }

  private async read(): Promise<void> {
    if (this.reading || this.disposed || !this.wanted) return;
    if (this.pending > this.limits.high) return; // the write callback reads on under `low`
    this.reading = true;
    const start = this.offset;
    try {
      do {
        this.wanted = false;
        if (this.io.start && !this.started) {
          this.started = true;
          const tail = await this.io.start();
          if (this.disposed) return;
          this.offset = tail.offset;
          if (tail.text) this.write(tail.text);
          // Then what the file holds past the tail (a running job's newer output).
          this.wanted = true;
          continue;
        }
        const page = await this.io.read(this.offset);
        if (this.disposed) return;
        if (page.nextOffset > this.offset) {
          this.offset = page.nextOffset;
          if (page.chunks.length) this.write(this.render(page.chunks));
        }
        if (!page.eof) this.wanted = true;
      } while (this.wanted && this.pending <= this.limits.high && this.queued.length === 0);
    } catch (error) {
      this.io.onError(error);
    } finally {
      this.reading = false;
    }
    const queued = this.queued;
    this.queued = [];
    this.queuedChars = 0;
    for (const c of queued) this.take(c);
    // Read on only when this read got somewhere: a range announced but not in the file yet (a
    // failed disk) is tried again at the next event, not in a loop.
    if (this.wanted && this.offset > start) void this.read();
  }

  private write(s: string): void {
    const { slice, low } = this.limits;
    for (let i = 0; i < s.length; i += slice) {
      // A slice may end inside an escape sequence or a surrogate pair: xterm's parser carries on.
      const part = s.length <= slice ? s : s.slice(i, i + slice);
      this.pending += part.length;
      this.io.write(part, () => {
        this.pending -= part.length;
        if (this.pending < low && this.wanted) void this.read();
      });
    }
  }
}
