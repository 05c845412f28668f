import { containerName } from '../../../shared/containerName';
import { SECRET_MASK } from '../../../shared/ipc';
import type { Job } from '../../../shared/job';
import { useApp } from '../store/app';
import { MountList } from './MountList';
import { limitsText, originText, quotedArgv, retryText, secondsText } from './specText';

/**
 * Everything a job's run used, as the job page shows it: what ran (argv quoted as a shell needs
 * it), where (engine, container name and id), with what limits, timeout, retries, network,
 * mounts, output dir and dependencies, and how the job came to be.
 */
export function JobSpec({ job, attempt }: { job: Job; attempt: number | undefined }) {
  const s = job.spec;
  const a = job.attempts.find((x) => x.number === attempt);
  return (
    <>
      <div className="panel" data-testid="job-spec">
        <h3>Spec</h3>
        <dl className="kv">
          <dt>Origin</dt>
          <dd data-testid="spec-origin">{originText(job.origin)}</dd>
          <dt>Image</dt>
          <dd className="mono wrap-anywhere">{s.image}</dd>
          <dt>Command</dt>
          <dd className="mono wrap-anywhere" data-testid="spec-argv" title="the argv the container runs, quoted for a POSIX shell">
            {quotedArgv(s)}
          </dd>
          {s.workingDir && <Row name="Working dir" value={s.workingDir} mono />}
          {s.user && <Row name="User" value={s.user} mono />}
          <dt>Engine</dt>
          <dd>
            <span data-testid="spec-engine">{s.engineId ? `only ${s.engineId}` : s.engine}</span>
            {a && <span className="muted"> · ran on {a.engineId}</span>}
          </dd>
          {a && (
            <>
              <dt>Container</dt>
              <dd className="mono wrap-anywhere" data-testid="spec-container">
                <span data-testid="spec-container-name">{containerName(s.name, job.id, a.number)}</span>
                {a.containerId && (
                  <span className="muted" title={a.containerId} data-testid="spec-container-id">
                    {' '}
                    · {a.containerId.slice(0, 12)}
                  </span>
                )}
              </dd>
            </>
          )}
          <dt>Priority</dt>
          <dd>P{job.priority}</dd>
          <Row name="Limits" value={limitsText(s.limits)} />
          <Row name="Timeout" value={s.timeoutSeconds ? secondsText(s.timeoutSeconds) : 'none'} />
          <Row name="Retries" value={retryText(s.retry)} />
          <Row name="Network" value={s.network} />
          {s.tty && <Row name="TTY" value="yes" />}
          <Row name="Pull" value={s.pullPolicy} />
          <Row name="Output dir" value={s.outputDir ?? 'none'} mono={!!s.outputDir} />
          {(s.parallelism > 1 || (s.completions ?? 1) > 1) && (
            <Row
              name="Completions"
              value={s.completions === undefined ? `work queue: ${s.parallelism} at a time, done at the first success` : `${s.completions} (${s.completionMode}), ${s.parallelism} at a time`}
            />
          )}
          {s.keepContainer && <Row name="Container kept" value="yes, after it ends" />}
          <dt>After</dt>
          <dd data-testid="spec-depends">
            {job.dependsOn.length === 0
              ? 'no other job'
              : job.dependsOn.map((id) => (
                  <button key={id} className="link mono" onClick={() => useApp.getState().go('job', id)} title={id}>
                    {id.slice(0, 8)}
                  </button>
                ))}
          </dd>
          {Object.entries(s.labels).map(([k, v]) => (
            <Row key={`l:${k}`} name={`label ${k}`} value={v} mono />
          ))}
          {s.env.map((e) => (
            <Row key={`e:${e.name}`} name={`$${e.name}`} value={e.secret ? SECRET_MASK : e.value} mono />
          ))}
        </dl>
      </div>
      <MountList mounts={s.mounts} />
    </>
  );
}

function Row({ name, value, mono = false }: { name: string; value: string; mono?: boolean }) {
  return (
    <>
      <dt className={mono && name.startsWith('$') ? 'mono' : undefined}>{name}</dt>
      <dd className={`${mono ? 'mono ' : ''}wrap-anywhere`} title={value}>
        {value}
      </dd>
    </>
  );
}
