// A pod's log through client-node's Log class (a stream, never the whole body in memory), with
// timestamps, followed again (sinceTime) whenever a follow ends while the container still runs:
// API servers and kubelets end follows early (idle timeouts, rotations).
//
// What was already kept is recognised by position, not by time. The runtime writes stdout and
// stderr to one file, each line stamped by its own stream's reader before the write, so file order
// is not stamp order (Docker's copier and containerd's CRI logger both stamp, then take the
// writer's lock: a stderr line may follow a later-stamped stdout line). The kubelet serves the file
// in order and filters each line by `sinceTime` (inclusive), and the API server hands sinceTime on
// at whole seconds (RFC3339). So a follow again from whole second S returns, in file order, every
// line stamped at or after S: first the ones kept already (their count is known), then the new ones.
import type { LogOptions } from '@kubernetes/client-node';
import { PassThrough, type Writable } from 'node:stream';
import { stampToIso, stampToNanos } from '../engines/timestamps';

/** The part of client-node's Log class the follower uses. */
export interface LogSource {
  log(namespace: string, podName: string, containerName: string, stream: Writable, options?: LogOptions): Promise<AbortController>;
}

export interface LogTarget {
  /** One line (with its newline) and the time the kubelet stamped on it, as an ISO string. */
  line(text: string, t: string): void;
  /** The log's writes are behind: resolves when they have room. */
  backlog?(): Promise<void> | undefined;
}

const RETRY_MS = 300;
/** After the container ends: how long its last output may take to come. */
const FINISH_MS = 5000;
const SECOND = 1_000_000_000n;
/**
 * A follow again starts this far before the whole second of the latest line kept: a line written
 * after the cut but stamped (a little) before that line still comes, and is not taken for one kept.
 */
const MARGIN = SECOND;

/** A line kept: its stamp and its length (with the stamp), enough to know it again in a replay. */
interface Kept {
  nanos: bigint;
  size: number;
}

export class LogFollower {
  private stopped = false;
  private terminated = false;
  private abort: AbortController | undefined;
  /** The latest stamp kept (file order is not stamp order: the greatest, not the last). */
  private maxNanos = -1n;
  /** Lines kept, in file order, back to MARGIN before maxNanos's second: what a follow again replays. */
  private recent: Kept[] = [];
  private partial = '';
  /** The current read's sinceTime, in nanoseconds (undefined: from the start). */
  private since: bigint | undefined;
  /** The kept lines the current read replays first, in order, still to be passed over. */
  private replay: Kept[] = [];
  /** Counts the reads, so a finished read's late chunks are told apart from the current one's. */
  private read = 0;
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** Follows made: the first, then one per early end. */
  follows = 0;

  constructor(
    private readonly log: LogSource,
    private readonly namespace: string,
    /** The pod, once the watch has seen it. */
    public pod: string,
    private readonly container: string,
    private readonly target: LogTarget,
    /** Characters already stored (a reattach after a restart): dropped before anything is kept. */
    private skip = 0,
  ) {}

  start(): void {
    this.running ??= this.loop();
  }

  /** The container has ended: read what is left, then resolve. */
  async finish(): Promise<void> {
    this.terminated = true;
    this.wake?.();
    this.start();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, FINISH_MS)));
    await Promise.race([this.running, late]).finally(() => clearTimeout(timer));
    this.stop();
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
    this.wake?.();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      // Once the container has ended, one read without follow gives the rest, and the log is done.
      const last = this.terminated;
      try {
        await this.readOnce(!last);
      } catch {
        // Not readable yet (the container is still being created) or the server went away: again.
        if (last) return;
      }
      if (last || this.stopped) return;
      // Ended while this follow ran: the last read at once.
      if (this.terminated) continue;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, RETRY_MS);
      });
      this.wake = undefined;
    }
  }

  private async readOnce(follow: boolean): Promise<void> {
    this.follows++;
    const read = ++this.read;
    const out = new PassThrough();
    this.partial = '';
    // Whole seconds, as the API server passes sinceTime on: every server then filters alike.
    this.since = this.maxNanos < 0n ? undefined : ((this.maxNanos - MARGIN) / SECOND) * SECOND;
    const since = this.since;
    this.replay = since === undefined ? [] : this.recent.filter((k) => k.nanos >= since);
    const ended = new Promise<void>((resolve) => {
      out.on('end', resolve);
      out.on('close', resolve);
      out.on('error', () => resolve());
      // A body that fails mid-stream (a connection reset) never ends what it is piped into: its own end or error counts.
      out.on('pipe', (body: NodeJS.ReadableStream) => {
        body.once('error', () => resolve());
        body.once('close', () => resolve());
      });
    });
    out.setEncoding('utf8');
    out.on('data', (chunk: string) => {
      // A chunk still buffered when its read ended: the next read replays it.
      if (read !== this.read) return;
      this.feed(chunk);
      const wait = this.target.backlog?.();
      if (wait) {
        out.pause();
        void wait.then(() => out.resume());
      }
    });
    this.abort = await this.log.log(this.namespace, this.pod, this.container, out, {
      follow,
      timestamps: true,
      ...(since !== undefined ? { sinceTime: new Date(Number(since / 1_000_000n)).toISOString().replace('.000Z', 'Z') } : {}),
    });
    if (this.stopped) this.abort.abort();
    await ended;
    // A line cut off by a follow that ended early comes again, whole, in the next read; only the
    // last read's unfinished line is the container's own last output without a newline.
    if (this.partial && !follow) this.feed('\n');
    this.partial = '';
    this.read++;
  }

  private feed(chunk: string): void {
    const text = this.partial + chunk;
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.keep(line);
  }

  private keep(line: string): void {
    const space = line.indexOf(' ');
    const stamp = space > 0 ? line.slice(0, space) : line;
    const nanos = stampToNanos(stamp);
    if (nanos === null) return this.emit(line + '\n', new Date().toISOString());
    // Before what was asked for (a server that filters coarser, or not at all): kept already.
    if (this.since !== undefined && nanos < this.since) return;
    const next = this.replay[0];
    if (next) {
      this.replay.shift();
      if (next.nanos === nanos && next.size === line.length) return;
      // Not the line kept at this place (the runtime's file was rotated away): nothing more is passed over.
      this.replay = [];
    }
    this.remember({ nanos, size: line.length });
    this.emit(line.slice(space + 1) + '\n', stampToIso(stamp));
  }

  private remember(kept: Kept): void {
    this.recent.push(kept);
    if (kept.nanos <= this.maxNanos) return;
    this.maxNanos = kept.nanos;
    // What no follow again can replay any more: before the earliest sinceTime still to come.
    const floor = ((this.maxNanos - MARGIN) / SECOND) * SECOND;
    let drop = 0;
    while (drop < this.recent.length && this.recent[drop]!.nanos < floor) drop++;
    if (drop > 0) this.recent.splice(0, drop);
  }

  private emit(text: string, t: string): void {
    if (this.skip > 0) {
      if (text.length <= this.skip) {
        this.skip -= text.length;
        return;
      }
      text = text.slice(this.skip);
      this.skip = 0;
    }
    this.target.line(text, t);
  }
}
