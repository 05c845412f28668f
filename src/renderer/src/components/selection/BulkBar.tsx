import { useState } from 'react';
import { jobsWord, type BulkAction, type ExportFormat, type JobSelection } from '../../../../shared/bulk';
import { client } from '../../client/client';
import { reportError, useApp } from '../../store/app';
import { ConfirmDialog } from '../ConfirmDialog';
import { downloadText } from './download';

interface Props {
  /** Jobs the selection stands for (the filter's total for "all matching"). */
  count: number;
  /** Jobs the filter matches, for "Select all N matching". */
  total: number;
  all: boolean;
  /** What the core acts on: ids, or the filter. */
  selection(): JobSelection | undefined;
  onSelectAll?(): void;
  onClear(): void;
  /** The actions this list offers (the Queue has nothing to export or delete). */
  actions: BulkAction[];
  exportable?: boolean;
}

const LABEL: Record<BulkAction, string> = { cancel: 'Cancel', retry: 'Retry', clone: 'Run again', remove: 'Delete' };
/** Actions that lose something: asked first, with how many. */
const CONFIRM: Partial<Record<BulkAction, { title: (n: string) => string; ok: string; body: string }>> = {
  cancel: { title: (n) => `Cancel ${n}?`, ok: 'Cancel jobs', body: 'Running containers are stopped; finished jobs are left as they are.' },
  remove: { title: (n) => `Delete ${n} and their logs?`, ok: 'Delete', body: 'Their logs and artifacts are removed too. Pending and running jobs are skipped: cancel them first.' },
};

/** The bar over a list with a selection: how many, select all matching, and what to do with them. */
export function BulkBar({ count, total, all, selection, onSelectAll, onClear, actions, exportable = false }: Props) {
  const [asking, setAsking] = useState<BulkAction | undefined>();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState('');
  const connected = useApp((s) => s.connection === 'connected');

  const run = (action: BulkAction) => {
    const sel = selection();
    setAsking(undefined);
    if (!sel) return;
    setBusy(true);
    void client
      .invoke('jobs.bulk', { action, selection: sel })
      .then((r) => {
        setResult(r.summary);
        useApp.getState().toast(r.failed ? 'error' : 'success', r.summary);
        if (action === 'remove' || action === 'cancel') onClear();
      }, reportError)
      .finally(() => setBusy(false));
  };
  const exportAs = (format: ExportFormat) => {
    const sel = selection();
    if (!sel) return;
    void client
      .invoke('jobs.export', { selection: sel, format })
      .then((f) => {
        downloadText(f.filename, f.content, format === 'csv' ? 'text/csv' : 'application/json');
        setResult(`Exported ${jobsWord(f.count)} as ${format.toUpperCase()}.`);
      }, reportError);
  };

  if (count === 0) {
    return (
      <p className="muted small bulk-hint" role="status" data-testid="bulk-result">
        {result || 'Tick rows (Shift for a range, Ctrl or ⌘ to add one, Space on a focused row) to act on several jobs.'}
      </p>
    );
  }
  const confirm = asking ? CONFIRM[asking] : undefined;
  return (
    <div className="bulk-bar" role="toolbar" aria-label="Selected jobs" data-testid="bulk-bar">
      <b data-testid="bulk-count">{all ? `All ${jobsWord(count)} matching` : `${jobsWord(count)} selected`}</b>
      {!all && onSelectAll && total > count && (
        <button className="link" onClick={onSelectAll} data-testid="select-all-matching">
          Select all {total.toLocaleString()} matching
        </button>
      )}
      <button className="link" onClick={onClear}>
        Clear
      </button>
      <div className="spacer" />
      {actions.map((a) => (
        <button
          key={a}
          className={a === 'remove' || a === 'cancel' ? 'danger small' : 'small'}
          disabled={busy || !connected}
          onClick={() => (CONFIRM[a] ? setAsking(a) : run(a))}
          data-testid={`bulk-${a}`}
        >
          {LABEL[a]}
        </button>
      ))}
      {exportable && (
        <>
          <button className="small" disabled={!connected} onClick={() => exportAs('csv')} data-testid="bulk-export-csv">
            Export CSV
          </button>
          <button className="small" disabled={!connected} onClick={() => exportAs('json')} data-testid="bulk-export-json">
            Export JSON
          </button>
        </>
      )}
      <span className="sr-only" role="status" data-testid="bulk-result">
        {result}
      </span>
      {asking && confirm && (
        <ConfirmDialog
          title={confirm.title(jobsWord(count))}
          confirmLabel={confirm.ok}
          danger
          onCancel={() => setAsking(undefined)}
          onConfirm={() => run(asking)}
          testId="bulk-confirm"
        >
          <p>{confirm.body}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
