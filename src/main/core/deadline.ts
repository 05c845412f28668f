import { systemClock, type Clock } from './clock';

/** How long a call that should answer at once (a probe, a listing) may take before the engine counts as not answering. */
export const ENGINE_ANSWER_MS = 10_000;

/** A span as a message says it: "300 ms", "10 s". */
export const inWords = (ms: number): string => (ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`);

/** `work`, or a rejection saying the engine did not answer within `ms` (timed on `clock`). */
export function withinDeadline<T>(work: Promise<T>, ms: number, clock: Pick<Clock, 'setTimeout' | 'clearTimeout'> = systemClock): Promise<T> {
  let timer: unknown;
  const late = new Promise<never>((_, reject) => {
    timer = clock.setTimeout(() => reject(new Error(`did not answer within ${inWords(ms)}`)), ms);
  });
  return Promise.race([work, late]).finally(() => clock.clearTimeout(timer));
}

/** Starts a timer; the function it gives back cancels it. */
export type SetTimer = (fn: () => void, ms: number) => () => void;

export const realTimer: SetTimer = (fn, ms) => {
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
};

/** How `work` ended within `ms`: done, failed with its error, or still going (a close that must not hold a quit). */
export async function within(work: Promise<unknown>, ms: number, setTimer: SetTimer = realTimer): Promise<'done' | 'timeout' | { error: unknown }> {
  let cancel = () => {};
  const timeout = new Promise<'timeout'>((resolve) => {
    cancel = setTimer(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([work.then(() => 'done' as const, (error: unknown) => ({ error })), timeout]);
  } finally {
    cancel();
  }
}
