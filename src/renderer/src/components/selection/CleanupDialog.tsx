import { useEffect, useState } from 'react';
import { jobsWord, type CleanupPreview } from '../../../../shared/bulk';
import { client } from '../../client/client';
import { reportError, useApp } from '../../store/app';
import { Modal } from '../Modal';

type State = 'completed' | 'failed' | 'cancelled';
const STATES: State[] = ['completed', 'failed', 'cancelled'];

/** "Older than" as typed, in days for the contract; a problem in the user's words otherwise. */
export function cleanupAge(amount: string, unit: 'hours' | 'days'): { days?: number; problem?: string } {
  const t = amount.trim();
  if (!/^\d+(\.\d+)?$/.test(t)) return { problem: `Older than must be a number of ${unit}` };
  const days = unit === 'hours' ? Number(t) / 24 : Number(t);
  if (days > 3650) return { problem: 'Older than is at most 3650 days' };
  return { days };
}

/**
 * Clean up now (Settings and History): finished jobs older than a duration in the chosen states,
 * with their logs and artifacts. The count comes first (retention.preview); the run then counts
 * from the preview's time (asOf), so it removes what was shown.
 */
export function CleanupDialog({ onClose }: { onClose(): void }) {
  const [amount, setAmount] = useState('30');
  const [unit, setUnit] = useState<'hours' | 'days'>('days');
  const [states, setStates] = useState<State[]>(['completed', 'failed', 'cancelled']);
  const [preview, setPreview] = useState<CleanupPreview | undefined>();
  const [busy, setBusy] = useState(false);
  const age = cleanupAge(amount, unit);
  const problem = age.problem ?? (states.length === 0 ? 'Pick at least one state to clean up' : undefined);
  const key = `${age.days}|${states.join(',')}`;

  useEffect(() => {
    setPreview(undefined);
    if (problem || age.days === undefined) return;
    let live = true;
    const t = setTimeout(() => {
      void client.invoke('retention.preview', { olderThanDays: age.days!, statuses: states }).then((p) => live && setPreview(p), reportError);
    }, 200);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [key, problem]);

  const run = () => {
    if (!preview || age.days === undefined || preview.count === 0) return;
    setBusy(true);
    void client
      .invoke('retention.run', { olderThanDays: age.days, statuses: states, asOf: preview.asOf })
      .then((r) => {
        useApp.getState().toast('success', `Removed ${jobsWord(r.removed)} and their logs`);
        onClose();
      }, reportError)
      .finally(() => setBusy(false));
  };

  const toggle = (s: State) => setStates((old) => (old.includes(s) ? old.filter((x) => x !== s) : STATES.filter((x) => x === s || old.includes(x))));
  const detail = preview ? STATES.filter((s) => preview.byStatus[s]).map((s) => `${preview.byStatus[s]} ${s}`).join(', ') : '';

  return (
    <Modal
      title="Clean up now"
      onClose={onClose}
      testId="cleanup-dialog"
      footer={
        <>
          <button onClick={onClose}>Cancel</button>
          <button className="danger" disabled={busy || !preview || preview.count === 0} onClick={run} data-testid="cleanup-run">
            {preview ? `Delete ${jobsWord(preview.count)}` : 'Delete'}
          </button>
        </>
      }
    >
      <p>Remove finished jobs with their logs and artifacts. Pending and running jobs are never removed.</p>
      <div className="cleanup-row">
        <label htmlFor="cleanup-age">Ended more than</label>
        <input id="cleanup-age" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} aria-invalid={!!age.problem} data-testid="cleanup-age" style={{ width: '6em' }} />
        <select aria-label="Unit" value={unit} onChange={(e) => setUnit(e.target.value as 'hours' | 'days')} data-testid="cleanup-unit">
          <option value="hours">hours ago</option>
          <option value="days">days ago</option>
        </select>
      </div>
      <fieldset className="cleanup-row">
        <legend>In these states</legend>
        {STATES.map((s) => (
          <label key={s} className="check">
            <input type="checkbox" checked={states.includes(s)} onChange={() => toggle(s)} /> {s}
          </label>
        ))}
      </fieldset>
      <p role="status" aria-live="polite" data-testid="cleanup-preview" className={problem ? 'field-error' : ''}>
        {problem ??
          (preview
            ? `${jobsWord(preview.count)} would be deleted${detail ? ` (${detail})` : ''}.${preview.kept ? ` ${jobsWord(preview.kept)} stay: jobs still waiting depend on them.` : ''}`
            : 'Counting…')}
      </p>
    </Modal>
  );
}
