import { afterEach, describe, expect, it } from 'vitest';
import { startCore, type TestCore } from '../support/core';

// History filters by the name the user sees, and a job keeps its template's name: a template
// deleted and made again under the same name has one history (no engine here: jobs stay pending).
describe('History by template name (core)', () => {
  let t: TestCore | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('lists the runs of a deleted template and of its namesake together', async () => {
    t = await startCore({ kind: 'docker', host: 'unix:///tmp/jobdeck-no-engine-here.sock' });
    await t.call('queue.pause', {});
    const spec = { name: 'nightly', image: 'busybox', command: 'true' };
    const first = await t.call('templates.save', { spec });
    const oldRun = await t.call('jobs.create', { templateId: first.id });
    await t.call('jobs.cancel', { id: oldRun.id });
    const cloned = await t.call('jobs.clone', { id: oldRun.id, overrides: { command: 'echo other' } });
    await t.call('jobs.cancel', { id: cloned.id });
    await t.call('templates.delete', { id: first.id });
    const second = await t.call('templates.save', { spec });
    expect(second.id).not.toBe(first.id);
    const newRun = await t.call('jobs.create', { templateId: second.id });
    await t.call('jobs.create', { spec: { name: 'other', image: 'busybox', command: 'true' } });

    const byName = await t.call('jobs.list', { templateName: 'nightly' });
    expect(byName.total).toBe(3);
    expect(byName.items.map((j) => j.id).sort()).toEqual([oldRun.id, cloned.id, newRun.id].sort());
    // By id only the new template's own run: the reason History filters by name.
    expect((await t.call('jobs.list', { templateId: second.id })).total).toBe(1);
    expect(await t.call('jobs.templateNames', {})).toEqual(['nightly', 'other']);
    const retried = await t.call('jobs.retry', { id: oldRun.id });
    expect(retried.templateName).toBe('nightly');
    await t.call('queue.resume', {});
  });
});
