import { useEffect, useMemo, useState } from 'react';
import type { Job } from '../../../shared/job';
import type { TemplateSpec } from '../../../shared/template';
import { client } from '../client/client';
import { reportError, useApp, type RunRequest } from '../store/app';
import { DependencyPicker, type Upstream } from './DependencyPicker';
import { EnvRows } from './EnvRows';
import { FirstSteps } from './FirstSteps';
import { Modal } from './Modal';
import { MAX_COPIES, runFormFrom, runOverrides, type RunErrors, type RunField, type RunForm } from './runForm';
import './templates.css';
import { defaultContextOptions } from './engines/defaultBy';

function FieldError({ errors, field }: { errors: RunErrors; field: RunField }) {
  const message = errors[field];
  return message ? (
    <em className="field-error" id={`run-${field}-error`} data-testid={`error-run-${field}`}>
      {message}
    </em>
  ) : null;
}

const invalid = (errors: RunErrors, field: RunField) =>
  errors[field] ? { 'aria-invalid': true, 'aria-describedby': `run-${field}-error` } : { 'aria-invalid': false };

/**
 * Run a template (or clone a job): every per-run field starts from the template's (the job's)
 * value and may be changed for this run only; dependencies and copies on top. The template is
 * never changed.
 */
export function RunDialog({ request }: { request: RunRequest }) {
  const templates = useApp((s) => s.templates);
  const engines = useApp((s) => s.engines);
  const close = () => useApp.getState().openRun(undefined);
  const [templateId, setTemplateId] = useState(request.templateId ?? templates[0]?.template.id ?? '');
  const cloning = request.cloneOf !== undefined;
  const cloned = useApp((s) => (request.cloneOf ? s.details[request.cloneOf] : undefined));
  useEffect(() => {
    if (request.cloneOf && !cloned) void useApp.getState().loadJob(request.cloneOf).catch(reportError);
  }, [request.cloneOf, cloned]);
  const chosen = templates.find((t) => t.template.id === templateId)?.template;
  const source: TemplateSpec | undefined = cloning ? cloned?.spec : chosen;
  // A new template (or the cloned job arriving) starts the form again from its values.
  const sourceKey = cloning ? `job:${request.cloneOf}:${cloned ? 'loaded' : ''}` : `template:${templateId}:${chosen ? 'found' : ''}`;
  const initial = useMemo(() => (source ? runFormFrom(source) : undefined), [sourceKey]);
  const [held, setHeld] = useState<{ key: string; form: RunForm }>();
  const form = held?.key === sourceKey ? held.form : initial;
  const [upstream, setUpstream] = useState<Upstream[]>([]);
  const [busy, setBusy] = useState(false);

  const checked = form && source ? runOverrides(form, source) : undefined;
  const errors = checked?.errors ?? {};
  const blocked = busy || !checked || Object.keys(errors).length > 0 || (!cloning && !templateId);
  const update = (patch: Partial<RunForm>) => form && setHeld({ key: sourceKey, form: { ...form, ...patch } });

  const submit = async () => {
    if (blocked || !checked) return;
    const { overrides, copies } = checked;
    setBusy(true);
    const queuedFirst: Job[] = [];
    const made: Job[] = [];
    try {
      // A template to run after is a new run of it, queued first; every copy waits for the same one.
      for (const u of upstream) if (u.kind === 'template') queuedFirst.push(await client.invoke('jobs.create', { templateId: u.id }));
      const dependsOn = [...upstream.filter((u) => u.kind === 'job').map((u) => u.id), ...queuedFirst.map((j) => j.id)];
      for (let i = 0; i < copies; i++) {
        made.push(
          cloning
            ? await client.invoke('jobs.clone', { id: request.cloneOf!, overrides, dependsOn })
            : await client.invoke('jobs.create', { templateId, overrides, dependsOn }),
        );
      }
    } catch (error) {
      // Nothing ran: the upstream runs queued for it would wait for nobody.
      if (made.length === 0) await Promise.all(queuedFirst.map((j) => client.invoke('jobs.cancel', { id: j.id }).catch(() => undefined)));
      reportError(error);
      setBusy(false);
      return;
    }
    setBusy(false);
    close();
    const name = made[0]!.templateName;
    if (made.length === 1) {
      useApp.getState().toast('success', `Queued ${name}`);
      useApp.getState().go('job', made[0]!.id);
    } else {
      useApp.getState().toast('success', `Queued ${made.length} copies of ${name}`);
      useApp.getState().go('queue');
    }
  };

  if (!cloning && templates.length === 0) return <Modal title="New run" onClose={close} footer={<button onClick={close}>Cancel</button>}><FirstSteps then={close} /></Modal>;
  // Worded as the editor's Engine field, so the two say the same of one engine.
  const engineOptions = [...defaultContextOptions(engines), ...engines.map((e) => ({ value: `id:${e.id}`, label: `only ${e.id} (${e.kind}, ${e.host})${e.status === 'available' ? '' : ' – unavailable'}` }))];
  if (form?.engine.startsWith('id:') && !engineOptions.some((o) => o.value === form.engine)) {
    engineOptions.push({ value: form.engine, label: `only ${form.engine.slice(3)} (not found)` });
  }

  return (
    <Modal
      title={cloning ? 'Clone job with overrides' : 'Run template'}
      onClose={close}
      testId="run-dialog"
      footer={
        <>
          <span className="muted small">This run only: the template is not changed.</span>
          <button onClick={close}>Cancel</button>
          <button className="primary" disabled={blocked} onClick={() => void submit()} data-testid="run-submit">
            {cloning ? 'Clone' : 'Run'}
            {checked && checked.copies > 1 ? ` ${checked.copies} copies` : ''}
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
          </dl>
        )}
        {form && (
          <>
            <label className="field">
              <span>Command</span>
              <input
                value={form.command}
                onChange={(e) => update({ command: e.target.value })}
                className="mono"
                title={form.command}
                placeholder={source?.command === undefined ? "the image's default (a line typed here runs with sh -c)" : undefined}
                {...invalid(errors, 'command')}
              />
              <FieldError errors={errors} field="command" />
            </label>
            <EnvRows rows={form.env} onChange={(env) => update({ env })} error={errors.env} />
            <div className="row">
              <label className="field">
                <span>Memory limit</span>
                <input value={form.memory} onChange={(e) => update({ memory: e.target.value })} placeholder="none, e.g. 256Mi" {...invalid(errors, 'memory')} />
                <FieldError errors={errors} field="memory" />
              </label>
              <label className="field">
                <span>CPUs</span>
                <input value={form.cpus} onChange={(e) => update({ cpus: e.target.value })} placeholder="none, e.g. 0.5" {...invalid(errors, 'cpus')} />
                <FieldError errors={errors} field="cpus" />
              </label>
              <div className="field">
                <label className="field-label" htmlFor="run-timeout">
                  Timeout (s)
                </label>
                <input id="run-timeout" value={form.timeout} onChange={(e) => update({ timeout: e.target.value })} inputMode="numeric" placeholder="none" {...invalid(errors, 'timeout')} />
                <FieldError errors={errors} field="timeout" />
              </div>
            </div>
            <div className="row">
              <label className="field">
                <span>Priority</span>
                <select value={form.priority} onChange={(e) => update({ priority: e.target.value })}>
                  {[1, 2, 3, 4, 5].map((p) => (
                    <option key={p} value={p}>
                      {p}
                      {p === 1 ? ' (highest)' : p === 5 ? ' (lowest)' : ''}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field grow">
                <span>Engine</span>
                <select value={form.engine} onChange={(e) => update({ engine: e.target.value })}>
                  <option value="any">any engine</option>
                  <option value="docker">any docker engine</option>
                  <option value="podman">any podman engine</option>
                  {engineOptions.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span>Copies</span>
                <input type="number" min={1} max={MAX_COPIES} value={form.copies} onChange={(e) => update({ copies: e.target.value })} {...invalid(errors, 'copies')} />
                <FieldError errors={errors} field="copies" />
              </label>
            </div>
            <DependencyPicker value={upstream} onChange={setUpstream} {...(request.cloneOf ? { exclude: [request.cloneOf] } : {})} />
          </>
        )}
      </form>
    </Modal>
  );
}
