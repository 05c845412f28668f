import { useMemo, useRef, useState } from 'react';
import { formatFireTime } from '../../../shared/schedule';
import type { Template } from '../../../shared/template';
import { client } from '../client/client';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ExportDialog, type ExportChoice } from '../components/editor/ExportDialog';
import { ExitBadge } from '../components/ExitBadge';
import { when } from '../components/format';
import { importFiles, TEMPLATE_DRAG_TYPE } from '../drop/useTemplateFileDrop';
import { reportError, useApp } from '../store/app';
import { useFirstSteps } from '../components/firstSteps';
import { ImportPreview } from './ImportPreview';
import { TemplateEditor } from './TemplateEditor';
import { useNow } from '../components/useNow';
import '../components/yaml/yaml.css';
import { downloadBase64 } from '../components/selection/download';
import { countLabel, filterTemplates, nextRunOf, SORT_LABELS, sortTemplates, type TemplateSort } from './templateList';

/** A Blob link: works the same in Electron and a browser, no file system access needed. */
function download(filename: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: 'text/plain' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function TemplatesView() {
  const templates = useApp((s) => s.templates);
  const preview = useApp((s) => s.importPreview);
  const [editing, setEditing] = useState<Template | 'new' | undefined>();
  const [filter, setFilter] = useState('');
  const [deleting, setDeleting] = useState<Template | undefined>();
  const [sort, setSort] = useState<TemplateSort>('name');
  const [scheduledOnly, setScheduledOnly] = useState(false);
  const [exporting, setExporting] = useState<string[] | undefined>();
  const picker = useRef<HTMLInputElement>(null);
  // The next runs move on with the clock: read again each minute, not on every render.
  const minute = Math.floor(useNow(30_000) / 60_000);
  const nextRuns = useMemo(() => new Map(templates.map((s) => [s.template.id, nextRunOf(s.template, new Date(minute * 60_000))])), [templates, minute]);
  const shown = sortTemplates(filterTemplates(templates, filter, scheduledOnly), sort, nextRuns);

  const exportMany = (ids: string[], c: ExportChoice) => {
    setExporting(undefined);
    void client.invoke('templates.exportMany', { ids, ...c }).then(({ files }) => {
      for (const f of files) {
        if (f.encoding === 'base64') downloadBase64(f.filename, f.content);
        else download(f.filename, f.content);
      }
      useApp.getState().toast('success', files.length === 1 ? `Exported ${ids.length} template${ids.length === 1 ? '' : 's'} to ${files[0]!.filename}` : `Exported ${files.length} files`);
    }, reportError);
  };
  // A copy with its secrets (the core has them; the window only sees masks), opened to be renamed or changed.
  const duplicate = (t: Template) =>
    void client.invoke('templates.duplicate', { id: t.id }).then(async (copy) => {
      useApp.getState().toast('success', `Saved a copy: ${copy.name}${copy.schedule ? ' (its schedule is off until you turn it on)' : ''}`);
      await useApp.getState().loadTemplates();
      setEditing(copy);
    }, reportError);

  const exportOne = (t: Template, format: 'yaml' | 'kubernetes' = 'yaml') =>
    void client.invoke('templates.export', { id: t.id, format }).then((f) => download(f.filename, f.content), reportError);
  const remove = (t: Template) => {
    setDeleting(undefined);
    void client.invoke('templates.delete', { id: t.id }).then(() => {
      useApp.getState().toast('success', `Deleted template ${t.name}`);
      return useApp.getState().loadTemplates();
    }, reportError);
  };

  return (
    <section className="view" data-testid="templates-view">
      <header className="view-head">
        <h1>Templates</h1>
        <span className="muted" data-testid="template-count" aria-label={`${countLabel(shown.length, templates.length)} templates`}>
          {countLabel(shown.length, templates.length)}
        </span>
        <div className="spacer" />
        <button onClick={() => setExporting(shown.map((s) => s.template.id))} disabled={shown.length === 0} data-testid="export-all">
          {shown.length === templates.length ? 'Export all…' : `Export ${shown.length} shown…`}
        </button>
        {/* A real button (a label is not reachable by Tab): it opens the hidden file picker. */}
        <button onClick={() => picker.current?.click()}>Import files…</button>
        <button onClick={() => useFirstSteps.getState().show('dockerRun')} data-testid="paste-docker-run">Paste docker run</button>
        <input
          ref={picker}
          type="file"
          multiple
          accept=".yaml,.yml,.json"
          hidden
          aria-label="Template files to import"
          onChange={(e) => {
            void importFiles(Array.from(e.target.files ?? []));
            e.target.value = '';
          }}
        />
        <button className="primary" onClick={() => setEditing('new')}>
          New template
        </button>
      </header>
      <div className="list-tools" role="search" aria-label="Find templates">
        <input
          data-search
          className="search"
          aria-label="Filter templates"
          placeholder="Filter templates…  ( / )"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <label className="sort-field">
          <span className="muted small">Sort by</span>
          <select value={sort} onChange={(e) => setSort(e.target.value as TemplateSort)} aria-label="Sort templates by">
            {(Object.keys(SORT_LABELS) as TemplateSort[]).map((k) => (
              <option key={k} value={k}>
                {SORT_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={scheduledOnly} onChange={(e) => setScheduledOnly(e.target.checked)} />
          scheduled only
        </label>
      </div>
      {preview && <ImportPreview key={preview.id} />}
      {deleting && (
        <ConfirmDialog
          title={`Delete template ${deleting.name}?`}
          confirmLabel="Delete template"
          danger
          onConfirm={() => remove(deleting)}
          onCancel={() => setDeleting(undefined)}
          testId="delete-dialog"
        >
          <p>
            {deleting.schedule ? (
              <>
                Its schedule <code>{deleting.schedule.cron}</code> stops: no new runs start from it.{' '}
              </>
            ) : null}
            Its past jobs stay in History under the name <b>{deleting.name}</b>; jobs already queued or running go on.
          </p>
        </ConfirmDialog>
      )}
      {exporting && <ExportDialog count={exporting.length} onCancel={() => setExporting(undefined)} onExport={(c) => exportMany(exporting, c)} />}
      {editing && (
        <TemplateEditor key={editing === 'new' ? 'new' : editing.id} template={editing === 'new' ? undefined : editing} onDone={() => setEditing(undefined)} />
      )}
      {templates.length === 0 && !preview ? (
        <div className="dropzone-hint">
          <div className="big">⇣</div>
          <p>Drop YAML or JSON template files anywhere on the window to import them.</p>
        </div>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Image</th>
              <th>Engine</th>
              <th>Schedule</th>
              <th className="nowrap">Next run</th>
              <th className="nowrap">Last result</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {shown.map(({ template: t, lastJob }) => (
              <tr
                key={t.id}
                draggable
                onDragStart={(e) => {
                  e.dataTransfer.setData(TEMPLATE_DRAG_TYPE, t.id);
                  e.dataTransfer.effectAllowed = 'copy';
                }}
                data-testid="template-row"
                data-template={t.name}
                title="Drag onto the Queue to run"
              >
                <td className="clip clip-wide" title={t.name}>
                  <b>{t.name}</b>
                  {t.description && (
                    <div className="muted small ellipsis" title={t.description}>
                      {t.description}
                    </div>
                  )}
                </td>
                <td className="mono muted clip" title={t.image}>
                  {t.image}
                </td>
                <td>{t.engineId ? `only ${t.engineId}` : t.engine}</td>
                <td className="mono muted nowrap">{t.schedule ? `${t.schedule.cron}${t.schedule.enabled ? '' : ' (off)'}` : '–'}</td>
                <td className="nowrap small" data-testid="template-next">
                  {nextRuns.get(t.id) ? (
                    <span title={t.schedule?.timeZone ?? 'the host\'s local time'}>
                      {formatFireTime(nextRuns.get(t.id)!, t.schedule?.timeZone)}
                      <span className="muted"> {t.schedule?.timeZone ?? 'local'}</span>
                    </span>
                  ) : (
                    <span className="muted">–</span>
                  )}
                </td>
                <td className="nowrap">
                  {lastJob ? (
                    <button className="link" onClick={() => useApp.getState().go('job', lastJob.id)} title={when(lastJob.finishedAt)} data-testid="template-last">
                      <ExitBadge status={lastJob.status} exitCode={lastJob.exitCode} />
                    </button>
                  ) : (
                    <span className="muted" data-testid="template-last">never run</span>
                  )}
                </td>
                <td className="actions can-wrap">
                  <button className="primary small" onClick={() => useApp.getState().openRun({ templateId: t.id })} data-testid="template-run">
                    Run
                  </button>
                  <button className="small" onClick={() => setEditing(t)}>
                    Edit
                  </button>
                  <button className="small" onClick={() => duplicate(t)}>
                    Duplicate
                  </button>
                  <button className="small" onClick={() => exportOne(t)}>
                    Export
                  </button>
                  <button className="small" onClick={() => exportOne(t, 'kubernetes')} aria-label={`K8s: export ${t.name} as a Kubernetes manifest`} title="A batch/v1 Job (a CronJob when scheduled) for kubectl apply">
                    K8s
                  </button>
                  <button className="small danger" onClick={() => setDeleting(t)}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
