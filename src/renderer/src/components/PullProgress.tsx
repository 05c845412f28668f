import { useEffect, useState } from 'react';
import type { Job } from '../../../shared/job';
import { formatBytes } from '../../../shared/quantity';
import { client } from '../client/client';
import { foldPull, pullFinished, pullStateText, pullSummary, waitsForImage, type PullState } from './pullText';

function usePull(jobId: string): PullState | undefined {
  const [pull, setPull] = useState<PullState | undefined>(undefined);
  useEffect(() => client.on('image.progress', (p) => p.id === jobId && setPull((s) => foldPull(s, p))), [jobId]);
  return pull;
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
