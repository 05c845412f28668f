import { useState } from 'react';
import { commandText } from '../../../shared/jobNumbers';
import { TimeoutSeconds, type JobOverridesInput } from '../../../shared/template';
import { client } from '../client/client';
import { reportError, useApp, type RunRequest } from '../store/app';
import { parseEnv } from './envText';
import { FirstSteps } from './FirstSteps';
import { Modal } from './Modal';
import './templates.css';

/** Run a template (or clone a job) with per-run overrides; the template itself is not changed. */
export function RunDialog({ request }: { request: RunRequest }) {
  const templates = useApp((s) => s.templates);
  const close = () => useApp.getState().openRun(undefined);
  const [templateId, setTemplateId] = useState(request.templateId ?? templates[0]?.template.id ?? '');
  const [command, setCommand] = useState('');
  const [envText, setEnvText] = useState('');
  const [timeout, setTimeoutText] = useState('');
  const [priority, setPriority] = useState('');
  const [engine, setEngine] = useState('');
  const [busy, setBusy] = useState(false);
  const env = parseEnv(envText);
  const [timeoutTouched, setTimeoutTouched] = useState(false);
  // The template's own rule (and message): a run may not set what a template may not.
  const timeoutCheck = timeout.trim() ? TimeoutSeconds.safeParse(Number.isFinite(Number(timeout)) ? Number(timeout) : timeout) : undefined;
  const timeoutError = timeoutCheck && !timeoutCheck.success ? timeoutCheck.error.issues[0]?.message : undefined;
  const chosen = templates.find((t) => t.template.id === templateId)?.template;
  const cloning = request.cloneOf !== undefined;
  // What will run, shown in full on hover: a long image or command is cut, never pushes the dialog.
  const cloned = useApp((s) => (request.cloneOf ? s.details[request.cloneOf]?.spec : undefined));
  const source = cloning ? cloned : chosen;

  const submit = async () => {
    setTimeoutTouched(true);
    if (env.error || timeoutError || (!cloning && !templateId)) return;
    const overrides: JobOverridesInput = {
      ...(command.trim() ? { command: command.trim() } : {}),
      ...(env.env.length ? { env: env.env } : {}),
      ...(timeout.trim() ? { timeoutSeconds: Number(timeout) } : {}),
      ...(priority ? { priority: Number(priority) } : {}),
      ...(engine === 'any' || engine === 'docker' || engine === 'podman' ? { engine } : {}),
    };
    setBusy(true);
    try {
      const job = cloning
        ? await client.invoke('jobs.clone', { id: request.cloneOf!, overrides })
        : await client.invoke('jobs.create', { templateId, overrides });
      close();
      useApp.getState().toast('success', `Queued ${job.templateName}`);
      useApp.getState().go('job', job.id);
    } catch (error) {
      reportError(error);
    } finally {
      setBusy(false);
    }
  };

  if (!cloning && templates.length === 0) return <Modal title="New run" onClose={close} footer={<button onClick={close}>Cancel</button>}><FirstSteps then={close} /></Modal>;
  return (
    <Modal
      title={cloning ? 'Clone job with overrides' : 'Run template'}
      onClose={close}
      footer={
        <>
          <button onClick={close}>Cancel</button>
          <button className="primary" disabled={busy || !!env.error || !!timeoutError || (!cloning && !templateId)} onClick={() => void submit()} data-testid="run-submit">
            {cloning ? 'Clone' : 'Run'}
          </button>
        </>
      }
    >
      <form className="form" onSubmit={(e) => (e.preventDefault(), void submit())}>
        {!cloning && (
          <label className="field">
            <span>Template</span>
            <select value={templateId} onChange={(e) => setTemplateId(e.target.value)} autoFocus>
              {templates.length === 0 && <option value="">No templates yet — drop a file on the window</option>}
              {templates.map(({ template: t }) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {source && (
          <dl className="kv run-what">
            <dt>Image</dt>
            <dd className="mono ellipsis" title={source.image}>
              {source.image}
            </dd>
            <dt>Command</dt>
            <dd className="mono ellipsis" title={commandText(source.command)}>
              {commandText(source.command)}
            </dd>
          </dl>
        )}
        <label className="field">
          <span>Command</span>
          <input value={command} onChange={(e) => setCommand(e.target.value)} placeholder="keep the template's (a string runs with sh -c)" />
        </label>
        <label className="field">
          <span>Environment</span>
          <textarea rows={3} value={envText} onChange={(e) => setEnvText(e.target.value)} placeholder="NAME=value, one per line; replaces by name" />
          {env.error && <em className="field-error">{env.error}</em>}
        </label>
        <div className="row">
          <div className="field">
            <label className="field-label" htmlFor="run-timeout">
              Timeout (s)
            </label>
            <input
              id="run-timeout"
              value={timeout}
              onChange={(e) => {
                setTimeoutText(e.target.value);
                setTimeoutTouched(true);
              }}
              inputMode="numeric"
              placeholder={chosen?.timeoutSeconds !== undefined ? `template's: ${chosen.timeoutSeconds}` : "template's: none"}
              aria-invalid={timeoutTouched && !!timeoutError}
              {...(timeoutTouched && timeoutError ? { 'aria-describedby': 'run-timeout-error' } : {})}
            />
            {timeoutTouched && timeoutError && (
              <em className="field-error" id="run-timeout-error" data-testid="error-run-timeout">
                {timeoutError}
              </em>
            )}
          </div>
          <label className="field">
            <span>Priority</span>
            <select value={priority} onChange={(e) => setPriority(e.target.value)}>
              <option value="">template's</option>
              {[1, 2, 3, 4, 5].map((p) => (
                <option key={p} value={p}>
                  {p}
                  {p === 1 ? ' (highest)' : p === 5 ? ' (lowest)' : ''}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Engine</span>
            <select value={engine} onChange={(e) => setEngine(e.target.value)}>
              <option value="">template's</option>
              <option value="any">any</option>
              <option value="docker">docker</option>
              <option value="podman">podman</option>
            </select>
          </label>
        </div>
      </form>
    </Modal>
  );
}
