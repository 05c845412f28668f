import { attemptPhase } from '../../../shared/pod';
import { useEffect, useState } from 'react';
import type { CommandOutput } from '../../../shared/ipc';
import type { Attempt, Job } from '../../../shared/job';
import { attemptDurationMs, attemptLabel, attemptSpan, jobDurationMs, jobSpan, retriesOf, type Span } from '../../../shared/jobNumbers';
import { client } from '../client/client';
import { AttemptSteps } from '../components/AttemptSteps';
import { DependencyGraph } from '../components/DependencyGraph';
import { ArtifactList } from '../components/ArtifactList';
import { ExitBadge } from '../components/ExitBadge';
import { JobControls, JobPolicyState } from '../components/JobPolicyState';
import { between, bytes, duration, until, when } from '../components/format';
import { LogPane } from '../components/LogPane';
import { JobSpec } from '../components/JobSpec';
import { JobTimeline } from '../components/JobTimeline';
import { PullProgress } from '../components/PullProgress';
import { StatusPill } from '../components/StatusPill';
import { useNow } from '../components/useNow';
import { JobDeliveries } from '../components/notify/JobDeliveries';
import { reportError, useApp } from '../store/app';

type Artifacts = CommandOutput<'artifacts.list'>;

export function JobView() {
  const jobId = useApp((s) => s.jobId);
  const job = useApp((s) => (s.jobId ? s.details[s.jobId] : undefined));
  const [chosen, setChosen] = useState<number | undefined>();
  const [artifacts, setArtifacts] = useState<Artifacts>([]);

  useEffect(() => {
    setChosen(undefined);
    if (jobId) void useApp.getState().loadJob(jobId).catch(reportError);
  }, [jobId]);

  const ended = job ? ['completed', 'failed', 'cancelled'].includes(job.status) : false;
  const attemptCount = job?.attempts.length ?? 0;
  useEffect(() => {
    if (jobId) void client.invoke('artifacts.list', { id: jobId }).then(setArtifacts, () => setArtifacts([]));
  }, [jobId, ended, attemptCount]);

  if (!jobId) return <section className="view"><p className="empty">No job selected.</p></section>;
  if (!job) return <section className="view"><p className="empty">Loading…</p></section>;

  // Follow the newest attempt unless one was picked; a retry opens a fresh pane for its attempt.
  const latest = job.attempts[job.attempts.length - 1];
  const shown = chosen ?? latest?.number;
  const live = !ended && shown === latest?.number;
  const shownAttempt = job.attempts.find((a) => a.number === shown);
  const artifactOf = (n: number) => {
    const a = job.attempts.find((x) => x.number === n);
    return a ? attemptLabel(job, a) : `#${n}`;
  };
  const act = (p: Promise<Job>, then?: (j: Job) => void) =>
    void p.then((j) => (then ? then(j) : useApp.setState((s) => ({ details: { ...s.details, [j.id]: j } }))), reportError);

  return (
    <section className="view view-fill" data-testid="job-detail" data-job-id={job.id} data-status={job.status}>
      <header className="view-head">
        <button className="ghost" onClick={() => useApp.getState().go('history')} title="Back to history">
          ←
        </button>
        <h1 className="ellipsis" title={job.templateName}>
          {job.templateName}
        </h1>
        {/* While it runs the badge says so; a second "running" pill beside it would say it twice. */}
        {ended && <StatusPill status={job.status} />}
        <ExitBadge status={job.status} exitCode={job.exitCode} reason={job.reason} message={job.message} />
        <span className="muted mono ellipsis" title={job.id}>
          {job.id}
        </span>
        <div className="spacer" />
        <JobControls job={job} act={(p) => act(p)} />
        {!ended && (
          <button className="danger" onClick={() => act(client.invoke('jobs.cancel', { id: job.id }))} data-testid="job-cancel">
            Cancel
          </button>
        )}
        {job.status === 'failed' && (
          <button onClick={() => act(client.invoke('jobs.retry', { id: job.id }))} data-testid="job-retry">
            Retry
          </button>
        )}
        <button onClick={() => useApp.getState().openRun({ cloneOf: job.id })} data-testid="job-clone">
          Clone…
        </button>
        <button
          className="primary"
          onClick={() => act(client.invoke('jobs.clone', { id: job.id }), (j) => useApp.getState().go('job', j.id))}
          data-testid="job-run-again"
        >
          Run again
        </button>
      </header>
      {job.message && <div className="notice">{job.message}</div>}
      <div className="job-grid">
        <div className="job-logs">
          <div className="tabs">
            {job.attempts.map((a) => (
              <button
                key={a.number}
                className={`tab ${a.number === shown ? 'active' : ''}`}
                onClick={() => setChosen(a.number === latest?.number ? undefined : a.number)}
              >
                {attemptLabel(job, a)}
              </button>
            ))}
            {job.attempts.length === 0 && <span className="muted">Waiting for the first attempt{job.waitingFor ? ` (engine ${job.waitingFor})` : ''}…</span>}
          </div>
          <PullProgress job={job} />
          {shownAttempt && <AttemptSteps key={`${job.id}:${shownAttempt.number}`} jobId={job.id} attempt={shownAttempt} />}
          {shown !== undefined && <LogPane key={`${job.id}:${shown}`} jobId={job.id} attempt={shown} live={live} />}
        </div>
        {/* Focusable: it scrolls when its panels outgrow the window, and a keyboard must reach that. */}
        <aside className="job-side" tabIndex={0} aria-label="Job details">
          <Timings job={job} />
          <JobPolicyState job={job} />
          <Attempts job={job} />
          <JobTimeline job={job} />
          <JobDeliveries jobId={job.id} />
          <DependencyGraph job={job} />
          <Panel title="Artifacts">
            {artifacts.length === 0 ? (
              <p className="muted small">None{job.spec.outputDir ? ` yet (from ${job.spec.outputDir})` : ' (no outputDir)'}</p>
            ) : (
              <ArtifactList jobId={job.id} artifacts={artifacts} label={artifactOf} />
            )}
          </Panel>
          <JobSpec job={job} attempt={shown} />
        </aside>
      </div>
    </section>
  );
}

