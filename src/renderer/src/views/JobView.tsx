import { useEffect, useState } from 'react';
import type { CommandOutput } from '../../../shared/ipc';
import { SECRET_MASK } from '../../../shared/ipc';
import type { Attempt, Job } from '../../../shared/job';
import { client } from '../client/client';
import { ExitBadge } from '../components/ExitBadge';
import { between, bytes, duration, when } from '../components/format';
import { LogPane } from '../components/LogPane';
import { MountList } from '../components/MountList';
import { StatusPill } from '../components/StatusPill';
import { useNow } from '../components/useNow';
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
  const act = (p: Promise<Job>, then?: (j: Job) => void) =>
    void p.then((j) => (then ? then(j) : useApp.setState((s) => ({ details: { ...s.details, [j.id]: j } }))), reportError);

  return (
    <section className="view view-fill" data-testid="job-detail" data-job-id={job.id} data-status={job.status}>
      <header className="view-head">
        <button className="ghost" onClick={() => useApp.getState().go('history')} title="Back to history">
          ←
        </button>
        <h1 className="ellipsis">{job.templateName}</h1>
        <StatusPill status={job.status} />
        <ExitBadge status={job.status} exitCode={job.exitCode} reason={job.reason} message={job.message} />
        <span className="muted mono">{job.id}</span>
        <div className="spacer" />
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
                Attempt {a.number}
              </button>
            ))}
            {job.attempts.length === 0 && <span className="muted">Waiting for the first attempt{job.waitingFor ? ` (engine ${job.waitingFor})` : ''}…</span>}
          </div>
          {shown !== undefined && <LogPane key={`${job.id}:${shown}`} jobId={job.id} attempt={shown} live={live} />}
        </div>
        <aside className="job-side">
          <Timings job={job} />
          <Attempts attempts={job.attempts} />
          <MountList mounts={job.spec.mounts} />
          <Panel title="Artifacts">
            {artifacts.length === 0 ? (
              <p className="muted small">None{job.spec.outputDir ? ` yet (from ${job.spec.outputDir})` : ' (no outputDir)'}</p>
            ) : (
              <ul className="plain">
                {artifacts.map((a) => (
                  <li key={`${a.attempt}/${a.name}`} title={a.path}>
                    <span className="mono">{a.name}</span> <span className="muted">#{a.attempt} · {bytes(a.size)}</span>
                  </li>
                ))}
              </ul>
            )}
          </Panel>
          <Panel title="Spec">
            <dl className="kv">
              <dt>Image</dt>
              <dd className="mono">{job.spec.image}</dd>
              <dt>Command</dt>
              <dd className="mono">{job.spec.command === undefined ? '(image default)' : Array.isArray(job.spec.command) ? job.spec.command.join(' ') : job.spec.command}</dd>
              <dt>Engine</dt>
              <dd>{job.spec.engine}</dd>
              <dt>Priority</dt>
              <dd>P{job.priority}</dd>
              {job.spec.env.map((e) => (
                <Env key={e.name} name={e.name} value={e.secret ? SECRET_MASK : e.value} />
              ))}
            </dl>
          </Panel>
        </aside>
      </div>
    </section>
  );
}

function Env({ name, value }: { name: string; value: string }) {
  return (
    <>
      <dt className="mono">${name}</dt>
      <dd className="mono ellipsis">{value}</dd>
    </>
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
  const running = job.status === 'running' && job.startedAt;
  return (
    <Panel title="Timings">
      <dl className="kv">
        <dt>Created</dt>
        <dd>{when(job.createdAt)}</dd>
        <dt>Queued for</dt>
        <dd>{between(job.createdAt, job.startedAt)}</dd>
        <dt>Started</dt>
        <dd>{when(job.startedAt)}</dd>
        <dt>Finished</dt>
        <dd>{when(job.finishedAt)}</dd>
        <dt>Duration</dt>
        <dd>{running ? duration(now - Date.parse(job.startedAt!)) : between(job.startedAt, job.finishedAt)}</dd>
        <dt>Peak memory</dt>
        <dd>{peak ? bytes(peak) : '–'}</dd>
        <dt>Retries</dt>
        <dd>
          {job.failures} / {job.spec.retry.limit}
        </dd>
      </dl>
    </Panel>
  );
}

function Attempts({ attempts }: { attempts: Attempt[] }) {
  return (
    <Panel title="Attempts">
      {attempts.length === 0 && <p className="muted small">None yet.</p>}
      <ul className="plain attempts">
        {attempts.map((a) => (
          <li key={a.number} data-testid="attempt">
            <span>#{a.number}</span>
            {a.status === 'starting' || a.status === 'running' ? (
              <span className="pill pill-running">{a.status}</span>
            ) : (
              <ExitBadge exitCode={a.exitCode} reason={a.reason} message={a.message} />
            )}
            <span className="muted">{a.engineId}</span>
            <span className="muted mono">{between(a.startedAt, a.finishedAt)}</span>
            {a.message && <span className="muted small attempt-msg">{a.message}</span>}
          </li>
        ))}
      </ul>
    </Panel>
  );
}
