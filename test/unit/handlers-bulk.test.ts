// jobs.bulk, jobs.export and retention.preview through the real dispatcher, on the whole core with fake engines.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeCommand, useFakeCore, type FakeCore } from '../support/fakeCore';

const core = useFakeCore();

const inline = (name: string, extra: Record<string, unknown> = {}) => ({ name, image: 'busybox:1.36', command: 'echo hi', ...extra });
const create = (h: FakeCore, name: string, extra: Record<string, unknown> = {}) => h.call('jobs.create', { spec: inline(name, extra) });
const started = (h: FakeCore, id: string) => h.until(`an attempt of ${id} to start`, () => h.engines.runs(id).length > 0);
async function ended(h: FakeCore, name: string, outcome: { reason: 'Completed' | 'Error'; exitCode: number }) {
  const j = await create(h, name);
  await started(h, j.id);
  return h.finish(j.id, outcome);
}

describeCommand('jobs.bulk', () => {
  it('cancels the active jobs among the ids and says which were skipped and why', async () => {
    const h = core();
    const done = await ended(h, 'jb-done', { reason: 'Completed', exitCode: 0 });
    await h.call('queue.pause', {});
    const a = await create(h, 'jb-a');
    const b = await create(h, 'jb-b');
    const r = await h.call('jobs.bulk', { action: 'cancel', selection: { ids: [a.id, b.id, done.id, 'ghost'] } });
    expect(r).toMatchObject({ action: 'cancel', matched: 4, done: 2, skipped: 2, failed: 0 });
    expect(r.outcomes).toContainEqual({ id: done.id, outcome: 'skipped', reason: 'already finished' });
    expect(r.outcomes).toContainEqual({ id: 'ghost', outcome: 'skipped', reason: 'no longer there' });
    expect(r.summary).toBe('Cancelled 2 jobs; 2 skipped: 1 no longer there, 1 already finished.');
    expect((await h.call('jobs.get', { id: a.id })).status).toBe('cancelled');
    expect((await h.call('jobs.get', { id: b.id })).status).toBe('cancelled');
    await h.call('queue.resume', {});
  });

  it('acts on every job matching a filter, not only a page of them', async () => {
    const h = core();
    await h.call('queue.pause', {});
    for (let i = 0; i < 60; i++) await create(h, i % 2 ? 'jb-odd' : 'jb-even');
    const r = await h.call('jobs.bulk', { action: 'cancel', selection: { filter: { templateName: 'jb-odd', status: ['pending'] } } });
    expect(r).toMatchObject({ matched: 30, done: 30, skipped: 0 });
    expect((await h.call('jobs.list', { status: ['cancelled'] })).total).toBe(30);
    expect((await h.call('jobs.list', { templateName: 'jb-even', status: ['pending'] })).total).toBe(30);
    await h.call('queue.resume', {});
  });

  it('retries failed and cancelled jobs, runs any again as a clone, and skips completed ones from retry', async () => {
    const h = core();
    const failed = await ended(h, 'jb-failed', { reason: 'Error', exitCode: 2 });
    const ok = await ended(h, 'jb-ok', { reason: 'Completed', exitCode: 0 });
    await h.call('queue.pause', {});
    const retried = await h.call('jobs.bulk', { action: 'retry', selection: { ids: [failed.id, ok.id] } });
    expect(retried).toMatchObject({ done: 1, skipped: 1, summary: 'Retried 1 job; 1 skipped: 1 completed (nothing to retry).' });
    expect(retried.outcomes[0]).toEqual({ id: failed.id, outcome: 'done', newId: failed.id });
    expect((await h.call('jobs.get', { id: failed.id })).status).toBe('pending');
    const cloned = await h.call('jobs.bulk', { action: 'clone', selection: { ids: [ok.id] } });
    expect(cloned).toMatchObject({ done: 1, summary: 'Ran again 1 job.' });
    const copy = await h.call('jobs.get', { id: cloned.outcomes[0]!.newId! });
    expect(copy).toMatchObject({ templateName: 'jb-ok', origin: 'clone', status: 'pending' });
    await h.call('queue.resume', {});
  });

  it('deletes finished jobs with their logs, and skips active ones and ones a waiting job depends on', async () => {
    const h = core();
    const gone = await ended(h, 'jb-gone', { reason: 'Completed', exitCode: 0 });
    const upstream = await ended(h, 'jb-up', { reason: 'Completed', exitCode: 0 });
    await h.call('queue.pause', {});
    const waiting = await h.call('jobs.create', { spec: inline('jb-down'), dependsOn: [upstream.id] });
    expect(existsSync(join(h.dataDir, 'logs', gone.id))).toBe(true);
    const r = await h.call('jobs.bulk', { action: 'remove', selection: { ids: [gone.id, upstream.id, waiting.id] } });
    expect(r).toMatchObject({ done: 1, skipped: 2 });
    expect(r.outcomes).toEqual([
      { id: gone.id, outcome: 'done' },
      { id: upstream.id, outcome: 'skipped', reason: 'a waiting job depends on it' },
      { id: waiting.id, outcome: 'skipped', reason: 'still pending or running (cancel first)' },
    ]);
    expect(h.events).toContainEqual({ name: 'job.removed', payload: { ids: [gone.id] } });
    expect(existsSync(join(h.dataDir, 'logs', gone.id))).toBe(false);
    expect(await h.fail('jobs.get', { id: gone.id })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await h.fail('jobs.bulk', { action: 'remove', selection: { ids: [] } })).toMatchObject({ code: 'VALIDATION' });
    expect(await h.fail('jobs.bulk', { action: 'explode', selection: { ids: ['x'] } })).toMatchObject({ code: 'VALIDATION' });
    await h.call('queue.resume', {});
  });
});

