// History's duration sort orders by the duration each row shows (its run over its attempts' stamps).
import { describe, expect, it } from 'vitest';
import { JobStore } from '../../src/main/core/store/jobStore';
import type { Attempt, Job } from '../../src/shared/job';
import { spec } from '../support/fakes';
import { tempDirs } from '../support/tmp';

const tmp = tempDirs('jobdeck-history-sort-');

function attempt(from: string, to: string): Attempt {
  return { number: 1, index: 0, engineId: 'docker', status: 'succeeded', exitCode: 0, reason: 'Completed', createdAt: from, startedAt: from, finishedAt: to, logBytes: 0, logTruncated: false, artifacts: [] };
}
function job(id: string, seq: number, jobFrom: string, jobTo: string, a: Attempt): Job {
  return {
    id, templateName: id, spec: spec({ name: id }), status: 'completed', reason: 'Completed', exitCode: 0, priority: 3, seq, origin: 'manual',
    dependsOn: [], createdAt: jobFrom, startedAt: jobFrom, finishedAt: jobTo, failures: 0, succeededIndexes: [], attempts: [a],
  };
}

describe('History sorted by duration', () => {
  it('orders by the run the row shows, not by the time the job waited to start its container', async () => {
    const store = await JobStore.open({ dataDir: tmp() });
    // Started long before its container ran (a slow create on a busy engine): it ran 1 s.
    store.putJob(job('waited', 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:20.000Z', attempt('2026-01-01T00:00:19.000Z', '2026-01-01T00:00:20.000Z')));
    store.putJob(job('ran5s', 2, '2026-01-01T00:01:00.000Z', '2026-01-01T00:01:05.000Z', attempt('2026-01-01T00:01:00.000Z', '2026-01-01T00:01:05.000Z')));
    const desc = store.listJobs({ sort: 'duration', order: 'desc', offset: 0, limit: 10 });
    expect(desc.items.map((j) => j.id)).toEqual(['ran5s', 'waited']);
  });
});
