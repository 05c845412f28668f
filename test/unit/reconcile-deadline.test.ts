// A start after a crash, with an engine that answers its probe and then never answers the
// listing reconcile asks for: the whole core with fake engines and a fake clock.
import { rmSync } from 'node:fs';
import { expect, it } from 'vitest';
import { ENGINE_ANSWER_MS } from '../../src/main/core/deadline';
import { startFakeCore } from '../support/fakeCore';
import { FakeClock } from '../support/fakes';

const HOST = 'unix:///fake/docker.sock';

it('an engine that stops answering does not keep the app from starting: what ran there ends EngineLost and waits to run again', async () => {
  const first = await startFakeCore();
  const { dataDir } = first;
  try {
    const job = await first.call('jobs.create', { spec: { name: 'hang-at-start', image: 'busybox:1.36', command: 'sleep 60', retry: { limit: 1, backoffInitialSeconds: 0 } } });
    await first.job(job.id, (j) => j.status === 'running');
    // The app goes away with the container still running (a crash, or quit leaving jobs running).
    await first.core.close({ stopRunning: false });

    const clock = new FakeClock();
    const listing = clock.timerSet(ENGINE_ANSWER_MS);
    const starting = startFakeCore({ dataDir, clock, unanswered: [HOST] });
    await listing;
    clock.advance(ENGINE_ANSWER_MS);
    const second = await starting;
    try {
      const after = await second.call('jobs.get', { id: job.id });
      expect(after.status).toBe('pending');
      expect(after.attempts).toMatchObject([{ status: 'failed', reason: 'EngineLost', message: 'engine docker was unavailable when Jobdeck started again' }]);
      // The app answers: another job can be queued (it waits for the engine, as the first does).
      expect((await second.call('jobs.create', { spec: { name: 'after-start', image: 'busybox:1.36' } })).status).toBe('pending');
    } finally {
      await second.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

it('an engine back from an outage that does not answer the sweep\'s listing is looked at again at the next probe, and then runs what waits', async () => {
  const clock = new FakeClock();
  const h = await startFakeCore({ clock });
  try {
    h.engines.down.add(HOST);
    expect((await h.call('engines.refresh', {}))[0]).toMatchObject({ status: 'unavailable' });
    // Back, but the listing the sweep asks for hangs: nothing may start there until it has looked.
    h.engines.down.clear();
    h.engines.unanswered.add(HOST);
    const sweep = clock.timerSet(ENGINE_ANSWER_MS);
    expect((await h.call('engines.refresh', {}))[0]).toMatchObject({ status: 'available' });
    await sweep;
    const job = await h.call('jobs.create', { spec: { name: 'after-outage', image: 'busybox:1.36' } });
    expect((await h.call('jobs.get', { id: job.id })).status).toBe('pending');
    clock.advance(ENGINE_ANSWER_MS);
    // The engine answers again: the next probe sweeps, and the job starts.
    h.engines.unanswered.clear();
    await h.call('engines.refresh', {});
    expect((await h.job(job.id, (j) => j.status === 'running')).attempts).toHaveLength(1);
  } finally {
    await h.close();
  }
});
