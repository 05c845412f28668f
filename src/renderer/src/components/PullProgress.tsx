import { useSyncExternalStore } from 'react';
import type { Job } from '../../../shared/job';
import { formatBytes } from '../../../shared/quantity';
import { client } from '../client/client';
import { foldPull, pullFinished, pullStateText, pullSummary, waitsForImage, type PullState } from './pullText';

/**
 * Every job's pull as last reported, kept for the window's life (one subscription): a view opened
 * in the middle of a pull (the Queue after the job page) shows it at once, not at its next event,
 * which a stalled pull may never send. The oldest go once there are many.
 */
const pulls = new Map<string, PullState>();
const listeners = new Set<() => void>();
const KEEP_PULLS = 200;
let subscribed = false;
function subscribe(listener: () => void): () => void {
  if (!subscribed) {
    subscribed = true;
    client.on('image.progress', (p) => {
      const next = foldPull(pulls.get(p.id), p);
      pulls.delete(p.id);
      pulls.set(p.id, next);
      if (pulls.size > KEEP_PULLS) pulls.delete(pulls.keys().next().value!);
      for (const l of listeners) l();
    });
  }
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function usePull(jobId: string): PullState | undefined {
  return useSyncExternalStore(subscribe, () => pulls.get(jobId));
}

const bar = (pull: PullState, percent: number | undefined, text: string) => (
  <progress max={100} value={percent ?? 0} aria-label={`Pulling ${pull.image}`} aria-valuetext={text} />
);

/** The job's image pull while its attempt waits for it: layers done, bytes over all layers, one bar for the whole pull, and each layer's line. */
export function PullProgress({ job }: { job: Pick<Job, 'id' | 'status' | 'attempts'> }) {
  const pull = usePull(job.id);
  if (!pull || !waitsForImage(job)) return null;
  const sum = pullSummary(pull);
  const text = pullStateText(pull, formatBytes);
  return (
    <div className="notice" role="status" data-testid="pull-progress">
      <div>{text}</div>
      {bar(pull, sum.percent, text)}
      {sum.layers > 0 && (
        <ul className="pull-layers">
          {Object.entries(pull.layers).map(([id, l]) => (
            <li key={id} className="mono">
              {id.replace(/^sha256:/, '').slice(0, 12)}: {l.status}
              {l.total !== undefined && !l.done ? ` ${formatBytes(l.current ?? 0)} of ${formatBytes(l.total)}` : ''}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The same pull in a queue row: the bar and its percentage, the whole text on hover; gone once the pull is. */
export function PullProgressRow({ jobId, running }: { jobId: string; running: boolean }) {
  const pull = usePull(jobId);
  if (!pull || !running || pullFinished(pull)) return null;
  const sum = pullSummary(pull);
  const text = pullStateText(pull, formatBytes);
  return (
    <span className="pull-compact" data-testid="pull-progress-row" title={text}>
      {bar(pull, sum.percent, text)} <span className="muted">{sum.percent !== undefined ? `${sum.percent} %` : 'pulling'}</span>
    </span>
  );
}
