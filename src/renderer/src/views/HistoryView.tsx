import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { isTerminal } from '../../../shared/job';
import { ranMs } from '../../../shared/jobNumbers';
import { ExitBadge } from '../components/ExitBadge';
import { duration, when } from '../components/format';
import { BulkBar } from '../components/selection/BulkBar';
import { CleanupNow } from '../components/selection/CleanupNow';
import { clickRow, isSelected, NO_SELECTION, selectAllMatching, selectedCount, selectRange, toggleRow, type RowSelection } from '../components/selection/selection';
import '../components/selection/selection.css';
import { StatusPill } from '../components/StatusPill';
import { useRovingRows } from '../components/useRovingRows';
import { currentHistoryQuery, historyHash } from '../routes';
import { useApp } from '../store/app';
import { fromQuery, listFilter, selectionFilter, toQuery, type HistoryFilterState, type SortColumn } from './history/historyFilter';
import { HistoryFilters } from './history/HistoryFilters';
import { SortHeader } from './history/SortHeader';
import { useJobPages } from './useJobPages';
import { useTemplateNames } from './useTemplateNames';

const ROW_HEIGHT = 40;

/** The filters History's address carries (#/history?status=failed), followed on Back/Forward. */
function useAddressFilter(): [HistoryFilterState, (f: HistoryFilterState) => void] {
  const [f, setF] = useState(() => fromQuery(currentHistoryQuery(location.hash)));
  useEffect(() => {
    const follow = () => {
      if (location.hash.startsWith('#/history')) setF(fromQuery(currentHistoryQuery(location.hash)));
    };
    window.addEventListener('popstate', follow);
    return () => window.removeEventListener('popstate', follow);
  }, []);
  const set = (next: HistoryFilterState) => {
    setF(next);
    // The address follows the filters (replace: each keystroke is no step for Back).
    if (location.hash.startsWith('#/history')) history.replaceState(null, '', historyHash(toQuery(next)));
  };
  return [f, set];
}

export function HistoryView() {
  // By name, as the user sees it: a template deleted and made again keeps one history.
  const templateNames = useTemplateNames();
  const engines = useApp((s) => s.engines);
  const go = useApp((s) => s.go);
  const [f, setFilter] = useAddressFilter();
  const [sel, setSel] = useState<RowSelection>(NO_SELECTION);
  // "Last hour" is counted from when the filter was set, so the query stays one query.
  const key = JSON.stringify(f);
  const setAt = useMemo(() => Date.now(), [key]);
  const filter = useMemo(() => listFilter(f, setAt), [key, setAt]);
  // A new filter is a new set of rows: what was picked under the old one is let go.
  useEffect(() => setSel(NO_SELECTION), [JSON.stringify(selectionFilter(f, setAt))]);

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
  const idAt = (i: number) => row(i)?.id;
  const count = selectedCount(sel, total);

  const onRowClick = (e: MouseEvent, index: number, id: string, box: boolean) => {
    const next = clickRow(sel, index, id, { shift: e.shiftKey, toggle: e.ctrlKey || e.metaKey, box }, idAt);
    if (next) {
      e.preventDefault();
      setSel(next);
    } else go('job', id);
  };
  // Space toggles the focused row; Shift+Arrow moves and adds the rows passed (the roving keys do the move).
  const onRowKey = (e: KeyboardEvent<HTMLElement>, index: number, id: string | undefined) => {
    if (e.target !== e.currentTarget || !id) return;
    if (e.key === ' ') {
      e.preventDefault();
      setSel(toggleRow(sel, index, id));
    } else if (e.shiftKey && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      const to = Math.max(0, Math.min(total - 1, index + (e.key === 'ArrowDown' ? 1 : -1)));
      setSel(selectRange(sel.anchor === undefined ? toggleRow(sel, index, id) : sel, to, idAt));
    }
  };
  const onSort = (sort: SortColumn, order: 'asc' | 'desc') => setFilter({ ...f, sort, order });
  const head = (column: SortColumn, label: string) => <SortHeader column={column} label={label} sort={f.sort} order={f.order} onSort={onSort} />;

  return (
    <section className="view view-fill" data-testid="history-view">
      <header className="view-head">
        <h1>History</h1>
        <span className="muted" data-testid="history-total">
          {total.toLocaleString()} jobs
        </span>
        <div className="spacer" />
        <CleanupNow label="Clean up…" />
      </header>
      <HistoryFilters value={f} onChange={setFilter} templateNames={templateNames} engines={engines} />
      <BulkBar
        count={count}
        total={total}
        all={sel.all}
        selection={() => (sel.all ? { filter: selectionFilter(f, setAt) } : sel.ids.size ? { ids: [...sel.ids] } : undefined)}
        onSelectAll={() => setSel(selectAllMatching())}
        onClear={() => setSel(NO_SELECTION)}
        actions={['cancel', 'retry', 'clone', 'remove']}
        exportable
      />
      <div className="vtable">
        <div className="vrow vhead history-grid">
          <span>
            <input
              type="checkbox"
              aria-label={sel.all ? 'Clear the selection' : 'Select all matching jobs'}
              checked={sel.all || (count > 0 && count === total)}
              ref={(el) => void (el && (el.indeterminate = count > 0 && count < total))}
              onChange={() => setSel(count > 0 ? NO_SELECTION : selectAllMatching())}
              disabled={total === 0}
              data-testid="select-all"
            />
          </span>
          {head('templateName', 'Template')}
          {head('status', 'Status')}
          {head('exitCode', 'Exit')}
          <span>Engine</span>
          <span>Attempts</span>
          {head('startedAt', 'Started')}
          {head('duration', 'Duration')}
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
          <div
            style={{ height: virtual.getTotalSize(), position: 'relative' }}
            role={total ? 'listbox' : undefined}
            aria-multiselectable={total ? true : undefined}
            aria-label={total ? 'Jobs' : undefined}
          >
            {items.map((v) => {
              const j = row(v.index);
              const picked = isSelected(sel, j?.id);
              const props = rows.rowProps(v.index, activeShown ? v.index === rows.current : v.index === first);
              return (
                <div
                  key={v.key}
                  role="option"
                  aria-selected={picked}
                  {...props}
                  onKeyDown={(e) => {
                    onRowKey(e, v.index, j?.id);
                    if (!e.defaultPrevented) props.onKeyDown(e);
                  }}
                  className={`vrow clickable history-grid ${picked ? 'selected' : ''}`}
                  style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${v.start}px)` }}
                  onClick={(e) => j && onRowClick(e, v.index, j.id, false)}
                  onMouseDown={(e) => e.shiftKey && e.preventDefault() /* no text selection on Shift-click */}
                  data-testid="history-row"
                  data-job-id={j?.id}
                  data-selected={picked || undefined}
                >
                  {j ? (
                    <>
                      <span
                        className="tick"
                        aria-hidden="true"
                        data-testid="row-select"
                        onClick={(e) => {
                          e.stopPropagation();
                          onRowClick(e, v.index, j.id, true);
                        }}
                      >
                        {picked ? '☑' : '☐'}
                      </span>
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
                      <span className="muted" title={`created ${when(j.createdAt)}`}>
                        {j.startedAt ? when(j.startedAt) : '–'}
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
