// A pod's log through client-node's Log class (a stream, never the whole body in memory), with
// timestamps, followed again from the last stamp (sinceTime) whenever a follow ends while the
// container still runs: API servers and kubelets end follows early (idle timeouts, rotations).
// sinceTime is inclusive, so lines at or before the last stamp already kept are dropped.
import type { Log } from '@kubernetes/client-node';
import { PassThrough } from 'node:stream';
import { stampToIso, stampToNanos } from '../engines/timestamps';

export interface LogTarget {
  /** One line (with its newline) and the time the kubelet stamped on it, as an ISO string. */
  line(text: string, t: string): void;
  /** The log's writes are behind: resolves when they have room. */
  backlog?(): Promise<void> | undefined;
}

const RETRY_MS = 300;
/** After the container ends: how long its last output may take to come. */
const FINISH_MS = 5000;

export class LogFollower {
  private stopped = false;
  private terminated = false;
  private abort: AbortController | undefined;
  private lastStamp: string | undefined;
  private lastNanos = -1n;
  /** Lines kept at lastStamp (several lines may carry one stamp). */
  private atLast = 0;
  private partial = '';
  /** Lines at the last stamp still to drop in the current read. */
  private seenAtLast = 0;
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** Follows made: the first, then one per early end. */
  follows = 0;

  constructor(
    private readonly log: Log,
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
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, RETRY_MS);
      });
    }
  }

  private async readOnce(follow: boolean): Promise<void> {
    this.follows++;
    const out = new PassThrough();
    this.partial = '';
    // sinceTime repeats the lines at the last stamp: that many are dropped again.
    this.seenAtLast = this.lastStamp ? this.atLast : 0;
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
      ...(this.lastStamp ? { sinceTime: this.lastStamp } : {}),
    });
    if (this.stopped) this.abort.abort();
    await ended;
    if (this.partial) this.feed('\n');
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
    const text = line.slice(space + 1) + '\n';
    if (nanos < this.lastNanos) return;
    if (nanos === this.lastNanos) {
      // A reconnect repeats the lines at the last stamp: drop as many as were kept.
      if (this.seenAtLast > 0) {
        this.seenAtLast--;
        return;
      }
      this.atLast++;
    } else {
      this.lastNanos = nanos;
      this.lastStamp = stamp;
      this.atLast = 1;
    }
    this.emit(text, stampToIso(stamp));
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
