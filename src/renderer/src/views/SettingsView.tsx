import { useState } from 'react';
import { SettingsPatch, type Settings } from '../../../shared/settings';
import { formatPath } from '../../../shared/errors';
import { client } from '../client/client';
import { reportError, useApp } from '../store/app';

type Status = 'completed' | 'failed' | 'cancelled';

export function SettingsView() {
  const settings = useApp((s) => s.settings);
  if (!settings) return <section className="view"><p className="empty">Loading…</p></section>;
  return <SettingsForm key={JSON.stringify(settings)} settings={settings} />;
}

function SettingsForm({ settings }: { settings: Settings }) {
  const [concurrency, setConcurrency] = useState(String(settings.concurrency));
  const [grace, setGrace] = useState(String(settings.stopGraceSeconds));
  const [logCapMiB, setLogCapMiB] = useState(String(Math.round(settings.logCapBytes / 1024 ** 2)));
  const [days, setDays] = useState(settings.retention.days === undefined ? '' : String(settings.retention.days));
  const [statuses, setStatuses] = useState<Status[]>(settings.retention.statuses);
  const [notify, setNotify] = useState(settings.notifications.enabled);
  const [muteSuccess, setMuteSuccess] = useState(settings.notifications.muteSuccess);
  const [tray, setTray] = useState(settings.closeToTray);
  const [saving, setSaving] = useState(false);

  const patch = {
    concurrency: Number(concurrency),
    stopGraceSeconds: Number(grace),
    logCapBytes: Math.round(Number(logCapMiB) * 1024 ** 2),
    // null clears the days in a patch (a key left out would keep the stored value).
    retention: { days: days.trim() ? Number(days) : null, statuses },
    notifications: { enabled: notify, muteSuccess },
    closeToTray: tray,
  };
  const parsed = SettingsPatch.strict().safeParse(patch);
  const issues: Record<string, string> = {};
  if (!parsed.success) for (const i of parsed.error.issues) issues[formatPath(i.path)] ??= i.message;

  const save = async () => {
    if (!parsed.success) return;
    setSaving(true);
    try {
      useApp.setState({ settings: await client.invoke('settings.update', parsed.data) });
      useApp.getState().toast('success', 'Settings saved');
    } catch (error) {
      reportError(error);
    } finally {
      setSaving(false);
    }
  };

  const num = (label: string, value: string, set: (v: string) => void, path: string, hint?: string) => (
    <label className={`field ${issues[path] ? 'invalid' : ''}`}>
      <span>{label}</span>
      <input value={value} onChange={(e) => set(e.target.value)} inputMode="numeric" name={path} />
      {hint && !issues[path] && <small className="muted">{hint}</small>}
      {issues[path] && <em className="field-error">{issues[path]}</em>}
    </label>
  );

  return (
    <section className="view" data-testid="settings-view">
      <header className="view-head">
        <h1>Settings</h1>
      </header>
      <form className="settings" onSubmit={(e) => (e.preventDefault(), void save())}>
        <div className="panel form">
          <h3>Queue</h3>
          <div className="row">
            {num('Concurrent jobs', concurrency, setConcurrency, 'concurrency', 'across all engines (1–64)')}
            {num('Stop grace (s)', grace, setGrace, 'stopGraceSeconds', 'SIGTERM → SIGKILL on cancel/timeout')}
            {num('Log cap per attempt (MiB)', logCapMiB, setLogCapMiB, 'logCapBytes')}
          </div>
        </div>
        <div className="panel form">
          <h3>Retention</h3>
          <div className="row">
            {num('Remove finished jobs after (days)', days, setDays, 'retention.days', 'empty keeps them forever')}
            <div className="field">
              <span>Statuses to remove</span>
              <div className="checks">
                {(['completed', 'failed', 'cancelled'] as const).map((s) => (
                  <label key={s} className="check">
                    <input
                      type="checkbox"
                      checked={statuses.includes(s)}
                      onChange={(e) => setStatuses(e.target.checked ? [...statuses, s] : statuses.filter((x) => x !== s))}
                    />
                    {s}
                  </label>
                ))}
              </div>
            </div>
          </div>
        </div>
        <div className="panel form">
          <h3>Desktop</h3>
          <label className="check">
            <input type="checkbox" checked={notify} onChange={(e) => setNotify(e.target.checked)} /> Notify when jobs end
          </label>
          <label className="check">
            <input type="checkbox" checked={muteSuccess} disabled={!notify} onChange={(e) => setMuteSuccess(e.target.checked)} /> Only notify
            about failures
          </label>
          <label className="check">
            <input type="checkbox" checked={tray} onChange={(e) => setTray(e.target.checked)} /> Closing the window keeps Jobdeck in the tray
          </label>
        </div>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={saving || !parsed.success} data-testid="settings-save">
            Save settings
          </button>
        </div>
      </form>
    </section>
  );
}
