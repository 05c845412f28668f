// The durations chart's columns from stats.get: pure, so the axis rules are table-tested.
import type { Stats } from './query';

export interface ChartData {
  /** The x axis in seconds: exactly the range the figures cover, ending where they end (now). */
  xMin: number;
  xMax: number;
  /** One entry per bucket across the whole range (in seconds, inside it), so bars keep one spacing. */
  xs: number[];
  /** Each bucket's start (ms), as stats.get floors a finish into it: what a bar's History filter starts at. */
  starts: number[];
  mean: (number | null)[];
  /** Null where a bucket has none: uPlot draws no bar there (a zero bar still draws its outline). */
  completed: (number | null)[];
  failed: (number | null)[];
}

/** uPlot's columns from stats.get: every bucket of the range, empty ones with no bar and no point. */
export function chartData(stats: Pick<Stats, 'from' | 'to' | 'bucketMs' | 'timeline'>): ChartData {
  const from = Date.parse(stats.from);
  const to = Date.parse(stats.to);
  const b = stats.bucketMs;
  const byStart = new Map(stats.timeline.map((p) => [Date.parse(p.t), p]));
  const out: ChartData = { xMin: from / 1000, xMax: to / 1000, xs: [], starts: [], mean: [], completed: [], failed: [] };
  for (let start = Math.floor(from / b) * b; start < to; start += b) {
    const p = byStart.get(start);
    // The middle of the bucket's part inside the range: the current bucket is cut at now.
    out.starts.push(start);
    out.xs.push((Math.max(start, from) + Math.min(start + b, to)) / 2000);
    out.mean.push(p?.meanDurationMs == null ? null : p.meanDurationMs / 1000);
    out.completed.push(p?.completed || null);
    out.failed.push(p?.failed || null);
  }
  return out;
}

/** "1 h", "6 h", "1 d": the bar width in words for the caption. */
export function bucketWords(ms: number): string {
  const h = ms / 3_600_000;
  return h < 24 ? `${h} h` : `${h / 24} d`;
}
