import type { Job, JobStatus } from '../../../shared/job';
import type { Stats } from '../../../shared/query';

const duration = (j: Job): number | null =>
  j.startedAt && j.finishedAt ? Date.parse(j.finishedAt) - Date.parse(j.startedAt) : null;

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

/** Counts, success rate, mean and p95 duration, per template, and an hourly timeline. */
export function computeStats(jobs: Iterable<Job>, from?: string, to?: string): Stats {
  const lo = from ? Date.parse(from) : -Infinity;
  const hi = to ? Date.parse(to) : Infinity;
  const counts: Record<JobStatus, number> = { pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0 };
  const durations: number[] = [];
  const perTemplate = new Map<string, { total: number; completed: number; failed: number; durations: number[] }>();
  const failuresByReason: Stats['failuresByReason'] = {};
  const hours = new Map<string, { completed: number; failed: number; durations: number[] }>();
  for (const j of jobs) {
    const created = Date.parse(j.createdAt);
    if (created < lo || created > hi) continue;
    counts[j.status]++;
    const t = perTemplate.get(j.templateName) ?? { total: 0, completed: 0, failed: 0, durations: [] };
    perTemplate.set(j.templateName, t);
    t.total++;
    const d = duration(j);
    if (j.status === 'completed') t.completed++;
    if (j.status === 'failed') {
      t.failed++;
      if (j.reason) failuresByReason[j.reason] = (failuresByReason[j.reason] ?? 0) + 1;
    }
    if (d !== null && (j.status === 'completed' || j.status === 'failed')) {
      durations.push(d);
      t.durations.push(d);
    }
    if (j.finishedAt && (j.status === 'completed' || j.status === 'failed')) {
      const hour = `${j.finishedAt.slice(0, 13)}:00:00.000Z`;
      const h = hours.get(hour) ?? { completed: 0, failed: 0, durations: [] };
      hours.set(hour, h);
      if (j.status === 'completed') h.completed++;
      else h.failed++;
      if (d !== null) h.durations.push(d);
    }
  }
  return {
    counts,
    successRate: rate(counts.completed, counts.failed),
    meanDurationMs: mean(durations),
    p95DurationMs: p95(durations),
    byTemplate: [...perTemplate.entries()]
      .map(([templateName, t]) => ({
        templateName,
        total: t.total,
        completed: t.completed,
        failed: t.failed,
        successRate: rate(t.completed, t.failed),
        meanDurationMs: mean(t.durations),
        p95DurationMs: p95(t.durations),
      }))
      .sort((a, b) => b.failed - a.failed || b.total - a.total),
    failuresByReason,
    timeline: [...hours.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([t, h]) => ({ t, completed: h.completed, failed: h.failed, meanDurationMs: mean(h.durations) })),
  };
}
