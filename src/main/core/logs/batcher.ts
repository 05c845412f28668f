import type { LiveLogChunk } from '../../../shared/ipc';

/**
 * Live log chunks, coalesced per job and sent every `intervalMs` (~30 ms): a flood of tiny
 * writes becomes a few events a second, adjacent chunks of one attempt and stream merged into one
 * (adjacent in the file too: the merged chunk's byte range must be the records it stands for).
 * With `leading`, output after a quiet spell (a job's first line, a prompt after a pause) goes
 * at the end of this turn of the event loop instead of an interval later; the chunks that follow
 * it within the interval wait for the interval as before.
 */
export class LogBatcher {
  private pending = new Map<string, LiveLogChunk[]>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private immediate: ReturnType<typeof setImmediate> | undefined;
  private closed = false;
  /** When the last batch went out (ms); -Infinity: never. */
  private lastFlush = -Infinity;

  constructor(
    private readonly flushTo: (jobId: string, chunks: LiveLogChunk[]) => void,
    private readonly intervalMs = 30,
    private readonly opts: { leading?: boolean } = {},
  ) {}

  push(jobId: string, chunk: LiveLogChunk): void {
    let list = this.pending.get(jobId);
    if (!list) this.pending.set(jobId, (list = []));
    const last = list[list.length - 1];
    if (last && last.attempt === chunk.attempt && last.stream === chunk.stream && last.to === chunk.from) {
      // Keeps the first chunk's time: when this stretch of output began.
      list[list.length - 1] = { ...last, data: last.data + chunk.data, to: chunk.to };
    } else {
      list.push(chunk);
    }
    // After close (a late chunk while the app quits) there is no timer to wait for: send now.
    if (this.closed) this.flush();
    else if (this.timer || this.immediate) return;
    else if (!this.opts.leading) this.timer = setTimeout(() => this.flush(), this.intervalMs);
    else {
      const wait = this.lastFlush + this.intervalMs - Date.now();
      if (wait <= 0) this.immediate = setImmediate(() => this.flush());
      else this.timer = setTimeout(() => this.flush(), wait);
    }
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    this.lastFlush = Date.now();
    const batches = this.pending;
    this.pending = new Map();
    for (const [jobId, chunks] of batches) {
      try {
        this.flushTo(jobId, chunks);
      } catch {
        // One failing subscriber must not cost the other jobs their output.
      }
    }
  }

  close(): void {
    this.closed = true;
    this.flush();
  }
}
