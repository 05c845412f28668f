import { useState } from 'react';
import type { Template } from '../../../shared/template';
import { client } from '../client/client';
import { ClientError } from '../client/client';
import { reportError, useApp } from '../store/app';
import { formFromTemplate, validate, type TemplateForm } from './templateForm';

/** Edit or create a template; every field shows the shared schema's message for it as you type. */
export function TemplateEditor({ template, onDone }: { template: Template | undefined; onDone(): void }) {
  const [form, setForm] = useState<TemplateForm>(() => formFromTemplate(template));
  const [touched, setTouched] = useState(false);
  const [serverIssues, setServerIssues] = useState<Record<string, string>>({});
  const { spec, issues: localIssues } = validate(form, template);
  const issues = { ...serverIssues, ...(touched ? localIssues : {}) };
  const set = <K extends keyof TemplateForm>(k: K, v: TemplateForm[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    setTouched(true);
    setServerIssues({});
  };

  const save = async () => {
    setTouched(true);
    if (!spec) return;
    try {
      await client.invoke('templates.save', { ...(template ? { id: template.id } : {}), spec });
      useApp.getState().toast('success', `Saved ${spec.name}`);
      await useApp.getState().loadTemplates();
      onDone();
    } catch (error) {
      if (error instanceof ClientError && error.issues) {
        setServerIssues(Object.fromEntries(error.issues.map((i) => [i.path.replace(/^spec\./, ''), i.message])));
      }
      reportError(error);
    }
  };

  const text = (k: keyof TemplateForm, label: string, placeholder = '', path: string = k) => (
    <label className={`field ${issues[path] ? 'invalid' : ''}`}>
      <span>{label}</span>
      <input value={form[k] as string} placeholder={placeholder} onChange={(e) => set(k, e.target.value as never)} name={k} />
      {issues[path] && <em className="field-error" data-testid={`error-${path}`}>{issues[path]}</em>}
    </label>
  );
  const shown = new Set(['name', 'description', 'image', 'command', 'engine', 'network', 'priority', 'timeoutSeconds', 'retry.limit', 'limits.memory', 'limits.cpus', 'outputDir', 'schedule.cron']);
  const other = Object.entries(issues).filter(([p]) => !shown.has(p) && !p.startsWith('env'));

  return (
    <div className="editor panel" data-testid="template-editor">
      <h3>{template ? `Edit ${template.name}` : 'New template'}</h3>
      <form className="form" onSubmit={(e) => (e.preventDefault(), void save())}>
        <div className="row">
          {text('name', 'Name', 'nightly-backup')}
          {text('image', 'Image', 'busybox:latest')}
        </div>
        {text('description', 'Description')}
        {text('command', 'Command', 'echo hello  (or ["echo","hello"])')}
        <div className="row">
          <label className="field">
            <span>Engine</span>
            <select value={form.engine} onChange={(e) => set('engine', e.target.value)}>
              <option value="any">any</option>
              <option value="docker">docker</option>
              <option value="podman">podman</option>
            </select>
          </label>
          <label className="field">
            <span>Network</span>
            <select value={form.network} onChange={(e) => set('network', e.target.value)}>
              <option value="none">none</option>
              <option value="bridge">bridge</option>
              <option value="host">host</option>
            </select>
          </label>
          {text('priority', 'Priority (1–5)')}
          {text('timeoutSeconds', 'Timeout (s)', 'none')}
          {text('retryLimit', 'Retries', '0', 'retry.limit')}
        </div>
        <div className="row">
          {text('memory', 'Memory limit', '256Mi', 'limits.memory')}
          {text('cpus', 'CPUs', '0.5', 'limits.cpus')}
          {text('outputDir', 'Artifacts dir', '/out')}
          {text('cron', 'Schedule (cron)', '0 3 * * *', 'schedule.cron')}
        </div>
        <div className="field">
          <span>Environment</span>
          {form.env.map((e, i) => (
            <div className="env-row" key={i}>
              <input
                className={issues[`env[${i}].name`] ? 'invalid' : ''}
                value={e.name}
                placeholder="NAME"
                onChange={(ev) => set('env', form.env.map((x, j) => (j === i ? { ...x, name: ev.target.value } : x)))}
              />
              <input
                type={e.secret ? 'password' : 'text'}
                value={e.value}
                placeholder="value"
                onChange={(ev) => set('env', form.env.map((x, j) => (j === i ? { ...x, value: ev.target.value } : x)))}
              />
              <label className="check">
                <input
                  type="checkbox"
                  checked={e.secret}
                  onChange={(ev) => set('env', form.env.map((x, j) => (j === i ? { ...x, secret: ev.target.checked } : x)))}
                />
                secret
              </label>
              <button type="button" className="ghost" onClick={() => set('env', form.env.filter((_, j) => j !== i))} aria-label="Remove">
                ✕
              </button>
              {issues[`env[${i}].name`] && <em className="field-error">{issues[`env[${i}].name`]}</em>}
            </div>
          ))}
          <button type="button" className="small" onClick={() => set('env', [...form.env, { name: '', value: '', secret: false }])}>
            + Variable
          </button>
        </div>
        {other.map(([p, m]) => (
          <p key={p} className="field-error">
            {p}: {m}
          </p>
        ))}
        <div className="form-actions">
          <button type="button" onClick={onDone}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={touched && !spec} data-testid="template-save">
            Save template
          </button>
        </div>
      </form>
    </div>
  );
}
