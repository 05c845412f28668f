// The Dashboard's figures (item 11): the range comes back with them, the timeline stays inside it,
// and durations are the job page's (shared/jobNumbers.ts).
import { describe, expect, it } from 'vitest';
import { bucketFor, computeStats } from '../../src/main/core/service/stats';
import type { Attempt, Job } from '../../src/shared/job';
import { Stats } from '../../src/shared/query';
import { storedJob } from '../support/fakes';

const NOW = Date.parse('2026-03-10T12:34:56.000Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (t: number) => new Date(t).toISOString();

function finished(endMs: number, runMs: number, status: 'completed' | 'failed' = 'completed', templateName = 'tpl'): Job {
  const attempt: Attempt = {
    number: 1,
    index: 0,
    engineId: 'docker',
    status: status === 'completed' ? 'succeeded' : 'failed',
    createdAt: iso(endMs - runMs - 5000),
    startedAt: iso(endMs - runMs),
    finishedAt: iso(endMs),
    logBytes: 0,
    logTruncated: false,
    artifacts: [],
  };
  return storedJob({
    templateName,
    status,
    createdAt: iso(endMs - runMs - 10_000),
    // The job's own stamps: set when the attempt was created and when the outcome was saved.
    startedAt: attempt.createdAt,
    finishedAt: iso(endMs + 700),
    attempts: [attempt],
    ...(status === 'failed' ? { reason: 'Error' as const } : {}),
  });
}

describe('stats: the range and the timeline', () => {
  it('returns exactly the range asked for, ending now when no end is given', () => {
    const s = computeStats([finished(NOW - HOUR, 2000)], iso(NOW - DAY), undefined, NOW);
    expect(Stats.parse(s)).toEqual(s);
    expect(s.from).toBe(iso(NOW - DAY));
    expect(s.to).toBe(iso(NOW));
  });

  it('sparse data: one job a week ago stays one bucket inside the range (the axis never runs past it)', () => {
    const s = computeStats([finished(NOW - 6 * DAY, 1000)], iso(NOW - 7 * DAY), iso(NOW), NOW);
    expect(s.timeline).toHaveLength(1);
    const t = Date.parse(s.timeline[0]!.t);
    expect(t).toBeGreaterThanOrEqual(Date.parse(s.from) - s.bucketMs);
    expect(t + s.bucketMs).toBeLessThanOrEqual(Date.parse(s.to));
    expect(s.bucketMs).toBe(6 * HOUR);
  });

  it.each([
    [DAY, HOUR],
    [7 * DAY, 6 * HOUR],
    [30 * DAY, DAY],
    [365 * DAY, 7 * DAY],
  ])('a range of %d ms has buckets of %d ms', (span, bucket) => {
    expect(bucketFor(span)).toBe(bucket);
    expect(computeStats([], iso(NOW - span), iso(NOW), NOW).bucketMs).toBe(bucket);
  });

  it('buckets start on their boundary, in order, and leave out what finished after the range', () => {
    const jobs = [finished(NOW - 3 * HOUR - 60_000, 1000), finished(NOW - 3 * HOUR - 120_000, 3000, 'failed'), finished(NOW - 30 * 60_000, 1000)];
    const s = computeStats(jobs, iso(NOW - DAY), iso(NOW - HOUR), NOW);
    expect(s.timeline.map((p) => [p.t, p.completed, p.failed, p.meanDurationMs])).toEqual([[iso(Math.floor((NOW - 3 * HOUR - 60_000) / HOUR) * HOUR), 1, 1, 2000]]);
  });

  it("durations are the attempts', as the job page shows them, not the job's save stamps", () => {
    const s = computeStats([finished(NOW - HOUR, 4000)], iso(NOW - DAY), undefined, NOW);
    expect(s.meanDurationMs).toBe(4000);
    expect(s.byTemplate[0]!.meanDurationMs).toBe(4000);
  });

  it('without a start, from the oldest job (or a day before the end)', () => {
    expect(computeStats([], undefined, undefined, NOW).from).toBe(iso(NOW - DAY));
    const old = finished(NOW - 40 * DAY, 1000);
    expect(computeStats([old], undefined, undefined, NOW).from).toBe(old.createdAt);
  });
});
