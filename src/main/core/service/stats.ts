import type { Job, JobStatus } from '../../../shared/job';
import { jobDurationMs, queueWaitMs, stampMs } from '../../../shared/jobNumbers';
import type { Stats } from '../../../shared/query';

function mean(xs: number[]): number | null {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}

/** Nearest-rank p95. */
function p95(xs: number[]): number | null {
  if (!xs.length) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)] ?? null;
}

const rate = (completed: number, failed: number): number | null =>
  completed + failed ? completed / (completed + failed) : null;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** About 24 to 120 bars whatever the range: hours for a day, six hours for a week, days for a month. */
export function bucketFor(spanMs: number): number {
  if (spanMs <= 2 * DAY) return HOUR;
  if (spanMs <= 14 * DAY) return 6 * HOUR;
  if (spanMs <= 120 * DAY) return DAY;
  return 7 * DAY;
}

/**
 * Counts, success rate, mean and p95 duration, per template, and a timeline, over the jobs created
 * in [from, to]. The range comes back with the figures, `to` defaulting to `now`, so the chart's
 * axis covers exactly what was asked for. Durations are shared/jobNumbers.ts's, as the job page's.
 */
export function computeStats(jobs: Iterable<Job>, from?: string, to?: string, now: number = Date.now()): Stats {
  const all = [...jobs];
  const hi = stampMs(to) ?? now;
  let lo = stampMs(from) ?? hi - DAY;
  // No start given: from the oldest job (a loop: a spread of 100 000 stamps would overflow the stack).
  if (from === undefined) for (const j of all) lo = Math.min(lo, stampMs(j.createdAt) ?? lo);
  const bucketMs = bucketFor(hi - lo);
  const counts: Record<JobStatus, number> = { pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0 };
  const durations: number[] = [];
  const waits: number[] = [];
  const perTemplate = new Map<string, { total: number; completed: number; failed: number; durations: number[]; waits: number[] }>();
  const failuresByReason: Stats['failuresByReason'] = {};
  const buckets = new Map<number, { completed: number; failed: number; durations: number[] }>();
  for (const j of all) {
    const created = Date.parse(j.createdAt);
    if (created < lo || created > hi) continue;
    counts[j.status]++;
    const t = perTemplate.get(j.templateName) ?? { total: 0, completed: 0, failed: 0, durations: [], waits: [] };
    perTemplate.set(j.templateName, t);
    t.total++;
    // Waits of every job that has left the queue, running ones too: a long queue shows while it lasts.
    const waited = queueWaitMs(j);
    if (waited !== null) {
      waits.push(waited);
      t.waits.push(waited);
    }
    if (j.status === 'completed') t.completed++;
    if (j.status === 'failed') {
      t.failed++;
      if (j.reason) failuresByReason[j.reason] = (failuresByReason[j.reason] ?? 0) + 1;
    }
    if (j.status !== 'completed' && j.status !== 'failed') continue;
    const d = jobDurationMs(j);
    if (d !== null) {
      durations.push(d);
      t.durations.push(d);
    }
    const finished = stampMs(j.finishedAt);
    if (finished === undefined || finished < lo || finished > hi) continue;
    const start = Math.floor(finished / bucketMs) * bucketMs;
    const b = buckets.get(start) ?? { completed: 0, failed: 0, durations: [] };
    buckets.set(start, b);
    if (j.status === 'completed') b.completed++;
    else b.failed++;
    if (d !== null) b.durations.push(d);
  }
  return {
    counts,
    successRate: rate(counts.completed, counts.failed),
    meanDurationMs: mean(durations),
    p95DurationMs: p95(durations),
    meanWaitMs: mean(waits),
    p95WaitMs: p95(waits),
    byTemplate: [...perTemplate.entries()]
      .map(([templateName, t]) => ({
        templateName,
        total: t.total,
        completed: t.completed,
        failed: t.failed,
        successRate: rate(t.completed, t.failed),
        meanDurationMs: mean(t.durations),
        p95DurationMs: p95(t.durations),
        meanWaitMs: mean(t.waits),
        p95WaitMs: p95(t.waits),
      }))
      .sort((a, b) => b.failed - a.failed || b.total - a.total),
    failuresByReason,
    from: new Date(lo).toISOString(),
    to: new Date(hi).toISOString(),
    bucketMs,
    timeline: [...buckets.entries()]
      .sort(([a], [b]) => a - b)
      .map(([t, b]) => ({ t: new Date(t).toISOString(), completed: b.completed, failed: b.failed, meanDurationMs: mean(b.durations) })),
  };
}
