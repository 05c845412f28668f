import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import { isTerminal, type JobStatus } from '../../../shared/job';
import { ranMs } from '../../../shared/jobNumbers';
import type { JobFilterInput } from '../../../shared/query';
import { ExitBadge } from '../components/ExitBadge';
import { duration, when } from '../components/format';
import { StatusPill } from '../components/StatusPill';
import { useRovingRows } from '../components/useRovingRows';
import { useApp } from '../store/app';
import { useJobPages } from './useJobPages';
import { useTemplateNames } from './useTemplateNames';

const STATUSES: JobStatus[] = ['pending', 'running', 'completed', 'failed', 'cancelled'];
const RANGES: Record<string, number | undefined> = { any: undefined, '1h': 3600e3, '24h': 86400e3, '7d': 7 * 86400e3, '30d': 30 * 86400e3 };
const ROW_HEIGHT = 40;

export function HistoryView() {
  // By name, as the user sees it: a template deleted and made again keeps one history.
  const templateNames = useTemplateNames();
  const engines = useApp((s) => s.engines);
  const go = useApp((s) => s.go);
  const [status, setStatus] = useState('');
  const [templateName, setTemplateName] = useState('');
  const [engineId, setEngineId] = useState('');
  const [range, setRange] = useState('any');
  const [textInput, setTextInput] = useState('');
  const [text, setText] = useState('');

  // Search as you type, without a request per keystroke.
  useEffect(() => {
    const t = setTimeout(() => setText(textInput.trim()), 250);
    return () => clearTimeout(t);
  }, [textInput]);

  const filter = useMemo<JobFilterInput>(() => {
    const ms = RANGES[range];
    return {
      ...(status ? { status: [status as JobStatus] } : {}),
      ...(templateName ? { templateName } : {}),
      ...(engineId ? { engineId } : {}),
      ...(ms ? { from: new Date(Date.now() - ms).toISOString() } : {}),
      ...(text ? { text } : {}),
      sort: 'createdAt',
      order: 'desc',
    };
  }, [status, templateName, engineId, range, text]);

  const { total, row, need } = useJobPages(filter);
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: total, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 10 });
  const items = virtual.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => need(first, last), [first, last, need]);
  const rows = useRovingRows(total, (i) => {
    const j = row(i);
    if (j) go('job', j.id);
  }, (i) => virtual.scrollToIndex(i));
  const activeShown = rows.current >= first && rows.current <= last;

  return (
    <section className="view view-fill" data-testid="history-view">
      <header className="view-head">
        <h1>History</h1>
        <span className="muted" data-testid="history-total">
          {total.toLocaleString()} jobs
        </span>
      </header>
      <div className="filters">
        <input
          data-search
          data-testid="history-search"
          className="search"
          placeholder="Search id, template, image, command…  ( / )"
          value={textInput}
          onChange={(e) => setTextInput(e.target.value)}
        />
        <select value={status} onChange={(e) => setStatus(e.target.value)} data-testid="filter-status" aria-label="Status">
          <option value="">All statuses</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <select value={templateName} onChange={(e) => setTemplateName(e.target.value)} data-testid="filter-template" aria-label="Template">
          <option value="">All templates</option>
          {templateNames.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
        <select value={engineId} onChange={(e) => setEngineId(e.target.value)} data-testid="filter-engine" aria-label="Engine">
          <option value="">All engines</option>
          {engines.map((e) => (
            <option key={e.id} value={e.id}>
              {e.id}
            </option>
          ))}
        </select>
        <select value={range} onChange={(e) => setRange(e.target.value)} data-testid="filter-time" aria-label="Time">
          <option value="any">Any time</option>
          <option value="1h">Last hour</option>
          <option value="24h">Last 24 hours</option>
          <option value="7d">Last 7 days</option>
          <option value="30d">Last 30 days</option>
        </select>
      </div>
      <div className="vtable">
        <div className="vrow vhead">
          <span>Template</span>
          <span>Status</span>
          <span>Exit</span>
          <span>Engine</span>
          <span>Attempts</span>
          <span>Created</span>
          <span>Duration</span>
        </div>
        <div
          className="vbody"
          ref={(el) => {
            scroller.current = el;
            rows.containerRef.current = el;
          }}
          data-testid="history-rows"
        >
          {total === 0 && <p className="empty">No jobs match.</p>}
          <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
            {items.map((v) => {
              const j = row(v.index);
              return (
                <div
                  key={v.key}
                  role="link"
                  {...rows.rowProps(v.index, activeShown ? v.index === rows.current : v.index === first)}
                  className="vrow clickable"
                  style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${v.start}px)` }}
                  onClick={() => j && go('job', j.id)}
                  data-testid="history-row"
                  data-job-id={j?.id}
                >
                  {j ? (
                    <>
                      <span className="ellipsis" title={j.templateName}>
                        <b>{j.templateName}</b> <span className="muted mono">{j.id.slice(0, 8)}</span>
                      </span>
                      <span>
                        <StatusPill status={j.status} />
                      </span>
                      <span>
                        {/* The Status column says "running"; the exit has no news until the end. */}
                        {isTerminal(j.status) ? <ExitBadge status={j.status} exitCode={j.exitCode} reason={j.reason} /> : <span className="muted">–</span>}
                      </span>
                      <span className="muted">{j.engineId ?? '–'}</span>
                      <span className="muted">{j.attempts}</span>
                      <span className="muted" title={when(j.createdAt)}>
                        {when(j.createdAt)}
                      </span>
                      <span className="mono">{duration(ranMs(j.ran))}</span>
                    </>
                  ) : (
                    <span className="muted">…</span>
                  )}
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </section>
  );
}