describeCommand('jobs.export', () => {
  it('gives the selected jobs as CSV rows and as JSON, secrets masked', async () => {
    const h = core();
    const a = await ended(h, 'je-a', { reason: 'Error', exitCode: 3 });
    await ended(h, 'je-b', { reason: 'Completed', exitCode: 0 });
    const csv = await h.call('jobs.export', { selection: { filter: { exitCode: 3 } }, format: 'csv' });
    expect(csv.count).toBe(1);
    expect(csv.filename).toMatch(/^jobdeck-jobs-2026-01-01T\d\d-\d\d-\d\d\.csv$/);
    const lines = csv.content.trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,template,status,reason,exitCode,origin,engine,attempts,image,command,createdAt,startedAt,finishedAt,durationMs');
    expect(lines[1]).toMatch(new RegExp(`^${a.id},je-a,failed,Error,3,manual,docker,1,busybox:1.36,echo hi,`));
    const json = await h.call('jobs.export', { selection: { ids: [a.id] }, format: 'json' });
    expect(JSON.parse(json.content)).toMatchObject([{ id: a.id, exitCode: 3 }]);
    expect(await h.fail('jobs.export', { selection: { ids: [a.id] }, format: 'xml' })).toMatchObject({ code: 'VALIDATION' });
  });
});

describeCommand('retention.preview', () => {
  it('counts what retention.run then removes, per state, and removes nothing itself', async () => {
    const h = core();
    await ended(h, 'rp-old-ok', { reason: 'Completed', exitCode: 0 });
    await ended(h, 'rp-old-failed', { reason: 'Error', exitCode: 1 });
    h.clock.advance(5 * 3_600_000);
    await ended(h, 'rp-new', { reason: 'Completed', exitCode: 0 });
    // Older than 4 hours, as the Clean-up dialog sends hours.
    const rule = { olderThanDays: 4 / 24, statuses: ['completed', 'failed'] as ('completed' | 'failed')[] };
    const preview = await h.call('retention.preview', rule);
    expect(preview).toMatchObject({ count: 2, byStatus: { completed: 1, failed: 1 }, kept: 0 });
    expect((await h.call('jobs.list', {})).total).toBe(3);
    // Time passes between the preview and the click: the run counts from the preview's time.
    h.clock.advance(2 * 3_600_000);
    expect(await h.call('retention.run', { ...rule, asOf: preview.asOf })).toEqual({ removed: preview.count });
    expect((await h.call('jobs.list', {})).items.map((j) => j.templateName)).toEqual(['rp-new']);
    expect(await h.fail('retention.preview', { olderThanDays: 1, statuses: [] })).toMatchObject({ code: 'VALIDATION' });
  });
});

describe('jobs.list, the History filters and sorts', () => {
  it('filters by exit code and origin, and sorts by status, template name, exit code and start', async () => {
    const h = core();
    const a = await ended(h, 'jl-b', { reason: 'Error', exitCode: 7 });
    const b = await ended(h, 'jl-a', { reason: 'Completed', exitCode: 0 });
    const c = await h.call('jobs.clone', { id: a.id });
    await started(h, c.id);
    const c2 = await h.finish(c.id, { reason: 'Error', exitCode: 9 });
    expect((await h.call('jobs.list', { exitCode: 7 })).items.map((j) => j.id)).toEqual([a.id]);
    expect((await h.call('jobs.list', { origin: ['clone'] })).items.map((j) => j.id)).toEqual([c2.id]);
    expect((await h.call('jobs.list', { sort: 'templateName', order: 'asc' })).items.map((j) => j.id)).toEqual([b.id, a.id, c.id]);
    expect((await h.call('jobs.list', { sort: 'exitCode', order: 'desc' })).items.map((j) => j.exitCode)).toEqual([9, 7, 0]);
    expect((await h.call('jobs.list', { sort: 'status', order: 'asc' })).items.map((j) => j.status)).toEqual(['completed', 'failed', 'failed']);
    expect((await h.call('jobs.list', { sort: 'startedAt', order: 'asc', limit: 2, offset: 1 })).items.map((j) => j.id)).toEqual([b.id, c.id]);
    expect((await h.call('jobs.list', { sort: 'templateName', order: 'desc', limit: 1, offset: 1 })).items.map((j) => j.id)).toEqual([a.id]);
  });
});
