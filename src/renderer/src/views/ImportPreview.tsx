import { useState } from 'react';
import { client } from '../client/client';
import { reportError, useApp } from '../store/app';

/** What the dropped files would become: per file its templates, errors and warnings; save the good ones. */
export function ImportPreview() {
  const results = useApp((s) => s.importPreview);
  const [saving, setSaving] = useState(false);
  if (!results) return null;
  const good = results.filter((r) => r.ok).flatMap((r) => r.templates);
  const close = () => useApp.getState().setImportPreview(undefined);

  const saveAll = async () => {
    setSaving(true);
    let saved = 0;
    for (const spec of good) {
      try {
        await client.invoke('templates.save', { spec });
        saved++;
      } catch (error) {
        reportError(error);
      }
    }
    setSaving(false);
    await useApp.getState().loadTemplates().catch(reportError);
    useApp.getState().toast('success', `Saved ${saved} template${saved === 1 ? '' : 's'}`);
    close();
  };

  return (
    <div className="panel import" data-testid="import-preview">
      <div className="panel-head">
        <h3>
          Import {results.length} file{results.length === 1 ? '' : 's'}
        </h3>
        <div className="spacer" />
        <button onClick={close}>Discard</button>
        <button className="primary" disabled={saving || good.length === 0} onClick={() => void saveAll()} data-testid="import-save">
          Save {good.length} template{good.length === 1 ? '' : 's'}
        </button>
      </div>
      {results.map((r, i) => (
        <div key={`${r.file}-${i}`} className={`import-file ${r.ok ? 'ok' : 'bad'}`} data-testid="import-file" data-ok={r.ok}>
          <div className="import-name">
            <span className={`dot ${r.ok ? 'dot-ok' : 'dot-bad'}`} />
            <b className="mono">{r.file}</b>
            <span className="muted">{r.ok ? `${r.templates.length} template${r.templates.length === 1 ? '' : 's'}` : 'not imported'}</span>
          </div>
          {r.templates.map((t) => (
            <div key={t.name} className="import-template">
              <b>{t.name}</b> <span className="mono muted">{t.image}</span>{' '}
              <span className="muted">
                · {t.engine} · P{t.priority}
                {t.schedule ? ` · ${t.schedule.cron}` : ''}
              </span>
            </div>
          ))}
          {r.errors.map((e, j) => (
            <div key={j} className="issue issue-error" data-testid="import-error">
              <span className="mono">{e.path}</span> {e.message}
            </div>
          ))}
          {r.warnings.map((w, j) => (
            <div key={j} className="issue issue-warning">
              {w}
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}
