import { StringDecoder } from 'node:string_decoder';
import { Writable } from 'node:stream';
import type { LogStream } from '../../../shared/ipc';
import { looksStamped } from './timestamps';

export interface StampedText {
  stream: LogStream;
  /** The engine's RFC3339Nano stamp of the line, or the time we read it (attach has none). */
  stamp: string;
  data: string;
}

/** Where one stream's frames go once demuxed. */
export interface FrameTarget {
  push(chunk: Buffer): void;
  /** A frame ended. */
  endOfEntry(): void;
  /**
   * What was pushed so far may go out now: called once per read from the engine (and before the
   * other stream's frame), so that per-chunk work downstream is per read, not per frame.
   */
  flush?(): void;
  end(): void;
}

/** How long a stream's unfinished last line waits for the rest before it goes out as it is. */
export const PARTIAL_LINE_HOLD_MS = 250;
/** An unfinished line longer than this goes out without waiting (Docker's logger cuts at 16 KiB). */
const PARTIAL_LINE_MAX = 16 * 1024;

/**
 * Live output from an attach: the bytes as the container wrote them, decoded (a character split
 * between frames is held back), stamped with the time we read them. No line splitting: the log
 * pane is a terminal, and fewer, larger chunks are cheaper everywhere downstream. The frames of
 * one read from the engine (a container writing in 4 KiB blocks sends 16 to a 64 KiB read) go
 * out as one chunk on flush().
 *
 * With `holdPartialMs`, the text after a chunk's last '\n' waits (that long at most) for the rest
 * of its line, as Docker's own logger keeps lines per stream: a program's buffered stdout is cut
 * in 4 KiB blocks, mid-line, and without the wait a stderr line read between two blocks would
 * land inside a stdout line, lost to a stderr filter. A prompt without a newline still shows.
 */
export class RawText implements FrameTarget {
  private readonly decoder = new StringDecoder('utf8');
  private held: Buffer[] = [];
  private heldBytes = 0;
  /** The unfinished last line, not sent yet, and when its first piece was read. */
  private partial = '';
  private partialStamp = '';
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly stream: LogStream,
    private readonly emit: (t: StampedText) => void,
    private readonly holdPartialMs = 0,
  ) {}

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.held.push(chunk);
    this.heldBytes += chunk.length;
  }

  endOfEntry(): void {}

  flush(): void {
    if (this.held.length === 0) return;
    const bytes = this.held.length === 1 ? this.held[0]! : Buffer.concat(this.held, this.heldBytes);
    this.held = [];
    this.heldBytes = 0;
    const data = this.decoder.write(bytes);
    if (data) this.out(data, new Date().toISOString());
  }

  end(): void {
    this.flush();
    const data = this.decoder.end();
    if (data) this.out(data, new Date().toISOString());
    this.release();
  }

  /** The unfinished line goes out now (its wait is over, or the stream ended). */
  release(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const data = this.partial;
    this.partial = '';
    if (data) this.emit({ stream: this.stream, stamp: this.partialStamp, data });
  }

  private out(data: string, stamp: string): void {
    if (this.holdPartialMs <= 0) return this.emit({ stream: this.stream, stamp, data });
    const text = this.partial + data;
    const first = this.partial ? this.partialStamp : stamp;
    const cut = text.lastIndexOf('\n') + 1;
    if (cut === text.length || text.length - cut > PARTIAL_LINE_MAX) {
      this.partial = '';
      this.release();
      return this.emit({ stream: this.stream, stamp: first, data: text });
    }
    if (cut > 0) {
      // The held line is whole now: the rest is a new line, with a wait of its own.
      this.emit({ stream: this.stream, stamp: first, data: text.slice(0, cut) });
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.partial = text.slice(cut);
    this.partialStamp = cut > 0 ? stamp : first;
    if (!this.timer) {
      this.timer = setTimeout(() => this.release(), this.holdPartialMs);
      this.timer.unref?.();
    }
  }
}

