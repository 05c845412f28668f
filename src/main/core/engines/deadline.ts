import { systemClock, type Clock } from '../clock';

/** How long a call that should answer at once (a probe, a listing) may take before the engine counts as not answering. */
export const ENGINE_ANSWER_MS = 10_000;

/** `work`, or a rejection saying the engine did not answer within `ms` (timed on `clock`). */
export function withinDeadline<T>(work: Promise<T>, ms: number, clock: Pick<Clock, 'setTimeout' | 'clearTimeout'> = systemClock): Promise<T> {
  let timer: unknown;
  const late = new Promise<never>((_, reject) => {
    timer = clock.setTimeout(() => reject(new Error(`did not answer within ${ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`}`)), ms);
  });
  return Promise.race([work, late]).finally(() => clock.clearTimeout(timer));
}
