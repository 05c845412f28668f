import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Stats } from '../../../shared/query';
import { chartData } from '../../../shared/statsChart';

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
export function DurationChart({ stats }: { stats: Pick<Stats, 'from' | 'to' | 'bucketMs' | 'timeline'> }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const d = chartData(stats);
    const axis = { stroke: '#8b949e', grid: { stroke: '#21262d' }, ticks: { stroke: '#30363d' } };
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
          { label: 'completed', scale: 'n', stroke: '#3fb950', fill: 'rgba(63,185,80,0.15)', points: { show: false }, paths: uPlot.paths.bars!({ size: [0.6, 40] }) },
          { label: 'failed', scale: 'n', stroke: '#f85149', fill: 'rgba(248,81,73,0.2)', points: { show: false }, paths: uPlot.paths.bars!({ size: [0.3, 20] }) },
        ],
        hooks: { setScale: [(u, key) => key === 'x' && markRange(u)] },
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
  return <div ref={host} className="chart" data-testid="duration-chart" />;
}
