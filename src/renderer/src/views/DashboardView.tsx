import { useEffect, useRef, useState } from 'react';
import '../components/selection/selection.css';
import type { Stats } from '../../../shared/query';
import { client } from '../client/client';
import { bucketWords } from '../../../shared/statsChart';
import { DurationChart } from '../components/DurationChart';
import { duration, when } from '../components/format';
import { historyHash } from '../routes';
import { reportError, useApp } from '../store/app';
import { toQuery, type HistoryFilterState } from './history/historyFilter';

const RANGES = { '24h': 86400e3, '7d': 7 * 86400e3, '30d': 30 * 86400e3 } as const;
type Range = keyof typeof RANGES;
const RANGE_WORDS: Record<Range, string> = { '24h': 'the last 24 hours', '7d': 'the last 7 days', '30d': 'the last 30 days' };
const pct = (r: number | null) => (r === null ? '–' : `${Math.round(r * 1000) / 10}%`);
/** Job changes come in bursts: the figures refresh at most this often, and at least once a minute. */
const REFRESH_MS = 2000;
const KEEP_CURRENT_MS = 60_000;

/**
 * The figures of the chosen range, and nothing else: a range switch shows that it is loading
 * until its own figures arrive (a late answer for another range is dropped).
 */
function useStats(range: Range): Stats | undefined {
  const [got, setGot] = useState<{ range: Range; stats: Stats } | undefined>();
  const version = useApp((s) => s.historyVersion);
  const latest = useRef(0);
  // The timer below fires later: it must load the range chosen then, not the one of its closure.
  const current = useRef(range);
  current.current = range;
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const load = (r: Range) => {
    const id = ++latest.current;
    const to = Date.now();
    void client
      .invoke('stats.get', { from: new Date(to - RANGES[r]).toISOString(), to: new Date(to).toISOString() })
      .then((stats) => id === latest.current && setGot({ range: r, stats }), reportError);
  };
  useEffect(() => {
    load(range);
    const keep = setInterval(() => load(range), KEEP_CURRENT_MS);
    return () => clearInterval(keep);
  }, [range]);
  useEffect(() => {
    if (timer.current || version === 0) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      load(current.current);
    }, REFRESH_MS);
  }, [version]);
  useEffect(() => () => clearTimeout(timer.current), []);
  // After a reconnect the figures are fetched afresh at once: jobs may have ended while away.
  const epoch = useApp((s) => s.connectedEpoch);
  const seenEpoch = useRef(epoch);
  useEffect(() => {
    if (epoch === seenEpoch.current) return;
    seenEpoch.current = epoch;
    load(current.current);
  }, [epoch]);
  return got?.range === range ? got.stats : undefined;
}

/** History with the filter a card or bar stands for, as a new address: Back returns here. */
export function openHistory(filter: Partial<HistoryFilterState>): void {
  history.pushState(null, '', historyHash(toQuery(filter)));
  useApp.getState().go('history', undefined, 'history');
}

/** The range last chosen: Back from History returns to the figures the user was reading. */
let lastRange: Range = '7d';

