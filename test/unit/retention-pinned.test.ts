// Retention keeps a job the user pinned (jobs.pin), as ttlSecondsAfterFinished does.
import { expect, it } from 'vitest';
import { LogStore } from '../../src/main/core/logs/logStore';
import { runRetention } from '../../src/main/core/retention';
import { JobStore } from '../../src/main/core/store/jobStore';
import { storedJob } from '../support/fakes';
import { tempDirs } from '../support/tmp';

const tmp = tempDirs('jobdeck-retention-pinned-');

it('retention removes an old finished job but keeps an old pinned one', async () => {
  const dir = tmp();
  const store = await JobStore.open({ dataDir: dir });
  const logs = new LogStore(dir, { capBytes: () => 1 << 20 });
  const old = { status: 'completed' as const, finishedAt: '2026-01-01T00:00:00.000Z' };
  const plain = storedJob(old);
  const pinned = storedJob({ ...old, pinned: true });
  store.putJob(plain);
  store.putJob(pinned);
  const removed = await runRetention(store, logs, dir, { olderThanDays: 7, statuses: ['completed'], now: new Date('2026-03-01T00:00:00Z') });
  expect(removed).toEqual([plain.id]);
  expect(store.getJob(pinned.id)?.pinned).toBe(true);
  await store.close();
});
