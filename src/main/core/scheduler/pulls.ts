import type { ImageProgress } from '../../../shared/ipc';
import type { AttemptSink } from '../engines/types';
import type { SchedulerDeps } from './types';

/** Byte counts of one status go out at most this often; a new status at once. */
export const PULL_EVERY_MS = 250;

/**
 * The sink's pullProgress for one attempt: each step of its image pull as one image.progress
 * payload. A pull prints many steps a second; the job page needs a few.
 */
export function pullReporter(
  d: Pick<SchedulerDeps, 'clock' | 'onImageProgress'>,
  of: Pick<ImageProgress, 'id' | 'engineId' | 'image'>,
): AttemptSink['pullProgress'] {
  const report = d.onImageProgress;
  if (!report) return undefined;
  // Per layer: layers download side by side, and each one's bar moves on its own.
  const last = new Map<string, { status: string; at: number }>();
  return (p) => {
    const now = d.clock.now();
    const key = p.layer ?? '';
    const prev = last.get(key);
    if (prev && prev.status === p.status && now - prev.at < PULL_EVERY_MS) return;
    last.set(key, { status: p.status, at: now });
    report({ ...of, ...p });
  };
}
