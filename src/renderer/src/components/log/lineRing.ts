import type { LogStream } from '../../../../shared/ipc';

/** A line the pane holds: its number in the whole log, its stream and the time of its first piece. */
export interface HeldLine {
  n: number;
  stream: LogStream;
  t: string;
}

const STREAMS: readonly LogStream[] = ['stdout', 'stderr', 'system'];
const CODE: Record<LogStream, number> = { stdout: 0, stderr: 1, system: 2 };

/**
 * What the gutter draws for each line start in the terminal, in the order the lines were written
 * ("index" k is the k-th line written since the terminal was reset). Typed arrays in a ring: no
 * object per line, and only the last `capacity` lines are kept, as the terminal's scrollback only
 * holds that many (capacity must exceed scrollback + rows).
 */
export class LineRing {
  /** Lines written so far: the index of the next one. */
  count = 0;
  private readonly mask: number;
  private readonly ns: Float64Array;
  private readonly streams: Uint8Array;
  private readonly ts: string[];

  constructor(capacityPow2 = 1 << 15) {
    if (capacityPow2 & (capacityPow2 - 1)) throw new Error('LineRing capacity must be a power of two');
    this.mask = capacityPow2 - 1;
    this.ns = new Float64Array(capacityPow2);
    this.streams = new Uint8Array(capacityPow2);
    this.ts = new Array<string>(capacityPow2);
  }

  get capacity(): number {
    return this.mask + 1;
  }

  /** The oldest index still kept. */
  get oldest(): number {
    return Math.max(0, this.count - this.capacity);
  }

  push(n: number, stream: LogStream, t: string): void {
    const i = this.count & this.mask;
    this.ns[i] = n;
    this.streams[i] = CODE[stream];
    this.ts[i] = t;
    this.count++;
  }

  has(index: number): boolean {
    return index >= this.oldest && index < this.count;
  }

  /** The line number at `index`, if kept. */
  n(index: number): number | undefined {
    return this.has(index) ? this.ns[index & this.mask] : undefined;
  }

  get(index: number): HeldLine | undefined {
    if (!this.has(index)) return undefined;
    const i = index & this.mask;
    return { n: this.ns[i]!, stream: STREAMS[this.streams[i]!]!, t: this.ts[i]! };
  }

  /** The index of line number `n` (numbers only go up), if kept. */
  indexOf(n: number): number | undefined {
    let lo = this.oldest;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = this.ns[mid & this.mask]!;
      if (at === n) return mid;
      if (at < n) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }
}
