import { StringDecoder } from 'node:string_decoder';
import { Writable } from 'node:stream';
import type { LogStream } from '../../../shared/ipc';
import { looksStamped, stampToNanos } from './timestamps';

export interface StampedText {
  stream: LogStream;
  /** The engine's RFC3339Nano stamp of the line. */
  stamp: string;
  data: string;
}

/**
 * With `timestamps: true` every log entry starts with "<RFC3339Nano> ". Non-tty logs arrive as
 * multiplexed frames (demuxed by the modem before us), one entry per frame; tty logs are raw,
 * so lines are re-assembled here. After a restart, entries before the resume stamp, and the
 * first `skip` characters of text at it, were stored already (`since` is inclusive, Podman's
 * stamps are whole seconds and it may split a line into entries differently between reads),
 * so they are dropped by amount of text, not by count of entries.
 */
export class StampedLineSplitter {
  private pending = '';
  private readonly decoder = new StringDecoder('utf8');
  private readonly after: bigint | null;
  private skip: number;

  constructor(
    private readonly stream: LogStream,
    private readonly emit: (t: StampedText) => void,
    resume?: { stamp: string; skip: number },
  ) {
    this.after = resume ? stampToNanos(resume.stamp) : null;
    this.skip = resume?.skip ?? 0;
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
    // Exact (BigInt) parsing is needed only to compare with a resume point; per line it is costly.
    const nanos = this.after !== null && stamp ? stampToNanos(stamp) : null;
    if (this.after !== null ? nanos === null : !looksStamped(stamp)) {
      // Not stamped (an engine that ignored timestamps): keep the text, stamp it now.
      this.emit({ stream: this.stream, stamp: new Date().toISOString(), data: raw });
      return;
    }
    if (this.after !== null && nanos !== null) {
      if (nanos < this.after) return;
      if (nanos === this.after && this.skip > 0) {
        const data = raw.slice(space + 1);
        if (data.length <= this.skip) {
          this.skip -= data.length;
          return;
        }
        const rest = data.slice(this.skip);
        this.skip = 0;
        this.emit({ stream: this.stream, stamp, data: rest });
        return;
      }
    }
    this.emit({ stream: this.stream, stamp, data: raw.slice(space + 1) });
  }
}

/**
 * The engine's multiplexed stream (8-byte header: stream type, 3 zero bytes, big-endian length;
 * then the payload), split into frames for the stdout and stderr splitters. Unlike the modem's
 * demuxer it keeps no copy of what is left after each frame, and as a Writable it is piped, so a
 * fast engine waits for us instead of filling memory.
 */
export class FrameDemuxer extends Writable {
  private carry: Buffer | undefined;

  constructor(
    private readonly stdout: StampedLineSplitter,
    private readonly stderr: StampedLineSplitter,
  ) {
    super();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (error?: Error | null) => void): void {
    let buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = undefined;
    let at = 0;
    while (buf.length - at >= 8) {
      const size = buf.readUInt32BE(at + 4);
      if (buf.length - at - 8 < size) break;
      const frame = buf.subarray(at + 8, at + 8 + size);
      // 1 = stdout, 2 = stderr (0 = stdin never comes back).
      const to = buf[at] === 2 ? this.stderr : this.stdout;
      to.push(frame);
      to.endOfEntry();
      at += 8 + size;
    }
    if (at < buf.length) this.carry = Buffer.from(buf.subarray(at));
    buf = Buffer.alloc(0);
    cb();
  }

  override _final(cb: (error?: Error | null) => void): void {
    this.stdout.end();
    this.stderr.end();
    cb();
  }
}

/** A Writable that feeds one demuxed stream's frames to a splitter, one frame per write. */
export function frameSink(splitter: StampedLineSplitter, perFrame: boolean): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      splitter.push(chunk);
      if (perFrame) splitter.endOfEntry();
      cb();
    },
    final(cb) {
      splitter.end();
      cb();
    },
  });
}
