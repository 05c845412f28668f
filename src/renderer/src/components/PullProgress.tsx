import { useEffect, useSyncExternalStore } from 'react';
import type { Job } from '../../../shared/job';
import { formatBytes } from '../../../shared/quantity';
import { client } from '../client/client';
import { foldPull, pullFinished, type PullState, type PullStep } from '../../../shared/pull';
import { pullStateText, pullSummary, waitsForImage } from './pullText';

/**
 * Every job's pull as last reported, kept for the window's life (one subscription, made when the
 * window starts): a view opened in the middle of a pull shows it at once, not at its next event,
 * which a stalled pull may never send. A job first seen here asks the core how far its pull got
 * (a pull begun before this window opened); events that cross that answer are folded onto it
 * again, which changes nothing they had already changed. The oldest go once there are many.
 */
const pulls = new Map<string, PullState>();
/** Jobs the core was asked about (so each once), and the events that came while an answer was on its way. */
const asked = new Set<string>();
const inFlight = new Map<string, PullStep[]>();
const listeners = new Set<() => void>();
const KEEP_PULLS = 200;
const changed = () => {
  for (const l of listeners) l();
};
const keep = (id: string, state: PullState) => {
  pulls.delete(id);
  pulls.set(id, state);
  if (pulls.size > KEEP_PULLS) pulls.delete(pulls.keys().next().value!);
};
let subscribed = false;
export function followPulls(): void {
  if (subscribed) return;
  subscribed = true;
  client.on('image.progress', (p) => {
    inFlight.get(p.id)?.push(p);
    keep(p.id, foldPull(pulls.get(p.id), p));
    changed();
  });
}

function askCore(jobId: string): void {
  if (asked.has(jobId) || pulls.has(jobId)) return;
  asked.add(jobId);
  if (asked.size > KEEP_PULLS * 5) asked.delete(asked.values().next().value!);
  inFlight.set(jobId, []);
  client.invoke('jobs.pull', { id: jobId }).then(
    (state) => {
      const crossed = inFlight.get(jobId) ?? [];
      inFlight.delete(jobId);
      if (state) keep(jobId, crossed.reduce(foldPull, state));
      changed();
    },
    () => inFlight.delete(jobId),
  );
}

function subscribe(listener: () => void): () => void {
  followPulls();
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function usePull(jobId: string, active: boolean): PullState | undefined {
  useEffect(() => {
    if (active) askCore(jobId);
  }, [jobId, active]);
  return useSyncExternalStore(subscribe, () => pulls.get(jobId));
}

const bar = (pull: PullState, percent: number | undefined, text: string) => (
  <progress max={100} value={percent ?? 0} aria-label={`Pulling ${pull.image}`} aria-valuetext={text} />
);

/** The job's image pull while its attempt waits for it: layers done, bytes over all layers, one bar for the whole pull, and each layer's line. */
export function PullProgress({ job }: { job: Pick<Job, 'id' | 'status' | 'attempts'> }) {
  const waits = waitsForImage(job);
  const pull = usePull(job.id, waits);
  if (!pull || !waits) return null;
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
  const pull = usePull(jobId, running);
  if (!pull || !running || pullFinished(pull)) return null;
  const sum = pullSummary(pull);
  const text = pullStateText(pull, formatBytes);
  return (
    <span className="pull-compact" data-testid="pull-progress-row" title={text}>
      {bar(pull, sum.percent, text)} <span className="muted">{sum.percent !== undefined ? `${sum.percent} %` : 'pulling'}</span>
    </span>
  );
}
