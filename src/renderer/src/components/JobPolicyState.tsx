// The Kubernetes Job semantics of one job on its page: suspend/resume and pin in the header, and a
// panel with the state of each index and the policies that decide the job's end.
import type { Job } from '../../../shared/job';
import { completionsOf, formatIndexRanges, isSuspended, isWorkQueue, type PodFailurePolicyRule } from '../../../shared/jobPolicies';
import { client } from '../client/client';
import './jobPolicy.css';

const TERMINAL = ['completed', 'failed', 'cancelled'];

/** Suspend/Resume (while the job is pending or running) and Pin, as header buttons. */
export function JobControls({ job, act }: { job: Job; act: (p: Promise<Job>) => void }) {
  const ended = TERMINAL.includes(job.status);
  const suspended = isSuspended(job);
  return (
    <>
      {!ended && (
        <button
          onClick={() => act(client.invoke(suspended ? 'jobs.resume' : 'jobs.suspend', { id: job.id }))}
          data-testid={suspended ? 'job-resume' : 'job-suspend'}
          title={suspended ? 'Start its containers again' : 'Stop its containers and start none until resumed; it stays pending'}
        >
          {suspended ? 'Resume' : 'Suspend'}
        </button>
      )}
      <button
        aria-pressed={Boolean(job.pinned)}
        onClick={() => act(client.invoke('jobs.pin', { id: job.id, pinned: !job.pinned }))}
        data-testid="job-pin"
        title={job.pinned ? 'Pinned: kept past its TTL and by retention' : 'Keep this job past its TTL and retention'}
      >
        {job.pinned ? 'Pinned' : 'Pin'}
      </button>
    </>
  );
}

type IndexState = 'succeeded' | 'failed' | 'running' | 'stopped' | 'waiting';
const STATES: IndexState[] = ['succeeded', 'failed', 'running', 'stopped', 'waiting'];

/**
 * Each completion index's state now, from the job's record: succeeded, failed for good (or, once
 * the job has ended, failed last), running, stopped (its last attempt cancelled), or waiting to run.
 */
export function indexStates(job: Job): IndexState[] {
  const n = isWorkQueue(job.spec) ? job.spec.parallelism : completionsOf(job.spec);
  const ended = TERMINAL.includes(job.status);
  const succeeded = new Set(job.succeededIndexes);
  const failed = new Set(job.failedIndexes ?? []);
  const last = new Map(job.attempts.map((a) => [a.index, a.status]));
  return Array.from({ length: n }, (_, i): IndexState => {
    const status = last.get(i);
    if (succeeded.has(i)) return 'succeeded';
    if (failed.has(i) || (ended && status === 'failed')) return 'failed';
    if (status === 'running' || status === 'starting') return 'running';
    return status === 'cancelled' ? 'stopped' : 'waiting';
  });
}

function ruleText(r: PodFailurePolicyRule): string {
  if (r.onExitCodes) {
    const who = r.onExitCodes.containerName ?? 'any container';
    return `${r.action} when ${who} exits ${r.onExitCodes.operator === 'In' ? 'with' : 'with other than'} ${r.onExitCodes.values.join(', ')}`;
  }
  return `${r.action} on ${(r.onPodConditions ?? []).map((c) => (c.status === 'True' ? 'a disruption' : `DisruptionTarget ${c.status}`)).join(' or ')}`;
}

/** Whether the job has anything for the panel to show. */
export function hasPolicyState(job: Job): boolean {
  const s = job.spec;
  return (
    s.completionMode === 'Indexed' ||
    isWorkQueue(s) ||
    isSuspended(job) ||
    Boolean(s.podFailurePolicy || s.successPolicy || s.ttlSecondsAfterFinished !== undefined || s.retry.retryOnExitCodes)
  );
}

export function JobPolicyState({ job }: { job: Job }) {
  if (!hasPolicyState(job)) return null;
  const s = job.spec;
  const states = indexStates(job);
  const count = (k: IndexState) => states.filter((x) => x === k).length;
  const ended = TERMINAL.includes(job.status);
  const showIndexes = s.completionMode === 'Indexed' || isWorkQueue(s);
  return (
    <div className="panel" data-testid="job-policy">
      <h3>{s.completionMode === 'Indexed' ? 'Indexes and policies' : 'Policies'}</h3>
      {isSuspended(job) && !ended && (
        <p className="policy-suspended" data-testid="job-suspended">
          Suspended: no container starts until it is resumed.
        </p>
      )}
      {showIndexes && (
        <>
          <p className="small" data-testid="index-counts">
            {isWorkQueue(s) ? `Work queue of ${s.parallelism}: done once one succeeds and all have ended. ` : ''}
            {STATES.filter((k) => k !== 'stopped' || count(k) > 0).map((k) => `${count(k)} ${k}`).join(' · ')}
          </p>
          <ol className="index-grid" aria-label="Index states">
            {states.map((state, i) => (
              <li key={i} className={`index-chip index-${state}`} title={`index ${i}: ${state}`} data-testid="index-chip" data-state={state}>
                {i}
              </li>
            ))}
          </ol>
          {(job.failedIndexes?.length ?? 0) > 0 && <p className="small">Failed indexes: <span className="mono">{formatIndexRanges(job.failedIndexes ?? [])}</span></p>}
        </>
      )}
      <dl className="kv">
        {s.podFailurePolicy && (
          <>
            <dt>Pod failure</dt>
            <dd>
              <ol className="plain policy-rules">
                {s.podFailurePolicy.rules.map((r, i) => (
                  <li key={i}>
                    <span className="muted">rule {i}:</span> {ruleText(r)}
                  </li>
                ))}
              </ol>
            </dd>
          </>
        )}
        {s.successPolicy && (
          <>
            <dt>Success</dt>
            <dd>
              {s.successPolicy.rules
                .map((r) => [r.succeededIndexes && `indexes ${r.succeededIndexes}`, r.succeededCount && `${r.succeededCount} succeeded`].filter(Boolean).join(', '))
                .join(' or ')}
            </dd>
          </>
        )}
        {s.backoffLimitPerIndex !== undefined && (
          <>
            <dt>Per index</dt>
            <dd>
              {s.backoffLimitPerIndex} retries each{s.maxFailedIndexes !== undefined ? `, at most ${s.maxFailedIndexes} failed` : ''}
            </dd>
          </>
        )}
        {s.retry.retryOnExitCodes && (
          <>
            <dt>Retries on</dt>
            <dd className="mono">{s.retry.retryOnExitCodes.join(', ')}</dd>
          </>
        )}
        {s.ttlSecondsAfterFinished !== undefined && (
          <>
            <dt>TTL</dt>
            <dd data-testid="job-ttl">{job.pinned ? 'kept (pinned)' : `removed ${s.ttlSecondsAfterFinished} s after it ends`}</dd>
          </>
        )}
      </dl>
    </div>
  );
}