function Panel({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="panel">
      <h3>{title}</h3>
      {children}
    </div>
  );
}

function Timings({ job }: { job: Job }) {
  const now = useNow();
  const peak = Math.max(0, ...job.attempts.map((a) => a.peakMemoryBytes ?? 0));
  const retries = retriesOf(job);
  // Started, Finished and Duration read the same stamps: the run's first start and last end.
  const span = jobSpan(job);
  return (
    <Panel title="Timings">
      <dl className="kv">
        <dt>Created</dt>
        <dd>{when(job.createdAt)}</dd>
        <dt>Queued for</dt>
        <dd>{between(job.createdAt, span.from ?? job.startedAt)}</dd>
        <dt>Started</dt>
        <dd>{when(span.from ?? job.startedAt)}</dd>
        <dt>Finished</dt>
        <dd>{when(span.to ?? job.finishedAt)}</dd>
        <dt>Duration</dt>
        <Duration span={span} ms={jobDurationMs(job, now)} />
        <dt>Peak memory</dt>
        <dd>{peak ? bytes(peak) : '–'}</dd>
        <dt>Retries</dt>
        <dd title="attempts started again after a failure, of the template's retry limit">
          {retries.used} / {retries.limit}
          {retries.nextAt && <span className="muted"> · next in {until(retries.nextAt, now)}</span>}
        </dd>
      </dl>
    </Panel>
  );
}

/** A duration as a person reads it, with the stamps it comes from for whoever hovers (or tests). */
function Duration({ span, ms, as: Tag = 'dd' }: { span: Span; ms: number | null; as?: 'dd' | 'span' }) {
  return (
    <Tag
      className="mono"
      data-from={span.from}
      data-to={span.to}
      data-ms={ms ?? undefined}
      title={span.from ? `${when(span.from)} → ${span.to ? when(span.to) : 'now'}` : undefined}
    >
      {duration(ms)}
    </Tag>
  );
}

function Attempts({ job }: { job: Job }) {
  const now = useNow();
  const attempts: Attempt[] = job.attempts;
  return (
    <Panel title="Attempts">
      {attempts.length === 0 && <p className="muted small">None yet.</p>}
      <ul className="plain attempts">
        {attempts.map((a) => (
          <li key={a.number} data-testid="attempt" data-from={attemptSpan(a).from} data-to={attemptSpan(a).to} data-ms={attemptDurationMs(a, now) ?? undefined}>
            <span>{attemptLabel(job, a)}</span>
            {/* The header already says "running" in words: a running attempt shows a live dot. */}
            {a.status === 'running' ? (
              <span className="live-dot" role="img" aria-label="running" title="running" />
            ) : a.status === 'starting' ? (
              <span className="pill pill-running" data-testid="attempt-phase">{attemptPhase(a) ?? 'starting'}</span>
            ) : (
              <ExitBadge exitCode={a.exitCode} reason={a.reason} message={a.message} />
            )}
            <span className="muted">{a.engineId}</span>
            <Duration as="span" span={attemptSpan(a)} ms={attemptDurationMs(a, now)} />
            {a.message && <span className="muted small attempt-msg">{a.message}</span>}
          </li>
        ))}
      </ul>
    </Panel>
  );
}