export function DashboardView() {
  const [range, setRangeState] = useState<Range>(lastRange);
  const setRange = (r: Range) => {
    lastRange = r;
    setRangeState(r);
  };
  const stats = useStats(range);
  // The figures count jobs of the range: History shows the same range.
  const open = (f: Partial<HistoryFilterState>) => () => openHistory({ range, ...f });

  const failuresByTemplate = (stats?.byTemplate ?? []).filter((t) => t.failed > 0).sort((a, b) => b.failed - a.failed);

  return (
    <section className="view" data-testid="dashboard-view">
      <header className="view-head">
        <h1>Dashboard</h1>
        <div className="spacer" />
        <div className="segmented" role="group" aria-label="Range">
          {(Object.keys(RANGES) as Range[]).map((r) => (
            <button key={r} className={r === range ? 'active' : ''} aria-pressed={r === range} onClick={() => setRange(r)}>
              {r}
            </button>
          ))}
        </div>
      </header>
      {!stats ? (
        <p className="empty" role="status" aria-live="polite">
          Loading {RANGE_WORDS[range]}…
        </p>
      ) : (
        <>
          <div className="tiles">
            <Tile label="Running" value={stats.counts.running ?? 0} onOpen={open({ status: 'running' })} />
            <Tile label="Pending" value={stats.counts.pending ?? 0} onOpen={open({ status: 'pending' })} />
            <Tile label="Completed" value={stats.counts.completed ?? 0} tone="success" onOpen={open({ status: 'completed' })} />
            <Tile label="Failed" value={stats.counts.failed ?? 0} tone="error" onOpen={open({ status: 'failed' })} />
            <Tile label="Cancelled" value={stats.counts.cancelled ?? 0} onOpen={open({ status: 'cancelled' })} />
            <Tile label="Success rate" value={pct(stats.successRate)} tone={stats.successRate !== null && stats.successRate < 0.8 ? 'warning' : 'success'} />
            <Tile label="Mean duration" value={duration(stats.meanDurationMs)} />
            <Tile label="p95 duration" value={duration(stats.p95DurationMs)} />
            <Tile label="Mean queue wait" value={duration(stats.meanWaitMs)} />
            <Tile label="p95 queue wait" value={duration(stats.p95WaitMs)} />
          </div>
          <div className="panel">
            <h3>Durations over time</h3>
            <p className="muted small" data-testid="chart-range">
              {when(stats.from)} – now · a bar per {bucketWords(stats.bucketMs)}
              {stats.timeline.length === 0 ? ' · no finished jobs in this range' : ' · click a bar for its jobs in History'}
            </p>
            <DurationChart
              stats={stats}
              onPick={(b) => openHistory({ range, status: b.status, finishedFrom: new Date(b.start).toISOString(), finishedBefore: new Date(b.before).toISOString() })}
            />
          </div>
          <div className="two-col">
            <div className="panel">
              <h3>Failures by template</h3>
              {failuresByTemplate.length === 0 && <p className="muted small">No failures. </p>}
              {failuresByTemplate.map((t) => (
                <button
                  key={t.templateName}
                  className="bar-row bar-link"
                  onClick={open({ status: 'failed', templateName: t.templateName })}
                  title={`Show the failed jobs of ${t.templateName} in History`}
                  data-testid="failure-bar"
                >
                  <span className="ellipsis" title={t.templateName}>
                    {t.templateName}
                  </span>
                  <div className="bar">
                    {/* The bar is the share that failed, as the figure beside it reads (1/2 is half a bar). */}
                    <div style={{ width: `${(t.failed / Math.max(1, t.total)) * 100}%` }} />
                  </div>
                  <span className="mono">
                    {t.failed}/{t.total}
                  </span>
                </button>
              ))}
            </div>
            <div className="panel">
              <h3>Templates</h3>
              {/* Seven columns in half the view: at narrow widths the table scrolls in its panel, not the page. */}
              <div className="table-wrap">
              <table className="table compact">
                <thead>
                  <tr>
                    <th rowSpan={2}>Template</th>
                    <th rowSpan={2}>Runs</th>
                    <th rowSpan={2}>Success</th>
                    <th colSpan={2} scope="colgroup">Duration</th>
                    <th colSpan={2} scope="colgroup" title="From created to its first attempt">
                      Queue wait
                    </th>
                  </tr>
                  <tr>
                    <th>mean</th>
                    <th>p95</th>
                    <th>mean</th>
                    <th>p95</th>
                  </tr>
                </thead>
                <tbody>
                  {stats.byTemplate.map((t) => (
                    <tr key={t.templateName}>
                      <td className="ellipsis" title={t.templateName}>
                        <button className="link" onClick={open({ templateName: t.templateName })} data-testid="template-stats-link">
                          {t.templateName}
                        </button>
                      </td>
                      <td>{t.total}</td>
                      <td>{pct(t.successRate)}</td>
                      <td className="mono">{duration(t.meanDurationMs)}</td>
                      <td className="mono">{duration(t.p95DurationMs)}</td>
                      <td className="mono" data-testid="template-wait-mean">{duration(t.meanWaitMs)}</td>
                      <td className="mono">{duration(t.p95WaitMs)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              </div>
              {Object.keys(stats.failuresByReason).length > 0 && (
                <p className="muted small">
                  Failure reasons:{' '}
                  {Object.entries(stats.failuresByReason)
                    .map(([r, n]) => `${r} ${n}`)
                    .join(' · ')}
                </p>
              )}
            </div>
          </div>
        </>
      )}
    </section>
  );
}

function Tile({ label, value, tone, onOpen }: { label: string; value: string | number; tone?: string; onOpen?: () => void }) {
  const inner = (
    <>
      <div className="tile-value">{value}</div>
      <div className="tile-label">{label}</div>
    </>
  );
  // A count of jobs opens them in History; a rate or a duration has no list behind it.
  if (onOpen) {
    return (
      <button className={`tile tile-link ${tone ? `tile-${tone}` : ''}`} onClick={onOpen} title={`Show the ${label.toLowerCase()} jobs in History`} data-testid="tile-link">
        {inner}
      </button>
    );
  }
  return <div className={`tile ${tone ? `tile-${tone}` : ''}`}>{inner}</div>;
}
