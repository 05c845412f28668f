// The durations chart's columns (item 11): the axis is the range asked for, never what sparse data suggests.
import { describe, expect, it } from 'vitest';
import { bucketWords, chartData } from '../../src/shared/statsChart';

const NOW = Date.parse('2026-03-10T12:34:56.000Z');
const HOUR = 3_600_000;
const iso = (t: number) => new Date(t).toISOString();

describe('chart data', () => {
  it.each([
    ['24h', 24 * HOUR, HOUR, 25],
    ['7d', 7 * 24 * HOUR, 6 * HOUR, 29],
    ['30d', 30 * 24 * HOUR, 24 * HOUR, 31],
  ])('%s: the axis spans the range and ends now, a bucket for each step of it', (_name, span, bucket, buckets) => {
    const d = chartData({ from: iso(NOW - span), to: iso(NOW), bucketMs: bucket, timeline: [] });
    expect(d.xMax * 1000).toBe(NOW);
    expect((d.xMax - d.xMin) * 1000).toBe(span);
    expect(d.xs).toHaveLength(buckets);
    expect(d.completed.every((n) => n === null)).toBe(true);
    for (const x of d.xs) expect(x > d.xMin && x < d.xMax).toBe(true);
  });

  it('one finished job (sparse data) lands in its bucket; the axis stays the range', () => {
    const t = Math.floor((NOW - 5 * HOUR) / HOUR) * HOUR;
    const d = chartData({ from: iso(NOW - 24 * HOUR), to: iso(NOW), bucketMs: HOUR, timeline: [{ t: iso(t), completed: 1, failed: 0, meanDurationMs: 1500 }] });
    const i = d.xs.findIndex((x) => x * 1000 > t && x * 1000 < t + HOUR);
    expect(i).toBeGreaterThan(-1);
    expect(d.completed[i]).toBe(1);
    expect(d.failed[i]).toBeNull();
    expect(d.mean[i]).toBe(1.5);
    expect(d.mean.filter((m) => m !== null)).toHaveLength(1);
    expect((d.xMax - d.xMin) * 1000).toBe(24 * HOUR);
  });

  it('names the bar width', () => {
    expect([HOUR, 6 * HOUR, 24 * HOUR, 7 * 24 * HOUR].map(bucketWords)).toEqual(['1 h', '6 h', '1 d', '7 d']);
  });
});
