import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listArtifacts } from '../../src/main/core/artifacts/artifactFiles';
import { LogStore } from '../../src/main/core/logs/logStore';
import { runRetention } from '../../src/main/core/retention';
import { JobStore } from '../../src/main/core/store/jobStore';
import type { Job } from '../../src/shared/job';
import { spec } from '../support/fakes';
import { tempDirs } from '../support/tmp';

const tmp = tempDirs('jobdeck-retention-');

const now = new Date('2026-03-01T00:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();
let n = 0;
function job(status: Job['status'], finishedDaysAgo: number | undefined, over: Partial<Job> = {}): Job {
  n++;
  return {
    id: `job-${n}`,
    templateName: 'tpl',
    spec: spec({ name: 'tpl' }),
    status,
    priority: 3,
    seq: n,
    origin: 'manual',
    dependsOn: [],
    createdAt: daysAgo(100),
    ...(finishedDaysAgo !== undefined ? { finishedAt: daysAgo(finishedDaysAgo) } : {}),
    failures: 0,
    succeededIndexes: [],
    attempts: [],
    ...over,
  };
}

async function setup() {
  const dir = tmp();
  const store = await JobStore.open({ dataDir: dir });
  const logs = new LogStore(dir, { capBytes: () => 1 << 20 });
  const add = async (j: Job) => {
    store.putJob(j);
    const w = logs.openWriter(j.id, 1);
    w.append('stdout', `${j.id}\n`);
    await w.close();
    return j;
  };
  return { dir, store, logs, add };
}

describe('retention', () => {
  it('removes finished jobs older than N days in the chosen states, with their logs and artifacts', async () => {
    const { dir, store, logs, add } = await setup();
    const oldDone = await add(job('completed', 40));
    const oldFailed = await add(job('failed', 40));
    const oldCancelled = await add(job('cancelled', 40));
    const recent = await add(job('completed', 5));
    const removed = await runRetention(store, logs, dir, { olderThanDays: 30, statuses: ['completed', 'failed'], now });
    expect(removed.sort()).toEqual([oldDone.id, oldFailed.id].sort());
    expect(store.getJob(oldDone.id)).toBeUndefined();
    expect(store.getJob(oldCancelled.id)).toBeDefined(); // not in the chosen states
    expect(store.getJob(recent.id)).toBeDefined();
    expect(existsSync(join(dir, 'logs', oldDone.id))).toBe(false);
    expect(await listArtifacts(dir, oldDone.id)).toEqual([]);
    expect((await logs.read(recent.id, 1, 0, 1000)).chunks).toHaveLength(1);
    expect(await listArtifacts(dir, recent.id)).toHaveLength(1);
    await store.close();
    const again = await JobStore.open({ dataDir: dir });
    expect([...again.allJobs()]).toHaveLength(2);
  });

  it('never removes pending or running jobs, however old, nor a finished job an active one depends on', async () => {
    const { dir, store, logs, add } = await setup();
    const pending = await add(job('pending', undefined, { createdAt: daysAgo(400) }));
    const running = await add(job('running', undefined, { createdAt: daysAgo(400), startedAt: daysAgo(399) }));
    const upstream = await add(job('completed', 400));
    const waiting = await add(job('pending', undefined, { dependsOn: [upstream.id] }));
    const removed = await runRetention(store, logs, dir, {
      olderThanDays: 1,
      statuses: ['completed', 'failed', 'cancelled', 'pending', 'running'] as Job['status'][],
      now,
    });
    expect(removed).toEqual([]);
    for (const j of [pending, running, upstream, waiting]) expect(store.getJob(j.id)).toBeDefined();
  });

  it('ages a finished job without an end time from its creation; keeps the boundary day', async () => {
    const { dir, store, logs, add } = await setup();
    const noEnd = await add(job('cancelled', undefined, { createdAt: daysAgo(50) }));
    const edge = await add(job('completed', 30));
    const removed = await runRetention(store, logs, dir, { olderThanDays: 30, statuses: ['completed', 'cancelled'], now });
    expect(removed).toEqual([noEnd.id]);
    expect(store.getJob(edge.id)).toBeDefined();
  });
});
