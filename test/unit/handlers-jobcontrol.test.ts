// jobs.suspend / jobs.resume / jobs.pin and ttlSecondsAfterFinished, through the real dispatcher
// on the whole core with fake engines and a fake clock.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeCommand, useFakeCore, type FakeCore } from '../support/fakeCore';

const core = useFakeCore();

const inline = (name: string, extra: Record<string, unknown> = {}) => ({ name, image: 'busybox:1.36', command: 'echo hi', ...extra });
const create = (h: FakeCore, name: string, extra: Record<string, unknown> = {}) => h.call('jobs.create', { spec: inline(name, extra) });
const removed = (h: FakeCore, id: string) => h.events.some((e) => e.name === 'job.removed' && e.payload.ids.includes(id));

describeCommand('jobs.suspend', () => {
  it('stops a running job\'s container and keeps it pending, nothing counted', async () => {
    const h = core();
    const job = await create(h, 'js-run', { retry: { limit: 0 } });
    await h.until('it runs', () => h.engines.runs(job.id).length === 1);
    const answer = await h.call('jobs.suspend', { id: job.id });
    expect(answer.suspended).toBe(true);
    const after = await h.job(job.id, (j) => j.status === 'pending' && j.attempts[0]?.status === 'cancelled');
    expect(after).toMatchObject({ suspended: true, failures: 0 });
    expect(h.engines.runs(job.id)[0]!.stopped).toBe('Cancelled');
  });

  it('refuses an unknown job and a finished one, in words', async () => {
    const h = core();
    expect(await h.fail('jobs.suspend', { id: 'nope' })).toMatchObject({ code: 'NOT_FOUND', message: 'no job nope' });
    const job = await create(h, 'js-done');
    await h.until('it runs', () => h.engines.runs(job.id).length === 1);
    await h.finish(job.id, { reason: 'Completed' });
    expect(await h.fail('jobs.suspend', { id: job.id })).toMatchObject({ code: 'CONFLICT', message: 'only a pending or running job can be suspended; this one is completed' });
  });
});

describeCommand('jobs.resume', () => {
  it('starts a job made suspended by its template', async () => {
    const h = core();
    const job = await create(h, 'jr-tpl', { suspend: true });
    expect(job).toMatchObject({ status: 'pending' });
    expect(h.engines.runs(job.id)).toHaveLength(0);
    const resumed = await h.call('jobs.resume', { id: job.id });
    expect(resumed.suspended).toBe(false);
    await h.until('it runs', () => h.engines.runs(job.id).length === 1);
    expect(await h.finish(job.id, { reason: 'Completed' })).toMatchObject({ status: 'completed' });
  });

  it('refuses an unknown job', async () => {
    expect(await core().fail('jobs.resume', { id: 'ghost' })).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describeCommand('jobs.pin', () => {
  it('a job past its ttlSecondsAfterFinished is removed with its logs, a pinned one is kept', async () => {
    const h = core();
    const kept = await create(h, 'jp-kept', { ttlSecondsAfterFinished: 60 });
    const gone = await create(h, 'jp-gone', { ttlSecondsAfterFinished: 60 });
    expect((await h.call('jobs.pin', { id: kept.id, pinned: true })).pinned).toBe(true);
    for (const j of [kept, gone]) {
      await h.until('it runs', () => h.engines.runs(j.id).length === 1);
      await h.finish(j.id, { reason: 'Completed' });
    }
    expect(existsSync(join(h.dataDir, 'logs', gone.id))).toBe(true);
    h.clock.advance(59_000);
    expect(removed(h, gone.id)).toBe(false);
    h.clock.advance(1_000);
    await h.until('the unpinned job to be removed', () => removed(h, gone.id));
    expect(await h.fail('jobs.get', { id: gone.id })).toMatchObject({ code: 'NOT_FOUND' });
    await h.until('its logs to be removed', () => !existsSync(join(h.dataDir, 'logs', gone.id)));
    expect((await h.call('jobs.get', { id: kept.id })).pinned).toBe(true);
    // Unpinned, it goes at once: it is long past its time.
    expect((await h.call('jobs.pin', { id: kept.id, pinned: false })).pinned).toBeUndefined();
    h.clock.advance(0);
    await h.until('the unpinned job to be removed', () => removed(h, kept.id));
  });

  it('refuses an unknown job', async () => {
    expect(await core().fail('jobs.pin', { id: 'ghost', pinned: true })).toMatchObject({ code: 'NOT_FOUND' });
  });
});
