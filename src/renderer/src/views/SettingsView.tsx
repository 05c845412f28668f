import { useEffect, useRef, useState } from 'react';
import { formatPath } from '../../../shared/errors';
import { SettingsPatch, type Settings } from '../../../shared/settings';
import { client } from '../client/client';
import { AlertsPanel } from '../components/alerts/AlertsPanel';
import { CleanupNow } from '../components/selection/CleanupNow';
import { NotificationSettings } from '../components/notify/NotificationSettings';
import { reportError, useApp } from '../store/app';
import { formFromSettings, settingsPatch, type RemovableStatus, type SettingsFormValues } from './settingsPatch';

export function SettingsView() {
  const settings = useApp((s) => s.settings);
  if (!settings) return <section className="view"><p className="empty">Loading…</p></section>;
  return <SettingsForm settings={settings} />;
}

function SettingsForm({ settings }: { settings: Settings }) {
  // What the form started from; the patch is what changed since. A reload of the settings (after a
  // reconnect, or a save elsewhere) is taken in only while nothing here is unsaved.
  const [base, setBase] = useState(settings);
  const [form, setForm] = useState<SettingsFormValues>(() => formFromSettings(settings));
  const [saving, setSaving] = useState(false);
  const patch = settingsPatch(base, form);
  const dirty = Object.keys(patch).length > 0;
  const parsed = SettingsPatch.strict().safeParse(patch);
  const issues: Record<string, string> = {};
  if (!parsed.success) for (const i of parsed.error.issues) issues[formatPath(i.path)] ??= i.message;
  const set = <K extends keyof SettingsFormValues>(k: K, v: SettingsFormValues[K]) => setForm((f) => ({ ...f, [k]: v }));

  useEffect(() => {
    if (settings !== base && !dirty) {
      setBase(settings);
      setForm(formFromSettings(settings));
    }
  }, [settings, base, dirty]);

  const save = async (): Promise<boolean> => {
    if (!parsed.success) return false;
    setSaving(true);
    try {
      const saved = await client.invoke('settings.update', parsed.data);
      useApp.setState({ settings: saved });
      setBase(saved);
      setForm(formFromSettings(saved));
      useApp.getState().toast('success', 'Settings saved');
      return true;
    } catch (error) {
      reportError(error);
      return false;
    } finally {
      setSaving(false);
    }
  };
  const saveRef = useRef(save);
  saveRef.current = save;

  // Leaving with unsaved changes asks first: in the app (the leave dialog) and for the page.
  useEffect(() => {
    if (!dirty) return;
    useApp.getState().setUnsaved({ what: 'Settings', save: () => saveRef.current() });
    const onUnload = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', onUnload);
    return () => {
      useApp.getState().setUnsaved(undefined);
      window.removeEventListener('beforeunload', onUnload);
    };
  }, [dirty]);

  const num = (label: string, k: 'concurrency' | 'stopGraceSeconds' | 'logCapMiB' | 'days', path: string, hint?: string) => (
    <label className={`field ${issues[path] ? 'invalid' : ''}`}>
      <span>{label}</span>
      <input value={form[k]} onChange={(e) => set(k, e.target.value)} inputMode="numeric" name={path} />
      {hint && !issues[path] && <small className="muted">{hint}</small>}
      {issues[path] && <em className="field-error">{issues[path]}</em>}
    </label>
  );

  return (
    <section className="view" data-testid="settings-view">
      <header className="view-head">
        <h1>Settings</h1>
        {dirty && <span className="pill pill-paused" data-testid="settings-unsaved">unsaved changes</span>}
      </header>
      <form className="settings" onSubmit={(e) => (e.preventDefault(), void save())}>
        <div className="panel form">
          <h2 className="panel-title">Queue</h2>
          <div className="row">
            {num('Concurrent jobs', 'concurrency', 'concurrency', 'across all engines (1–64)')}
            {num('Stop grace (s)', 'stopGraceSeconds', 'stopGraceSeconds', 'SIGTERM → SIGKILL on cancel/timeout')}
            {num('Log cap per attempt (MiB)', 'logCapMiB', 'logCapBytes')}
          </div>
        </div>
        <div className="panel form">
          <h2 className="panel-title">Retention</h2>
          <div className="row">
            {num('Remove finished jobs after (days)', 'days', 'retention.days', 'empty keeps them forever')}
            <fieldset className="field plain-fieldset">
              <legend>Statuses to remove</legend>
              <div className="checks">
                {(['completed', 'failed', 'cancelled'] as const satisfies readonly RemovableStatus[]).map((s) => (
                  <label key={s} className="check">
                    <input
                      type="checkbox"
                      checked={form.statuses.includes(s)}
                      onChange={(e) => set('statuses', e.target.checked ? [...form.statuses, s] : form.statuses.filter((x) => x !== s))}
                    />
                    {s}
                  </label>
                ))}
              </div>
            </fieldset>
          </div>
          <p className="muted small cleanup-row">
            <CleanupNow /> Remove finished jobs now, with a count first.
          </p>
        </div>
        <div className="panel form">
          <h2 className="panel-title">Desktop</h2>
          <label className="check">
            <input type="checkbox" checked={form.notify} onChange={(e) => set('notify', e.target.checked)} /> Notify when jobs end
          </label>
          <label className="check">
            <input type="checkbox" checked={form.muteSuccess} disabled={!form.notify} onChange={(e) => set('muteSuccess', e.target.checked)} /> Only
            notify about failures
          </label>
          <label className="check">
            <input type="checkbox" checked={form.closeToTray} onChange={(e) => set('closeToTray', e.target.checked)} /> Closing the window keeps
            Jobdeck in the tray
          </label>
        </div>
        <div className="form-actions">
          <button type="button" disabled={!dirty || saving} onClick={() => setForm(formFromSettings(base))}>
            Discard changes
          </button>
          <button type="submit" className="primary" disabled={saving || !dirty || !parsed.success} data-testid="settings-save">
            Save settings
          </button>
        </div>
      </form>
      <NotificationSettings settings={settings} />
      <div className="settings">
        <AlertsPanel />
      </div>
    </section>
  );
}