/**
 * The logs endpoint with `timestamps: true`: every entry starts with "<RFC3339Nano> ". Non-tty
 * logs arrive as multiplexed frames, one entry per frame; tty logs are raw, so lines are
 * re-assembled here. After a restart the first `skip` characters of this stream were stored
 * already and are dropped: counted by text, not by stamps, since Podman stamps to the second
 * and may cut a line into entries differently from one read to the next.
 */
export class StampedLineSplitter implements FrameTarget {
  private pending = '';
  private readonly decoder = new StringDecoder('utf8');
  private skip: number;

  constructor(
    private readonly stream: LogStream,
    private readonly emit: (t: StampedText) => void,
    skip = 0,
  ) {
    this.skip = skip;
  }

  push(chunk: Buffer): void {
    this.pending += this.decoder.write(chunk);
    let nl: number;
    while ((nl = this.pending.indexOf('\n')) !== -1) {
      this.line(this.pending.slice(0, nl + 1));
      this.pending = this.pending.slice(nl + 1);
    }
  }

  /** A frame ended: an entry without a newline (a partial line) is complete as it is. */
  endOfEntry(): void {
    if (this.pending) {
      this.line(this.pending);
      this.pending = '';
    }
  }

  end(): void {
    this.pending += this.decoder.end();
    this.endOfEntry();
  }

  private line(raw: string): void {
    const space = raw.indexOf(' ');
    const stamp = space > 0 ? raw.slice(0, space) : '';
    // Not stamped (an engine that ignored timestamps): keep the text, stamp it now.
    const stamped = looksStamped(stamp);
    let data = stamped ? raw.slice(space + 1) : raw;
    if (this.skip > 0) {
      if (data.length <= this.skip) {
        this.skip -= data.length;
        return;
      }
      data = data.slice(this.skip);
      this.skip = 0;
    }
    this.emit({ stream: this.stream, stamp: stamped ? stamp : new Date().toISOString(), data });
  }
}

/**
 * The engine's multiplexed stream (8-byte header: stream type, 3 zero bytes, big-endian length;
 * then the payload), split into frames for the stdout and stderr targets. Unlike the modem's
 * demuxer it keeps no copy of what is left after each frame, and as a Writable it is piped, so a
 * fast engine waits for us instead of filling memory.
 */
export class FrameDemuxer extends Writable {
  private carry: Buffer | undefined;

  constructor(
    private readonly stdout: FrameTarget,
    private readonly stderr: FrameTarget,
    /** Where the text goes has a backlog: the next read from the engine waits for this. */
    private readonly backlog: Backlog = noBacklog,
  ) {
    super();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (error?: Error | null) => void): void {
    const buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = undefined;
    let at = 0;
    let last: FrameTarget | undefined;
    while (buf.length - at >= 8) {
      const size = buf.readUInt32BE(at + 4);
      if (buf.length - at - 8 < size) break;
      // 1 = stdout, 2 = stderr (0 = stdin never comes back).
      const to = buf[at] === 2 ? this.stderr : this.stdout;
      // The other stream's text so far goes first: the two keep their order in the log.
      if (last !== to) last?.flush?.();
      last = to;
      to.push(buf.subarray(at + 8, at + 8 + size));
      to.endOfEntry();
      at += 8 + size;
    }
    last?.flush?.();
    if (at < buf.length) this.carry = Buffer.from(buf.subarray(at));
    afterBacklog(this.backlog, cb);
  }

  override _final(cb: (error?: Error | null) => void): void {
    this.stdout.end();
    this.stderr.end();
    cb();
  }
}

/**
 * Resolves once the log has caught up with its writes, or undefined when it has room now. The
 * engine stream is piped, so while it is pending the engine waits for us, as with a slow reader.
 */
export type Backlog = () => Promise<void> | undefined;
const noBacklog: Backlog = () => undefined;

function afterBacklog(backlog: Backlog, cb: (error?: Error | null) => void): void {
  const wait = backlog();
  if (wait) wait.then(() => cb(), () => cb());
  else cb();
}

/** A Writable that feeds a raw (tty) stream to one target. */
export function rawSink(target: FrameTarget, backlog: Backlog = noBacklog): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      target.push(chunk);
      target.flush?.();
      afterBacklog(backlog, cb);
    },
    final(cb) {
      target.end();
      cb();
    },
  });
}
