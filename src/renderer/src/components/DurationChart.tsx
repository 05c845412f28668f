import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Stats } from '../../../shared/query';

/** Mean duration per hour (line) and finished jobs per hour (bars), from stats.get's timeline. */
export function DurationChart({ timeline }: { timeline: Stats['timeline'] }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const xs = timeline.map((p) => Date.parse(p.t) / 1000);
    const mean = timeline.map((p) => (p.meanDurationMs === null ? null : p.meanDurationMs / 1000));
    const done = timeline.map((p) => p.completed);
    const failed = timeline.map((p) => p.failed);
    const axis = { stroke: '#8b949e', grid: { stroke: '#21262d' }, ticks: { stroke: '#30363d' } };
    const plot = new uPlot(
      {
        width: el.clientWidth || 600,
        height: 220,
        legend: { show: true },
        scales: { x: { time: true }, n: { auto: true } },
        axes: [axis, { ...axis, label: 'seconds', scale: 's' }, { ...axis, side: 1, scale: 'n', label: 'jobs', grid: { show: false } }],
        series: [
          {},
          { label: 'mean duration (s)', scale: 's', stroke: '#58a6ff', width: 2, points: { show: true } },
          { label: 'completed', scale: 'n', stroke: '#3fb950', fill: 'rgba(63,185,80,0.15)', paths: uPlot.paths.bars!({ size: [0.6] }) },
          { label: 'failed', scale: 'n', stroke: '#f85149', fill: 'rgba(248,81,73,0.2)', paths: uPlot.paths.bars!({ size: [0.3] }) },
        ],
      },
      [xs, mean, done, failed],
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height: 220 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [timeline]);
  return <div ref={host} className="chart" data-testid="duration-chart" />;
}
