// Late and stuck through the whole core with a fake clock: one timer at the earliest threshold,
// each notification once per job per rule; and a rule naming a channel that is not there says so.
import { expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeCore, useFakeCore, type FakeCore } from '../support/fakeCore';
import { startReceiver } from '../support/notifyReceiver';

const core = useFakeCore();

async function withHook(h: FakeCore) {
  const rx = await startReceiver();
  const ch = await h.call('notify.channels.save', { kind: 'webhook', name: 'timers', url: rx.url });
  return { rx, ch };
}
const deliveries = (h: FakeCore, jobId: string) => h.call('notify.deliveries', { jobId });

it('a running job past its duration notifies once, while it still runs; none before the threshold', async () => {
  const h = core();
  const { rx, ch } = await withHook(h);
  try {
    const job = await h.call('jobs.create', { spec: { name: 'nt-late', image: 'busybox', notifications: { rules: [{ id: 'late', on: 'late', afterSeconds: 30, channels: [ch.id] }] } } });
    await h.until('it runs', () => h.engines.runs(job.id).length === 1);
    h.clock.advance(29_000);
    expect(await deliveries(h, job.id)).toEqual([]);
    h.clock.advance(1_000);
    await h.until('queued', async () => (await deliveries(h, job.id)).length === 1);
    h.clock.advance(0);
    await rx.waitFor(1);
    h.clock.advance(10 * 60_000);
    const [d] = await deliveries(h, job.id);
    expect(d).toMatchObject({ event: 'late', payload: { job: { status: 'running' } } });
    await h.finish(job.id, { reason: 'Completed', exitCode: 0 });
    expect(await deliveries(h, job.id)).toHaveLength(1);
    expect(rx.requests).toHaveLength(1);
  } finally {
    await rx.close();
  }
});

it('a job pending past its duration (the queue paused) notifies once as stuck', async () => {
  const h = core();
  const { rx, ch } = await withHook(h);
  try {
    await h.call('queue.pause', {});
    const job = await h.call('jobs.create', { spec: { name: 'nt-stuck', image: 'busybox', notifications: { rules: [{ id: 'stuck', on: 'stuck', afterSeconds: 60, channels: [ch.id] }] } } });
    h.clock.advance(59_000);
    expect(await deliveries(h, job.id)).toEqual([]);
    h.clock.advance(2_000);
    await h.until('queued', async () => (await deliveries(h, job.id)).length === 1);
    h.clock.advance(3_600_000);
    expect((await deliveries(h, job.id)).map((d) => d.event)).toEqual(['stuck']);
    await h.call('queue.resume', {});
  } finally {
    await rx.close();
  }
});

it('a rule naming a channel that does not exist says so, in the store-error banner', async () => {
  const h = core();
  const job = await h.call('jobs.create', { spec: { name: 'nt-nochannel', image: 'busybox', notifications: { rules: [{ id: 'r', on: 'start', channels: ['gone'] }] } } });
  await h.until('it runs', () => h.engines.runs(job.id).length === 1);
  await h.until('told', () => h.events.some((e) => e.name === 'store.error' && e.payload.message.includes('names channel gone, which does not exist')));
});

it('notifyAlert (the health part\'s alerts): once when it starts and once when it clears, to each channel named', async () => {
  const h = core();
  const { rx, ch } = await withHook(h);
  try {
    const firing = { id: 'fail-rate', title: 'Failure rate of nightly above 50%', state: 'firing' as const, at: '2026-01-01T00:00:00.000Z' };
    h.core.notifyAlert(firing, [ch.id, 'desktop']);
    h.core.notifyAlert(firing, [ch.id]);
    h.core.notifyAlert({ ...firing, state: 'resolved', at: '2026-01-01T00:10:00.000Z' }, [ch.id]);
    h.clock.advance(0);
    await rx.waitFor(2);
    const sent = (await h.call('notify.deliveries', { channelId: ch.id })).map((d) => [d.event, d.payload.alert?.state, d.payload.summary]);
    expect(sent.sort()).toEqual([
      ['alert', 'firing', 'Alert started: Failure rate of nightly above 50%'],
      ['alert', 'resolved', 'Alert cleared: Failure rate of nightly above 50%'],
    ]);
    expect(h.events.filter((e) => e.name === 'notify.desktop').map((e) => e.name === 'notify.desktop' && e.payload.title)).toEqual(['Alert started']);
  } finally {
    await rx.close();
  }
});

it('a restart of the core with a delivery still pending sends it, with the same key, and not twice', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'jobdeck-notify-restart-'));
  const down = await startReceiver();
  const port = down.port;
  await down.close();
  const first = await startFakeCore({ dataDir });
  let rx: Awaited<ReturnType<typeof startReceiver>> | undefined;
  try {
    const ch = await first.call('notify.channels.save', { kind: 'webhook', name: 'later', url: `http://127.0.0.1:${port}/hook` });
    const job = await first.call('jobs.create', { spec: { name: 'nt-restart', image: 'busybox', notifications: { rules: [{ id: 'f', on: 'failure', channels: [ch.id] }] } } });
    await first.until('runs', () => first.engines.runs(job.id).length === 1);
    await first.finish(job.id, { reason: 'Error', exitCode: 1 });
    first.clock.advance(0);
    await first.until('refused once', async () => ((await first.call('notify.deliveries', { jobId: job.id }))[0]?.attempts.length ?? 0) >= 1);
    const [before] = await first.call('notify.deliveries', { jobId: job.id });
    await first.close();
    rx = await startReceiver(port);
    const second = await startFakeCore({ dataDir });
    try {
      second.clock.advance(60_000);
      await rx.waitFor(1);
      await second.until('delivered', async () => (await second.call('notify.deliveries', { jobId: job.id }))[0]?.state === 'delivered');
      const [after] = await second.call('notify.deliveries', { jobId: job.id });
      expect(after!.key).toBe(before!.key);
      expect(rx.requests.map((r) => r.headers['idempotency-key'])).toEqual([before!.key]);
      expect(after!.attempts.map((a) => a.ok)).toEqual([...before!.attempts.map(() => false), true]);
    } finally {
      await second.close();
    }
  } finally {
    await rx?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
