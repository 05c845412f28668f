import { appendFile } from 'node:fs/promises';
import { onTestFinished, vi } from 'vitest';
import { lowdbWriter, type FileWriter } from '../../src/main/core/store/writes';

// The store times its writes with setTimeout and Date.now (writes.ts). These tests run them on
// vitest's fake timers and wait for the store's disk work itself, never for a stretch of real
// time: the timer that is due fires when the test moves the clock, and the write it starts is
// waited for through the writer.

/** A FileWriter (lowdb's unless given) that knows when none of its writes is in flight. */
export interface WatchedWriter extends FileWriter {
  /** Writes and appends begun and not yet ended. */
  readonly busy: number;
  /** Resolves once no write is in flight. */
  idle(): Promise<void>;
}

export function watchedWriter(inner: FileWriter = lowdbWriter()): WatchedWriter {
  let busy = 0;
  let waiters: (() => void)[] = [];
  const track = async (work: () => Promise<void>): Promise<void> => {
    busy++;
    try {
      await work();
    } finally {
      if (--busy === 0) {
        const w = waiters;
        waiters = [];
        for (const wake of w) wake();
      }
    }
  };
  return {
    get busy() {
      return busy;
    },
    write: (file, data) => track(() => inner.write(file, data)),
    append: (file, text) => track(() => (inner.append ? inner.append(file, text) : appendFile(file, text, 'utf8'))),
    idle: () => (busy === 0 ? Promise.resolve() : new Promise<void>((r) => waiters.push(r))),
  };
}

/**
 * setTimeout and Date fake from here to the end of the test; I/O and setImmediate stay real.
 * The real clock comes back when the test ends, registered per test: a hook at this module's top
 * level would run only in the first file that imports it, since unit files share one module graph
 * per worker, and the files after it would inherit a clock that never moves.
 */
export function fakeStoreTime(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  onTestFinished(() => void vi.useRealTimers());
}

/** Every write begun is done, and what the store does once it is done (the next timer) has run. */
export async function settled(writer: WatchedWriter): Promise<void> {
  do {
    await writer.idle();
    // A real turn of the event loop: the promise chains behind the write run to their end.
    await new Promise<void>((r) => setImmediate(r));
  } while (writer.busy > 0);
}

/**
 * The fake clock moved on by `ms` in steps of `step`, each step's timers fired and the writes
 * they began finished before the next step: the store sees time pass as it would, in order.
 */
export async function passTime(writer: WatchedWriter, ms: number, step = 5): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    await vi.advanceTimersByTimeAsync(Math.min(step, ms - t));
    await settled(writer);
  }
}
