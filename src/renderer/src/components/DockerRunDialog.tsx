import { useEffect, useState } from 'react';
import { looksSecret } from '../../../shared/dockerRun';
import type { DockerRunResult } from '../../../shared/ipc';
import { commandText } from '../../../shared/jobNumbers';
import { client } from '../client/client';
import { reportError, useApp } from '../store/app';
import { useFirstSteps } from './firstSteps';
import { Modal } from './Modal';

/** Paste a docker run / podman run line; see the template it makes and what Jobdeck cannot honour; save it. */
export function DockerRunDialog({ onClose }: { onClose(): void }) {
  const [line, setLine] = useState('');
  const [result, setResult] = useState<DockerRunResult | undefined>();
  const [secret, setSecret] = useState<Record<string, boolean>>({});
  const [confirmed, setConfirmed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [engine, setEngine] = useState<'any' | 'docker' | 'podman'>('any');
  const secretNames = Object.keys(secret).filter((n) => secret[n]);
  const secretKey = secretNames.join(',');

  // Read as the user types (a pasted line at once); the core's reading is the one that is saved.
  useEffect(() => {
    if (!line.trim()) {
      setResult(undefined);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      client.invoke('templates.fromDockerRun', { commandLine: line, secretNames }).then((r) => {
        if (!live) return;
        setResult(r);
        // A variable seen for the first time is marked secret when its name looks like one.
        const fresh = (r.spec?.env ?? []).filter((e) => !(e.name in secret));
        if (fresh.length) setSecret((s) => ({ ...s, ...Object.fromEntries(fresh.map((e) => [e.name, looksSecret(e.name)])) }));
      }, reportError);
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // A change of marks reads again: a value marked secret comes back masked.
  }, [line, secretKey]);

  const canSave = !!result?.spec && result.errors.length === 0 && (result.hostMounts.length === 0 || confirmed) && !busy;
  const save = async (then: 'list' | 'run' | 'edit') => {
    setBusy(true);
    try {
      const r = await client.invoke('templates.fromDockerRun', { commandLine: line, secretNames, save: true, confirmHostMounts: confirmed, engine });
      const t = r.template!;
      useApp.getState().toast('success', `Saved template ${t.name}`);
      onClose();
      if (then === 'run') {
        const job = await client.invoke('jobs.create', { templateId: t.id });
        useApp.getState().go('job', job.id);
      } else {
        useApp.getState().go('templates');
        if (then === 'edit') useFirstSteps.getState().edit(t);
      }
    } catch (error) {
      reportError(error);
    } finally {
      setBusy(false);
    }
  };
  const spec = result?.spec;

  return (
    <Modal
      title="Paste a docker run command"
      onClose={onClose}
      testId="docker-run-dialog"
      wide
      footer={
        <>
          <button onClick={onClose}>Cancel</button>
          <button onClick={() => void save('edit')} disabled={!canSave} data-testid="docker-run-save-edit">
            Save and edit
          </button>
          <button onClick={() => void save('list')} disabled={!canSave} data-testid="docker-run-save">
            Save template
          </button>
          <button className="primary" onClick={() => void save('run')} disabled={!canSave} data-testid="docker-run-save-run">
            Save and run
          </button>
        </>
      }
    >
      <div className="form">
        <label className="field">
          <span>docker run or podman run command line</span>
          <textarea
            rows={4}
            className="mono"
            value={line}
            onChange={(e) => setLine(e.target.value)}
            placeholder={'docker run --rm --name hello -e GREETING=hi busybox:1.36 \\\n  sh -c \'echo "$GREETING"\''}
            autoFocus
            spellCheck={false}
            data-testid="docker-run-line"
          />
        </label>
        <label className="field">
          <span>Engine</span>
          <select value={engine} onChange={(e) => setEngine(e.target.value as typeof engine)} data-testid="docker-run-engine">
            <option value="any">any engine</option>
            <option value="docker">docker</option>
            <option value="podman">podman</option>
          </select>
        </label>
        {result?.errors.map((e) => (
          <em key={e.path + e.message} className="field-error" role="alert">
            {e.path === 'commandLine' ? e.message : `${e.path}: ${e.message}`}
          </em>
        ))}
        {result && result.warnings.length > 0 && (
          <div className="notice" data-testid="docker-run-warnings">
            <b>Not taken over:</b>
            <ul>
              {result.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          </div>
        )}
        {spec && (
          <dl className="kv" data-testid="docker-run-preview" aria-label="The template">
            <dt>Name</dt>
            <dd>{spec.name}</dd>
            <dt>Image</dt>
            <dd className="mono">{spec.image}</dd>
            <dt>Command</dt>
            <dd className="mono">{commandText(spec.command)}</dd>
            {spec.entrypoint && (
              <>
                <dt>Entrypoint</dt>
                <dd className="mono">{spec.entrypoint.join(' ')}</dd>
              </>
            )}
            {spec.workingDir && (
              <>
                <dt>Working dir</dt>
                <dd className="mono">{spec.workingDir}</dd>
              </>
            )}
            {spec.user && (
              <>
                <dt>User</dt>
                <dd className="mono">{spec.user}</dd>
              </>
            )}
            <dt>Network</dt>
            <dd>{spec.network}</dd>
            {(spec.limits.memory !== undefined || spec.limits.cpus !== undefined) && (
              <>
                <dt>Limits</dt>
                <dd>
                  {[spec.limits.memory !== undefined && `memory ${spec.limits.memory}`, spec.limits.cpus !== undefined && `${spec.limits.cpus} CPUs`].filter(Boolean).join(', ')}
                </dd>
              </>
            )}
            <dt>Pull</dt>
            <dd>{spec.pullPolicy}</dd>
            {Object.keys(spec.labels).length > 0 && (
              <>
                <dt>Labels</dt>
                <dd className="mono">{Object.entries(spec.labels).map(([k, v]) => `${k}=${v}`).join(', ')}</dd>
              </>
            )}
          </dl>
        )}
        {spec && spec.env.length > 0 && (
          <fieldset className="field">
            <legend>Environment (mark the secrets: they are stored encrypted and shown masked)</legend>
            {spec.env.map((e) => (
              <label key={e.name} className="env-secret">
                <input type="checkbox" checked={secret[e.name] ?? false} onChange={(ev) => setSecret((s) => ({ ...s, [e.name]: ev.target.checked }))} />
                <span className="mono">
                  {e.name}={e.value}
                </span>{' '}
                <span className="muted">secret</span>
              </label>
            ))}
          </fieldset>
        )}
        {result && result.hostMounts.length > 0 && (
          <div className="notice">
            <b>This template mounts host directories:</b>
            <ul>
              {result.hostMounts.map((m) => (
                <li key={m} className="mono">
                  {m}
                </li>
              ))}
            </ul>
            <label>
              <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} data-testid="docker-run-confirm-mounts" /> I trust these mounts: the job may read
              {' '}and write these directories of this machine
            </label>
          </div>
        )}
      </div>
    </Modal>
  );
}
