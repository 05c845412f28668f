// logs, artifacts, engines, queue, stats, settings and retention through the real dispatcher,
// on the whole core with fake engines and a fake clock.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { LogChunk } from '../../src/shared/ipc';
import { describeCommand, useFakeCore, type FakeCore } from '../support/fakeCore';

const core = useFakeCore();

const create = (h: FakeCore, name: string, extra: Record<string, unknown> = {}) =>
  h.call('jobs.create', { spec: { name, image: 'busybox:1.36', command: 'echo hi', ...extra } });
const started = (h: FakeCore, id: string) => h.until(`an attempt of ${id} to start`, () => h.engines.runs(id).length > 0);
const say = (h: FakeCore, id: string, text: string, stream: 'stdout' | 'stderr' = 'stdout') =>
  h.engines.runs(id).at(-1)!.sink.log(stream, text, new Date(h.clock.now()).toISOString());
const chunksOf = (h: FakeCore, id: string): LogChunk[] =>
  h.events.flatMap((e) => (e.name === 'log.chunks' && e.payload.id === id ? e.payload.chunks : []));
const text = (chunks: LogChunk[]) => chunks.map((c) => c.data).join('');

describeCommand('logs.read', () => {
  it('reads an attempt\'s output by range, and says which attempt does not exist', async () => {
    const h = core();
    const job = await create(h, 'lr-one');
    await started(h, job.id);
    say(h, job.id, 'one\n');
    say(h, job.id, 'two\n', 'stderr');
    await h.finish(job.id, { reason: 'Completed', exitCode: 0 });
    const page = await h.call('logs.read', { id: job.id });
    expect(page).toMatchObject({ eof: true, truncated: false });
    expect(page.chunks.filter((c) => c.stream !== 'system').map((c) => [c.stream, c.data])).toEqual([
      ['stdout', 'one\n'],
      ['stderr', 'two\n'],
    ]);
    expect(page.nextOffset).toBe(page.size);
    const rest = await h.call('logs.read', { id: job.id, attempt: 1, offset: page.nextOffset });
    expect(rest).toMatchObject({ chunks: [], eof: true });
    expect(await h.fail('logs.read', { id: job.id, attempt: 2 })).toMatchObject({ code: 'NOT_FOUND', message: `job ${job.id} has no attempt 2` });
    expect(await h.fail('logs.read', { id: 'nope' })).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('answers an empty page for a job that has not started', async () => {
    const h = core();
    await h.call('queue.pause', {});
    const job = await create(h, 'lr-wait');
    expect(await h.call('logs.read', { id: job.id })).toEqual({ chunks: [], nextOffset: 0, size: 0, eof: true, truncated: false });
    await h.call('queue.resume', {});
  });
});

describeCommand('logs.subscribe', () => {
  it('sends a subscribed job\'s output as log.chunks, and only that job\'s', async () => {
    const h = core();
    const watched = await create(h, 'ls-watched');
    const other = await create(h, 'ls-other');
    await started(h, watched.id);
    await started(h, other.id);
    expect(await h.call('logs.subscribe', { id: watched.id })).toEqual({ ok: true });
    say(h, other.id, 'not for you\n');
    say(h, watched.id, 'hello\n');
    await h.until('the chunk to arrive', () => text(chunksOf(h, watched.id)) === 'hello\n');
    expect(chunksOf(h, other.id)).toEqual([]);
    expect(await h.fail('logs.subscribe', { id: 'nope' })).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describeCommand('logs.unsubscribe', () => {
  it('stops the chunks of that job while another subscription still gets its own', async () => {
    const h = core();
    const a = await create(h, 'lu-a');
    const b = await create(h, 'lu-b');
    await started(h, a.id);
    await started(h, b.id);
    await h.call('logs.subscribe', { id: a.id });
    await h.call('logs.subscribe', { id: b.id });
    say(h, a.id, 'before\n');
    await h.until('the first chunk', () => text(chunksOf(h, a.id)) === 'before\n');
    expect(await h.call('logs.unsubscribe', { id: a.id })).toEqual({ ok: true });
    say(h, a.id, 'after\n');
    say(h, b.id, 'still\n');
    await h.until('b\'s chunk', () => text(chunksOf(h, b.id)) === 'still\n');
    expect(text(chunksOf(h, a.id))).toBe('before\n');
    // What was not sent is still stored.
    await h.finish(a.id, { reason: 'Completed', exitCode: 0 });
    expect(text((await h.call('logs.read', { id: a.id })).chunks.filter((c) => c.stream === 'stdout'))).toBe('before\nafter\n');
  });
});

describeCommand('artifacts.list', () => {
  it('lists each attempt\'s files with their sizes, and nothing for a job without any', async () => {
    const h = core();
    const job = await create(h, 'al-one');
    await started(h, job.id);
    expect(await h.call('artifacts.list', { id: job.id })).toEqual([]);
    const dir = join(h.dataDir, 'artifacts', job.id, '1');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'report.txt'), 'twelve bytes');
    writeFileSync(join(dir, 'sub', 'data.bin'), Buffer.alloc(3));
    const list = await h.call('artifacts.list', { id: job.id });
    expect(list.map((a) => [a.attempt, a.name, a.size])).toEqual([
      [1, 'report.txt', 12],
      [1, 'sub/data.bin', 3],
    ]);
    expect(await h.fail('artifacts.list', { id: 'nope' })).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describeCommand('engines.list', () => {
  it('lists the engines found, with what their probe said', async () => {
    const list = await core().call('engines.list', {});
    expect(list).toEqual([
      expect.objectContaining({ id: 'docker', kind: 'docker', host: 'unix:///fake/docker.sock', source: 'socket', status: 'available', version: '99.0-fake', running: 0 }),
    ]);
  });
});

describeCommand('engines.refresh', () => {
  it('probes again: an engine that went down shows unavailable with why, and back up it runs jobs again', async () => {
    const h = core();
    h.engines.down.add('unix:///fake/docker.sock');
    const [down] = await h.call('engines.refresh', {});
    expect(down).toMatchObject({ id: 'docker', status: 'unavailable', error: expect.stringContaining('ECONNREFUSED') });
    const job = await create(h, 'er-wait');
    expect((await h.call('jobs.get', { id: job.id })).status).toBe('pending');
    h.engines.down.clear();
    const [up] = await h.call('engines.refresh', {});
    expect(up).toMatchObject({ status: 'available' });
    expect(up!.error).toBeUndefined();
    await started(h, job.id);
  });
});

describeCommand('engines.add', () => {
  it('adds an engine to settings and probes it; jobs may run there', async () => {
    const h = core();
    const info = await h.call('engines.add', { id: 'remote-one', kind: 'podman', host: 'tcp://127.0.0.1:2375', concurrency: 2 });
    expect(info).toMatchObject({ id: 'remote-one', kind: 'podman', source: 'settings', status: 'available' });
    expect((await h.call('settings.get', {})).engines).toEqual([{ id: 'remote-one', kind: 'podman', host: 'tcp://127.0.0.1:2375', concurrency: 2 }]);
    expect((await h.call('engines.list', {})).map((e) => e.id).sort()).toEqual(['docker', 'remote-one']);
    await h.call('engines.refresh', {});
    h.engines.down.add('unix:///fake/docker.sock');
    await h.call('engines.refresh', {});
    const job = await create(h, 'ea-remote');
    await started(h, job.id);
    expect(h.engines.runs(job.id)[0]!.req.jobId).toBe(job.id);
    expect(h.engines.byId.get('remote-one')!.executor.runs.map((r) => r.req.jobId)).toEqual([job.id]);
  });

  it('refuses an id in use and an address the app cannot open, in the user\'s words', async () => {
    const h = core();
    expect(await h.fail('engines.add', { id: 'docker', kind: 'docker', host: 'tcp://127.0.0.1:2375' })).toMatchObject({
      code: 'CONFLICT',
      message: 'an engine with id "docker" already exists',
    });
    const bad = await h.fail('engines.add', { id: 'bad-one', kind: 'docker', host: 'ftp://example' });
    expect(bad.code).toBe('VALIDATION');
    expect(bad.issues?.map((i) => i.message).join()).toContain('Jobdeck cannot reach an engine over ftp://');
    expect((await h.call('settings.get', {})).engines).toEqual([]);
  });

  it('keeps an engine that does not answer, shown unavailable', async () => {
    const h = core();
    h.engines.down.add('tcp://127.0.0.1:1');
    expect(await h.call('engines.add', { id: 'dead-one', kind: 'docker', host: 'tcp://127.0.0.1:1' })).toMatchObject({
      id: 'dead-one',
      status: 'unavailable',
      error: expect.stringContaining('ECONNREFUSED'),
    });
  });
});

describeCommand('engines.remove', () => {
  it('removes an engine from settings; refuses a discovered one and one that is running jobs', async () => {
    const h = core();
    await h.call('engines.add', { id: 'rm-one', kind: 'docker', host: 'tcp://127.0.0.1:2375' });
    h.engines.down.add('unix:///fake/docker.sock');
    await h.call('engines.refresh', {});
    const job = await create(h, 'erm-job');
    await started(h, job.id);
    expect(await h.fail('engines.remove', { id: 'rm-one' })).toMatchObject({ code: 'CONFLICT', message: 'engine rm-one is running jobs' });
    await h.finish(job.id, { reason: 'Completed', exitCode: 0 });
    expect(await h.call('engines.remove', { id: 'rm-one' })).toEqual({ ok: true });
    expect((await h.call('engines.list', {})).map((e) => e.id)).toEqual(['docker']);
    expect((await h.call('settings.get', {})).engines).toEqual([]);
    expect(await h.fail('engines.remove', { id: 'docker' })).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('discovered engines cannot be removed') });
  });
});

describeCommand('queue.state', () => {
  it('counts running and pending jobs against the concurrency', async () => {
    const h = core();
    await h.call('settings.update', { concurrency: 1 });
    const a = await create(h, 'qs-a');
    await create(h, 'qs-b');
    await started(h, a.id);
    expect(await h.call('queue.state', {})).toEqual({ paused: false, running: 1, pending: 1, concurrency: 1 });
  });
});

describeCommand('queue.pause', () => {
  it('starts nothing new while paused, and says so in settings and to every client', async () => {
    const h = core();
    expect(await h.call('queue.pause', {})).toMatchObject({ paused: true });
    const job = await create(h, 'qp-one');
    expect(h.engines.runs(job.id)).toEqual([]);
    expect((await h.call('settings.get', {})).queuePaused).toBe(true);
    expect(h.events).toContainEqual({ name: 'queue.state', payload: expect.objectContaining({ paused: true }) });
    await h.call('queue.resume', {});
  });
});

describeCommand('queue.resume', () => {
  it('starts what waited while paused', async () => {
    const h = core();
    await h.call('queue.pause', {});
    const job = await create(h, 'qr-one');
    expect(await h.call('queue.state', {})).toMatchObject({ paused: true, pending: 1, running: 0 });
    expect(await h.call('queue.resume', {})).toMatchObject({ paused: false });
    await started(h, job.id);
    expect((await h.call('settings.get', {})).queuePaused).toBe(false);
  });
});

describeCommand('stats.get', () => {
  it('counts outcomes and durations as the clock measured them', async () => {
    const h = core();
    const ok = await create(h, 'sg-ok');
    const bad = await create(h, 'sg-bad');
    await started(h, ok.id);
    await started(h, bad.id);
    h.clock.advance(4_000);
    await h.finish(ok.id, { reason: 'Completed', exitCode: 0 });
    h.clock.advance(2_000);
    await h.finish(bad.id, { reason: 'Error', exitCode: 2 });
    const stats = await h.call('stats.get', {});
    expect(stats.counts).toMatchObject({ completed: 1, failed: 1 });
    expect(stats.successRate).toBe(0.5);
    expect(stats.failuresByReason).toEqual({ Error: 1 });
    expect(stats.byTemplate.find((t) => t.templateName === 'sg-ok')).toMatchObject({ total: 1, completed: 1, meanDurationMs: 4_000 });
    expect(stats.byTemplate.find((t) => t.templateName === 'sg-bad')).toMatchObject({ total: 1, failed: 1, meanDurationMs: 6_000 });
    expect(await h.fail('stats.get', { from: 'yesterday' })).toMatchObject({ code: 'VALIDATION' });
  });
});

describeCommand('settings.get', () => {
  it('gives the defaults of a new data dir', async () => {
    expect(await core().call('settings.get', {})).toMatchObject({ concurrency: 4, queuePaused: false, stopGraceSeconds: 10, engines: [] });
  });
});

describeCommand('settings.update', () => {
  it('changes only the keys sent, keeps them across a restart, and refuses a bad value', async () => {
    const h = core();
    const next = await h.call('settings.update', { concurrency: 2, notifications: { muteSuccess: true } });
    expect(next).toMatchObject({ concurrency: 2, notifications: { enabled: true, muteSuccess: true }, stopGraceSeconds: 10 });
    expect(h.events).toContainEqual({ name: 'queue.state', payload: expect.objectContaining({ concurrency: 2 }) });
    const bad = await h.fail('settings.update', { concurrency: 0 });
    expect(bad.code).toBe('VALIDATION');
    expect((await h.call('settings.get', {})).concurrency).toBe(2);
  });
});

describeCommand('retention.run', () => {
  it('removes finished jobs older than the days given, in the states given, and announces them', async () => {
    const h = core();
    const old = await create(h, 'rr-old');
    const oldFailed = await create(h, 'rr-old-failed');
    await started(h, old.id);
    await started(h, oldFailed.id);
    await h.finish(old.id, { reason: 'Completed', exitCode: 0 });
    await h.finish(oldFailed.id, { reason: 'Error', exitCode: 1 });
    h.clock.advance(3 * 86_400_000);
    const recent = await create(h, 'rr-recent');
    await started(h, recent.id);
    await h.finish(recent.id, { reason: 'Completed', exitCode: 0 });
    expect(await h.call('retention.run', { olderThanDays: 2, statuses: ['completed'] })).toEqual({ removed: 1 });
    expect(h.events).toContainEqual({ name: 'job.removed', payload: { ids: [old.id] } });
    expect((await h.call('jobs.list', {})).items.map((j) => j.templateName).sort()).toEqual(['rr-old-failed', 'rr-recent']);
    expect(await h.call('retention.run', { olderThanDays: 2 })).toEqual({ removed: 1 });
    expect(await h.call('retention.run', { olderThanDays: 2 })).toEqual({ removed: 0 });
    expect((await h.call('jobs.list', {})).items.map((j) => j.templateName)).toEqual(['rr-recent']);
    expect(await h.fail('retention.run', { olderThanDays: -1 })).toMatchObject({ code: 'VALIDATION' });
  });
});
