// Queue wait (created → first attempt) per template in the Dashboard's stats, beside durations.
import { describe, expect, it } from 'vitest';
import type { Job } from '../../src/shared/job';
import { queueWaitMs } from '../../src/shared/jobNumbers';
import { computeStats } from '../../src/main/core/service/stats';

const T = (s: number) => new Date(Date.parse('2026-01-01T00:00:00Z') + s * 1000).toISOString();
const attempt = (n: number, created: number, finished?: number): Job['attempts'][number] => ({
  number: n,
  index: 0,
  engineId: 'docker',
  status: finished === undefined ? 'running' : 'succeeded',
  createdAt: T(created),
  startedAt: T(created),
  ...(finished !== undefined ? { finishedAt: T(finished) } : {}),
  logBytes: 0,
  logTruncated: false,
  artifacts: [],
});
const job = (id: string, templateName: string, created: number, attempts: Job['attempts'], status: Job['status']): Job => ({
  id,
  templateName,
  spec: {} as Job['spec'],
  status,
  priority: 3,
  seq: 1,
  origin: 'manual',
  dependsOn: [],
  createdAt: T(created),
  failures: 0,
  succeededIndexes: [],
  attempts,
  ...(status === 'completed' ? { finishedAt: attempts.at(-1)?.finishedAt } : {}),
});

describe('queue wait', () => {
  it('is created → first attempt, and null while the job still waits', () => {
    expect(queueWaitMs(job('a', 't', 0, [], 'pending'))).toBeNull();
    expect(queueWaitMs(job('a', 't', 0, [attempt(2, 30, 40), attempt(1, 10, 20)], 'completed'))).toBe(10_000);
  });

  it('per template and over all, mean and p95, running jobs included, waiting ones not', () => {
    const jobs = [
      job('a', 'nightly', 0, [attempt(1, 2, 10)], 'completed'),
      job('b', 'nightly', 0, [attempt(1, 6, 10)], 'completed'),
      job('c', 'backup', 0, [attempt(1, 30)], 'running'),
      job('d', 'backup', 0, [], 'pending'),
    ];
    const s = computeStats(jobs, T(-60), T(3600));
    const by = Object.fromEntries(s.byTemplate.map((t) => [t.templateName, t]));
    expect(by.nightly).toMatchObject({ meanWaitMs: 4000, p95WaitMs: 6000, meanDurationMs: 6000 });
    expect(by.backup).toMatchObject({ meanWaitMs: 30_000, p95WaitMs: 30_000 });
    expect(s).toMatchObject({ meanWaitMs: 38_000 / 3, p95WaitMs: 30_000 });
  });
});
