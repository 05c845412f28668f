import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Stats } from '../../../shared/query';
import { chartData, type ChartData } from '../../../shared/statsChart';
import { bucketText } from './bucketText';

/** One bar of the chart: a bucket (ms, half-open) and a status, with the count it shows. */
export interface BarPick {
  start: number;
  before: number;
  status: 'completed' | 'failed';
  count: number;
}
interface BarBox extends BarPick {
  left: number;
  top: number;
  width: number;
  height: number;
}
/** The bars' widths as uPlot's bars paths draw them: a share of the column, at most so many px. */
const BAR_SIZE = { completed: [0.6, 40], failed: [0.3, 20] } as const;
/**
 * No bar thinner than this, drawn or as the button over it: the bucket still running (cut at now)
 * sits half a column from the one before it, and a bar of its share is a hairline on a 7-day axis.
 */
const MIN_WIDTH = { completed: 12, failed: 6 } as const;

/**
 * Where uPlot drew each bar, in CSS px from the chart's box: as its bars paths size them (the
 * column is the smallest gap between adjacent buckets), so a button can lie over each one.
 */
function barBoxes(u: uPlot, d: ChartData, bucketMs: number, dx: number, dy: number): BarBox[] {
  let col = Infinity;
  for (let i = 1; i < d.xs.length; i++) col = Math.min(col, Math.abs(u.valToPos(d.xs[i]!, 'x') - u.valToPos(d.xs[i - 1]!, 'x')));
  if (!Number.isFinite(col)) col = u.over.clientWidth;
  const zero = u.valToPos(0, 'n');
  const out: BarBox[] = [];
  d.xs.forEach((x, i) => {
    for (const status of ['completed', 'failed'] as const) {
      const count = d[status][i];
      if (!count) continue;
      const [share, max] = BAR_SIZE[status];
      const width = Math.max(MIN_WIDTH[status], Math.min(col * share, max));
      const top = u.valToPos(count, 'n');
      const start = d.starts[i]!;
      out.push({ start, before: start + bucketMs, status, count, left: dx + u.valToPos(x, 'x') - width / 2, top: dy + top, width, height: Math.max(4, zero - top) });
    }
  });
  return out;
}

const JOB_INCREMENTS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000];

/** Tick labels in one unit that fits them all (ms under a second), never two ticks read alike. */
function durationTicks(splits: number[]): string[] {
  const top = Math.max(0, ...splits.map(Math.abs));
  const [factor, unit] = top < 1 ? [1000, 'ms'] : top < 120 ? [1, 's'] : top < 7200 ? [1 / 60, 'min'] : [1 / 3600, 'h'];
  return splits.map((v) => (v === 0 ? '0' : `${Number((v * factor).toPrecision(3))} ${unit}`));
}

/**
 * Mean duration per bucket (line) and finished jobs per bucket (bars), from stats.get. The x axis
 * is the range the figures cover, fixed: sparse data must not let uPlot pick its own (it once ran
 * years into the future). The axis bounds drawn are left on the element (data-x-min/max, ms).
 */
export function DurationChart({ stats, onPick }: { stats: Pick<Stats, 'from' | 'to' | 'bucketMs' | 'timeline'>; onPick?: (bar: BarPick) => void }) {
  const host = useRef<HTMLDivElement>(null);
  const [bars, setBars] = useState<BarBox[]>([]);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const d = chartData(stats);
    const axis = { stroke: '#8b949e', grid: { stroke: '#21262d' }, ticks: { stroke: '#30363d' } };
    // After each draw (a resize too), the bars' buttons move to where the bars now are.
    const placeBars = (u: uPlot) => {
      const o = u.over.getBoundingClientRect();
      const w = el.getBoundingClientRect();
      setBars(barBoxes(u, d, stats.bucketMs, o.left - w.left, o.top - w.top));
    };
    const markRange = (u: uPlot) => {
      el.dataset.xMin = String(Math.round((u.scales.x?.min ?? NaN) * 1000));
      el.dataset.xMax = String(Math.round((u.scales.x?.max ?? NaN) * 1000));
    };
    const plot = new uPlot(
      {
        width: el.clientWidth || 600,
        height: 220,
        legend: { show: true },
        scales: {
          x: { time: true, auto: false, range: () => [d.xMin, d.xMax] },
          n: { auto: true, range: (_u, _min, max) => [0, Math.max(1, max)] },
        },
        axes: [
          axis,
          { ...axis, label: 'duration', scale: 's', values: (_u, splits) => durationTicks(splits), size: 60 },
          // Jobs are counted whole: no 0.2-job ticks on a sparse range.
          { ...axis, side: 1, scale: 'n', label: 'jobs', grid: { show: false }, incrs: JOB_INCREMENTS, values: (_u, splits) => splits.map(String) },
        ],
        series: [
          {},
          { label: 'mean duration', scale: 's', value: (_u, v) => (v === null ? '--' : (durationTicks([v])[0] ?? '--')), stroke: '#58a6ff', width: 2, points: { show: true }, spanGaps: false },
          { label: 'completed', scale: 'n', stroke: '#3fb950', fill: 'rgba(63,185,80,0.15)', points: { show: false }, paths: uPlot.paths.bars!({ size: [...BAR_SIZE.completed, MIN_WIDTH.completed] }) },
          { label: 'failed', scale: 'n', stroke: '#f85149', fill: 'rgba(248,81,73,0.2)', points: { show: false }, paths: uPlot.paths.bars!({ size: [...BAR_SIZE.failed, MIN_WIDTH.failed] }) },
        ],
        hooks: { setScale: [(u, key) => key === 'x' && markRange(u)], draw: [placeBars] },
      },
      [d.xs, d.mean, d.completed, d.failed],
      el,
    );
    markRange(plot);
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height: 220 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [stats]);
  return (
    <div className="chart-wrap">
      <div ref={host} className="chart" data-testid="duration-chart" />
      {onPick &&
        bars.map((b) => {
          const words = `${b.count} ${b.status}, finished ${bucketText(new Date(b.start).toISOString(), new Date(b.before).toISOString())}`;
          return (
            <button
              key={`${b.start}-${b.status}`}
              className="chart-bar"
              style={{ left: b.left, top: b.top, width: b.width, height: b.height, zIndex: b.status === 'failed' ? 3 : 2 }}
              aria-label={`${words}: show them in History`}
              title={words}
              onClick={() => onPick(b)}
              data-testid="chart-bar"
              data-status={b.status}
              data-count={b.count}
            />
          );
        })}
    </div>
  );
}
