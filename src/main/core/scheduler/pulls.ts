import type { ImageProgress } from '../../../shared/ipc';
import { foldPull, type PullState } from '../../../shared/pull';
import type { AttemptSink } from '../engines/types';
import type { SchedulerDeps } from './types';

/** Byte counts of one status go out at most this often; a new status at once. */
export const PULL_EVERY_MS = 250;

/**
 * The sink's pullProgress for one attempt: each step of its image pull as one image.progress
 * payload. A pull prints many steps a second; the job page needs a few. A step held back is sent
 * when its interval ends unless a newer one went first: a pull that stalls (a slow registry) shows
 * the bytes it got, not those of up to 250 ms before.
 */
export function pullReporter(
  d: Pick<SchedulerDeps, 'clock' | 'onImageProgress'>,
  of: Pick<ImageProgress, 'id' | 'engineId' | 'image'>,
): AttemptSink['pullProgress'] {
  const report = d.onImageProgress;
  if (!report) return undefined;
  // Per layer: layers download side by side, and each one's bar moves on its own.
  const last = new Map<string, { status: string; at: number; held?: ImageProgress; timer?: unknown }>();
  const send = (key: string, p: ImageProgress) => {
    const prev = last.get(key);
    if (prev?.timer !== undefined) d.clock.clearTimeout(prev.timer);
    last.set(key, { status: p.status, at: d.clock.now() });
    report(p);
  };
  return (step) => {
    const now = d.clock.now();
    const key = step.layer ?? '';
    const prev = last.get(key);
    const p = { ...of, ...step };
    if (!prev || prev.status !== step.status || now - prev.at >= PULL_EVERY_MS) return send(key, p);
    prev.held = p;
    prev.timer ??= d.clock.setTimeout(() => {
      const entry = last.get(key);
      if (entry?.held) send(key, entry.held);
    }, prev.at + PULL_EVERY_MS - now);
  };
}

/** Pulls still kept once many jobs have pulled: the oldest go first. */
const KEEP_PULLS = 200;

/**
 * Each job's pull as its image.progress events told it, for a window opened in the middle of a
 * pull (`jobs.pull`): a stalled pull sends nothing more, so waiting for its next event would show
 * nothing at all.
 */
export class PullBoard {
  private readonly pulls = new Map<string, PullState>();

  /** Folds one event in; gives the event back (to send on). */
  note = (p: ImageProgress): ImageProgress => {
    const next = foldPull(this.pulls.get(p.id), p);
    this.pulls.delete(p.id);
    this.pulls.set(p.id, next);
    if (this.pulls.size > KEEP_PULLS) this.pulls.delete(this.pulls.keys().next().value!);
    return p;
  };

  of(jobId: string): PullState | undefined {
    return this.pulls.get(jobId);
  }
}
