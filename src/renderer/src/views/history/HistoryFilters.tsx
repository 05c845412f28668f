import { useEffect, useRef, useState } from 'react';
import type { EngineInfo } from '../../../../shared/engine';
import { bucketText } from '../../components/bucketText';
import { ORIGINS, parseExitCode, rangeProblem, STATUSES, type HistoryFilterState } from './historyFilter';

interface Props {
  value: HistoryFilterState;
  onChange(next: HistoryFilterState): void;
  templateNames: string[];
  engines: EngineInfo[];
}

/** ISO ↔ the value of a datetime-local input (local time, to the minute). */
export function localInput(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const d = new Date(t - new Date(t).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}
export function fromLocalInput(v: string): string {
  const t = Date.parse(v); // a datetime-local value without a zone is local time
  return Number.isNaN(t) ? '' : new Date(t).toISOString();
}

/** History's filters: search, status, template, engine, time (a custom from/to too), exit code, origin. */
export function HistoryFilters({ value: f, onChange, templateNames, engines }: Props) {
  const set = <K extends keyof HistoryFilterState>(k: K, v: HistoryFilterState[K]) => onChange({ ...f, [k]: v });
  // Search as you type, without a request per keystroke.
  const [textInput, setTextInput] = useState(f.text);
  // The filters as they are when the pause ends (another filter may have changed meanwhile).
  const latest = useRef({ f, onChange });
  latest.current = { f, onChange };
  useEffect(() => setTextInput(f.text), [f.text]);
  useEffect(() => {
    const t = setTimeout(() => {
      const { f: now, onChange: change } = latest.current;
      if (textInput.trim() !== now.text) change({ ...now, text: textInput.trim() });
    }, 250);
    return () => clearTimeout(t);
  }, [textInput]);
  const exit = parseExitCode(f.exitCode);
  const badRange = rangeProblem(f);

  return (
    <div className="filters">
      <input
        data-search
        data-testid="history-search"
        className="search"
        placeholder="Search id, template, image, command…  ( / )"
        aria-label="Search"
        value={textInput}
        onChange={(e) => setTextInput(e.target.value)}
      />
      <select value={f.status} onChange={(e) => set('status', e.target.value as HistoryFilterState['status'])} data-testid="filter-status" aria-label="Status">
        <option value="">All statuses</option>
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
      <select value={f.templateName} onChange={(e) => set('templateName', e.target.value)} data-testid="filter-template" aria-label="Template">
        <option value="">All templates</option>
        {/* A name from an address (a dashboard link) is offered even before the names arrive. */}
        {(f.templateName && !templateNames.includes(f.templateName) ? [f.templateName, ...templateNames] : templateNames).map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
      <select value={f.engineId} onChange={(e) => set('engineId', e.target.value)} data-testid="filter-engine" aria-label="Engine">
        <option value="">All engines</option>
        {engines.map((e) => (
          <option key={e.id} value={e.id}>
            {e.id}
          </option>
        ))}
      </select>
      <select value={f.origin} onChange={(e) => set('origin', e.target.value as HistoryFilterState['origin'])} data-testid="filter-origin" aria-label="Origin">
        <option value="">Any origin</option>
        {ORIGINS.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <input
        className="exit-filter"
        aria-label="Exit code"
        placeholder="Exit code"
        inputMode="numeric"
        value={f.exitCode}
        onChange={(e) => set('exitCode', e.target.value)}
        aria-invalid={exit.bad}
        aria-describedby={exit.bad ? 'exit-filter-error' : undefined}
        data-testid="filter-exit"
      />
      <select value={f.range} onChange={(e) => set('range', e.target.value as HistoryFilterState['range'])} data-testid="filter-time" aria-label="Time">
        <option value="any">Any time</option>
        <option value="1h">Last hour</option>
        <option value="24h">Last 24 hours</option>
        <option value="7d">Last 7 days</option>
        <option value="30d">Last 30 days</option>
        <option value="custom">Custom range…</option>
      </select>
      {f.range === 'custom' && (
        <>
          <input type="datetime-local" aria-label="From" value={localInput(f.from)} onChange={(e) => set('from', fromLocalInput(e.target.value))} data-testid="filter-from" />
          <input
            type="datetime-local"
            aria-label="To"
            value={localInput(f.to)}
            onChange={(e) => set('to', fromLocalInput(e.target.value))}
            aria-invalid={!!badRange}
            data-testid="filter-to"
          />
        </>
      )}
      {(f.finishedFrom || f.finishedBefore) && (
        <span className="filter-chip" data-testid="filter-finished">
          Finished {bucketText(f.finishedFrom, f.finishedBefore)}
          <button className="link" aria-label="Clear the finished-between filter" onClick={() => onChange({ ...f, finishedFrom: '', finishedBefore: '' })}>
            ×
          </button>
        </span>
      )}
      {(exit.bad || badRange) && (
        <p className="field-error" id="exit-filter-error" role="alert">
          {exit.bad ? 'Exit code must be a whole number, like 0, 1 or 137' : badRange}
        </p>
      )}
    </div>
  );
}
