// Issue 11 item 11: a bar of the Dashboard's durations chart opens History on the jobs it counts.
// The bar's filter (the Dashboard's range on createdAt, the bucket on finishedAt, the status) is
// checked against stats.get's own timeline, through the store's list.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { computeStats } from '../../src/main/core/service/stats';
import { JobStore } from '../../src/main/core/store/jobStore';
import type { Attempt, Job } from '../../src/shared/job';
import { JobFilter } from '../../src/shared/query';
import { chartData } from '../../src/shared/statsChart';
import { DEFAULT_FILTER, fromQuery, selectionFilter, toQuery } from '../../src/renderer/src/views/history/historyFilter';
import { storedJob } from '../support/fakes';

const NOW = Date.parse('2026-03-10T12:34:56.000Z');
const HOUR = 3_600_000;
const iso = (t: number) => new Date(t).toISOString();
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function finished(endMs: number, status: 'completed' | 'failed', createdMs = endMs - 20_000): Job {
  const attempt: Attempt = {
    number: 1,
    index: 0,
    engineId: 'docker',
    status: status === 'completed' ? 'succeeded' : 'failed',
    createdAt: iso(createdMs + 1000),
    startedAt: iso(createdMs + 2000),
    finishedAt: iso(endMs),
    logBytes: 0,
    logTruncated: false,
    artifacts: [],
  };
  return storedJob({ status, createdAt: iso(createdMs), startedAt: attempt.createdAt, finishedAt: iso(endMs), attempts: [attempt] });
}

describe('a chart bar as a History filter', () => {
  it('each bucket and status lists exactly the jobs the bar counts, the edges included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jobdeck-chart-filter-'));
    dirs.push(dir);
    const store = await JobStore.open({ dataDir: dir, recentFinished: 10, historyFileJobs: 25 });
    const from = NOW - 24 * HOUR;
    const bucketStart = Math.floor((NOW - 5 * HOUR) / HOUR) * HOUR;
    const jobs = [
      finished(bucketStart, 'completed'), // on the bucket's first ms: in it
      finished(bucketStart + HOUR - 1, 'completed'), // its last ms: in it
      finished(bucketStart + HOUR, 'completed'), // the next bucket's first: not in it
      finished(bucketStart + 10 * 60_000, 'failed'),
      finished(bucketStart + 20 * 60_000, 'failed'),
      finished(NOW - 2 * HOUR, 'failed'),
      // Finished in the bucket but created before the range: stats.get leaves it out, so does History.
      finished(bucketStart + 30 * 60_000, 'completed', from - 60_000),
      storedJob({ status: 'pending', createdAt: iso(bucketStart) }),
    ];
    for (const j of jobs) store.putJob(j);
    const stats = computeStats(jobs, iso(from), iso(NOW), NOW);
    const chart = chartData(stats);
    let checked = 0;
    for (const [i, start] of chart.starts.entries()) {
      for (const status of ['completed', 'failed'] as const) {
        const want = chart[status][i] ?? 0;
        const listed = store.listJobs(
          JobFilter.parse({ status: [status], from: iso(from), finishedFrom: iso(start), finishedBefore: iso(start + stats.bucketMs) }),
        );
        expect(listed.total, `${status} at ${iso(start)}`).toBe(want);
        checked += want;
      }
    }
    expect(checked).toBe(6);
    const bucket = chart.starts.indexOf(bucketStart);
    expect(chart.completed[bucket]).toBe(2);
    expect(chart.failed[bucket]).toBe(2);
    await store.close();
  });

  it('refuses a bucket edge that is no time', () => {
    expect(JobFilter.safeParse({ finishedFrom: 'yesterday' }).success).toBe(false);
  });
});

describe('the bar\'s filter in History\'s address', () => {
  it('round-trips, and reaches the query as the bucket', () => {
    const f = { ...DEFAULT_FILTER, status: 'failed' as const, range: '24h' as const, finishedFrom: iso(NOW - HOUR), finishedBefore: iso(NOW) };
    const q = toQuery(f);
    expect(q).toContain('finished_from=');
    expect(fromQuery(q)).toEqual(f);
    expect(selectionFilter(f, NOW)).toEqual({ status: ['failed'], from: iso(NOW - 24 * HOUR), finishedFrom: iso(NOW - HOUR), finishedBefore: iso(NOW) });
    // A hand-edited address with no time in it filters nothing rather than failing the query.
    expect(selectionFilter(fromQuery('finished_from=soon'), NOW)).toEqual({});
  });
});
