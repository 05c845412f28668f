import { useEffect, useState } from 'react';
import type { Stats } from '../../../shared/query';
import { client } from '../client/client';
import { DurationChart } from '../components/DurationChart';
import { duration } from '../components/format';
import { reportError, useApp } from '../store/app';

const RANGES: Record<string, number> = { '24h': 86400e3, '7d': 7 * 86400e3, '30d': 30 * 86400e3 };
const pct = (r: number | null) => (r === null ? '–' : `${Math.round(r * 1000) / 10}%`);

export function DashboardView() {
  const [range, setRange] = useState('7d');
  const [stats, setStats] = useState<Stats | undefined>();
  const version = useApp((s) => s.historyVersion);

  useEffect(() => {
    // Job changes come in bursts; refresh the numbers at most every couple of seconds.
    const t = setTimeout(
      () => void client.invoke('stats.get', { from: new Date(Date.now() - RANGES[range]!).toISOString() }).then(setStats, reportError),
      stats ? 2000 : 0,
    );
    return () => clearTimeout(t);
  }, [range, version]);

  const failuresByTemplate = (stats?.byTemplate ?? []).filter((t) => t.failed > 0).sort((a, b) => b.failed - a.failed);
  const maxFailed = Math.max(1, ...failuresByTemplate.map((t) => t.failed));

  return (
    <section className="view" data-testid="dashboard-view">
      <header className="view-head">
        <h1>Dashboard</h1>
        <div className="spacer" />
        <div className="segmented">
          {Object.keys(RANGES).map((r) => (
            <button key={r} className={r === range ? 'active' : ''} onClick={() => setRange(r)}>
              {r}
            </button>
          ))}
        </div>
      </header>
      {!stats ? (
        <p className="empty">Loading…</p>
      ) : (
        <>
          <div className="tiles">
            <Tile label="Running" value={stats.counts.running ?? 0} />
            <Tile label="Pending" value={stats.counts.pending ?? 0} />
            <Tile label="Completed" value={stats.counts.completed ?? 0} tone="success" />
            <Tile label="Failed" value={stats.counts.failed ?? 0} tone="error" />
            <Tile label="Cancelled" value={stats.counts.cancelled ?? 0} />
            <Tile label="Success rate" value={pct(stats.successRate)} tone={stats.successRate !== null && stats.successRate < 0.8 ? 'warning' : 'success'} />
            <Tile label="Mean duration" value={duration(stats.meanDurationMs)} />
            <Tile label="p95 duration" value={duration(stats.p95DurationMs)} />
          </div>
          <div className="panel">
            <h3>Durations over time</h3>
            {stats.timeline.length === 0 ? <p className="muted small">No finished jobs in this range.</p> : <DurationChart timeline={stats.timeline} />}
          </div>
          <div className="two-col">
            <div className="panel">
              <h3>Failures by template</h3>
              {failuresByTemplate.length === 0 && <p className="muted small">No failures. </p>}
              {failuresByTemplate.map((t) => (
                <div key={t.templateName} className="bar-row">
                  <span className="ellipsis">{t.templateName}</span>
                  <div className="bar">
                    <div style={{ width: `${(t.failed / maxFailed) * 100}%` }} />
                  </div>
                  <span className="mono">
                    {t.failed}/{t.total}
                  </span>
                </div>
              ))}
            </div>
            <div className="panel">
              <h3>Templates</h3>
              <table className="table compact">
                <thead>
                  <tr>
                    <th>Template</th>
                    <th>Runs</th>
                    <th>Success</th>
                    <th>Mean</th>
                    <th>p95</th>
                  </tr>
                </thead>
                <tbody>
                  {stats.byTemplate.map((t) => (
                    <tr key={t.templateName}>
                      <td className="ellipsis">{t.templateName}</td>
                      <td>{t.total}</td>
                      <td>{pct(t.successRate)}</td>
                      <td className="mono">{duration(t.meanDurationMs)}</td>
                      <td className="mono">{duration(t.p95DurationMs)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
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

function Tile({ label, value, tone }: { label: string; value: string | number; tone?: string }) {
  return (
    <div className={`tile ${tone ? `tile-${tone}` : ''}`}>
      <div className="tile-value">{value}</div>
      <div className="tile-label">{label}</div>
    </div>
  );
}
