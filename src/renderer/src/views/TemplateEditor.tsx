import { useEffect, useId, useRef, useState } from 'react';
import type { Template } from '../../../shared/template';
import { ClientError, client } from '../client/client';
import { Modal } from '../components/Modal';
import { MountEditor } from '../components/MountList';
import { ScheduleField, type ScheduleValue } from '../components/ScheduleField';
import { reportError, useApp } from '../store/app';
import { formFromTemplate, pathOf, validate, visibleIssues, type TemplateForm } from './templateForm';
import { TemplateChain } from '../components/TemplateChain';

/** Which form field each part of the schedule box is. */
const SCHEDULE_KEYS: Record<keyof ScheduleValue, keyof TemplateForm> = {
  cron: 'cron',
  seconds: 'cronSeconds',
  timeZone: 'timeZone',
  enabled: 'scheduleEnabled',
  allowFrequent: 'allowFrequent',
};

/**
 * Edit or create a template. It is given a Template (never a list summary); each field shows the
 * shared schema's message for it once the user has typed there, or all of them on Save.
 */
export function TemplateEditor({ template, onDone }: { template: Template | undefined; onDone(): void }) {
  const uid = useId();
  const [initial] = useState<TemplateForm>(() => formFromTemplate(template));
  const [form, setForm] = useState<TemplateForm>(initial);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverIssues, setServerIssues] = useState<Record<string, string>>({});
  const { spec, issues: localIssues } = validate(form, template);
  const issues = visibleIssues(localIssues, serverIssues, touched, submitted);
  const set = <K extends keyof TemplateForm>(k: K, v: TemplateForm[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    setTouched((t) => new Set([...t, pathOf(k)]));
    setServerIssues({});
  };

  const dirty = JSON.stringify(form) !== JSON.stringify(initial);

  /** True once stored: the leave dialog's Save goes on only then. */
  const save = async (): Promise<boolean> => {
    setSubmitted(true);
    if (!spec || busy) return false;
    setBusy(true);
    try {
      await client.invoke('templates.save', { ...(template ? { id: template.id } : {}), spec });
      useApp.getState().setUnsaved(undefined);
      useApp.getState().toast('success', `Saved ${spec.name}`);
      await useApp.getState().loadTemplates();
      onDone();
      return true;
    } catch (error) {
      if (error instanceof ClientError && error.issues) {
        setServerIssues(Object.fromEntries(error.issues.map((i) => [i.path.replace(/^spec\./, ''), i.message])));
      }
      reportError(error);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const saveRef = useRef(save);
  saveRef.current = save;

  // Changes not saved yet: Escape, Cancel, the backdrop or another view ask first (the leave dialog).
  const what = template ? `the template ${template.name}` : 'the new template';
  useEffect(() => {
    if (!dirty) return;
    useApp.getState().setUnsaved({ what, save: () => saveRef.current() });
    const onUnload = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', onUnload);
    return () => {
      useApp.getState().setUnsaved(undefined);
      window.removeEventListener('beforeunload', onUnload);
    };
  }, [dirty, what]);
  const close = () => useApp.getState().leave(onDone);

  const text = (k: keyof TemplateForm, label: string, placeholder = '') => {
    const path = pathOf(k);
    const id = `${uid}-${k}`;
    // The error sits outside the label and is tied to the input, so the field keeps its name.
    return (
      <div className={`field ${issues[path] ? 'invalid' : ''}`}>
        <label className="field-label" htmlFor={id}>
          {label}
        </label>
        <input
          id={id}
          value={form[k] as string}
          placeholder={placeholder}
          onChange={(e) => set(k, e.target.value as never)}
          name={k}
          aria-invalid={!!issues[path]}
          {...(issues[path] ? { 'aria-describedby': `${id}-error` } : {})}
        />
        {issues[path] && (
          <em className="field-error" id={`${id}-error`} data-testid={`error-${path}`}>
            {issues[path]}
          </em>
        )}
      </div>
    );
  };
  const shown = new Set(['name', 'description', 'image', 'command', 'engine', 'network', 'priority', 'timeoutSeconds', 'retry.limit', 'limits.memory', 'limits.cpus', 'outputDir', 'schedule.cron']);
  const other = Object.entries(issues).filter(([p]) => !shown.has(p) && !p.startsWith('env') && !p.startsWith('mounts'));
  const schedule: ScheduleValue = { cron: form.cron, seconds: form.cronSeconds, timeZone: form.timeZone, enabled: form.scheduleEnabled, allowFrequent: form.allowFrequent };

  return (
    <Modal
      title={template ? `Edit ${template.name}` : 'New template'}
      onClose={close}
      onSubmit={() => void save()}
      testId="template-editor"
      wide
      footer={
        <>
          {dirty && <span className="muted small" data-testid="editor-unsaved">unsaved changes</span>}
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button type="button" className="primary" disabled={busy} onClick={() => void save()} data-testid="template-save">
            Save template
          </button>
        </>
      }
    >
      <form className="form" onSubmit={(e) => (e.preventDefault(), void save())} noValidate>
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
          {text('retryLimit', 'Retries', '0')}
        </div>
        <div className="row">
          {text('memory', 'Memory limit', '256Mi')}
          {text('cpus', 'CPUs', '0.5')}
          {text('outputDir', 'Artifacts dir', '/out')}
        </div>
        <ScheduleField
          value={schedule}
          error={issues['schedule.cron'] ?? issues.schedule}
          onChange={(patch) => {
            for (const [k, v] of Object.entries(patch) as [keyof ScheduleValue, never][]) set(SCHEDULE_KEYS[k], v);
          }}
        />
        <MountEditor mounts={form.mounts} issues={issues} onChange={(m) => set('mounts', m)} />
        <div className="field">
          <span>Environment</span>
          {form.env.map((e, i) => (
            <div className="env-row" key={i}>
              <input
                aria-label={`Variable ${i + 1} name`}
                className={issues[`env[${i}].name`] ? 'invalid' : ''}
                value={e.name}
                placeholder="NAME"
                onChange={(ev) => set('env', form.env.map((x, j) => (j === i ? { ...x, name: ev.target.value } : x)))}
              />
              <input
                aria-label={`Variable ${i + 1} value`}
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
              <button type="button" className="ghost" onClick={() => set('env', form.env.filter((_, j) => j !== i))} aria-label={`Remove variable ${i + 1}`}>
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
            {m}
          </p>
        ))}
        {template && <TemplateChain templateId={template.id} />}
      </form>
    </Modal>
  );
}
