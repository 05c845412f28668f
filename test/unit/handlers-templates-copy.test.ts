// Duplicate a template and export several at once: what a user of the Templates list gets.
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { SECRET_MASK } from '../../src/shared/ipc';
import { copyNameFor } from '../../src/main/core/service/templateHandlers';
import { describeCommand, useFakeCore, type FakeCore } from '../support/fakeCore';

const core = useFakeCore();
const save = (h: FakeCore, name: string, extra: Record<string, unknown> = {}) =>
  h.call('templates.save', { spec: { name, image: 'busybox:1.36', command: 'echo hi', ...extra } });

describeCommand('templates.duplicate', () => {
  it('copies every field under "name (copy)", then "(copy 2)"; the secret goes across; the schedule waits', async () => {
    const h = core();
    const t = await save(h, 'td-one', {
      env: [{ name: 'TOKEN', value: 's3cret', secret: true }],
      labels: { team: 'data' },
      retry: { limit: 2, backoffFactor: 3 },
      schedule: { cron: '0 3 * * *', timeZone: 'UTC' },
    });
    const copy = await h.call('templates.duplicate', { id: t.id });
    expect(copy.id).not.toBe(t.id);
    expect(copy).toMatchObject({ name: 'td-one (copy)', labels: { team: 'data' }, retry: { limit: 2, backoffFactor: 3 }, schedule: { cron: '0 3 * * *', timeZone: 'UTC', enabled: false } });
    expect(copy.env).toEqual([{ name: 'TOKEN', value: SECRET_MASK, secret: true }]);
    // The copy's container gets the secret in clear, as the original's does.
    const job = await h.call('jobs.create', { templateId: copy.id });
    await h.until('the attempt to start', () => h.engines.runs(job.id).length === 1);
    expect(h.engines.runs(job.id)[0]!.req.env).toContain('TOKEN=s3cret');
    expect((await h.call('templates.duplicate', { id: t.id })).name).toBe('td-one (copy 2)');
    expect((await h.call('templates.duplicate', { id: t.id, name: 'td-named' })).name).toBe('td-named');
    expect(h.events).toContainEqual({ name: 'template.changed', payload: { id: copy.id, removed: false } });
  });

  it('NOT_FOUND for an unknown template; CONFLICT for a name already used', async () => {
    const h = core();
    expect(await h.fail('templates.duplicate', { id: 'nope' })).toMatchObject({ code: 'NOT_FOUND' });
    const t = await save(h, 'td-two');
    expect(await h.fail('templates.duplicate', { id: t.id, name: 'td-two' })).toMatchObject({ code: 'CONFLICT' });
  });
});

describe('copy names', () => {
  it('stay within the name limit', () => {
    const long = 'x'.repeat(120);
    expect(copyNameFor(long, new Set())).toHaveLength(120);
    expect(copyNameFor(long, new Set())).toMatch(/ \(copy\)$/);
  });
});

describeCommand('templates.exportMany', () => {
  it('all as one multi-document YAML file that imports back to the same templates, secrets left out', async () => {
    const h = core();
    await save(h, 'tx-b', { env: [{ name: 'TOKEN', value: 's3cret', secret: true }] });
    await save(h, 'tx-a', { priority: 1 });
    const { files } = await h.call('templates.exportMany', {});
    expect(files.map((f) => f.filename)).toEqual(['jobdeck-templates.yaml']);
    const content = files[0]!.content;
    expect(content).not.toContain('s3cret');
    const docs = parseAllDocuments(content).map((d) => d.toJS() as { name: string; kind: string });
    expect(docs.map((d) => [d.kind, d.name])).toEqual([['Template', 'tx-a'], ['Template', 'tx-b']]);
    const [back] = await h.call('templates.import', { files: [{ name: 'jobdeck-templates.yaml', content }] });
    expect(back).toMatchObject({ ok: true, errors: [] });
    expect(back!.templates.map((t) => [t.spec.name, t.spec.priority])).toEqual([['tx-a', 1], ['tx-b', 3]]);
  });

  it('chosen ones as JSON, one file or a file each with unique names', async () => {
    const h = core();
    const a = await save(h, 'tx one');
    const b = await save(h, 'tx/one');
    await save(h, 'tx-other');
    const one = await h.call('templates.exportMany', { ids: [a.id, b.id], format: 'json' });
    expect(one.files).toHaveLength(1);
    expect((JSON.parse(one.files[0]!.content) as { name: string }[]).map((d) => d.name)).toEqual(['tx one', 'tx/one']);
    const [back] = await h.call('templates.import', { files: [{ name: one.files[0]!.filename, content: one.files[0]!.content }] });
    expect(back!.templates).toHaveLength(2);
    const each = await h.call('templates.exportMany', { ids: [a.id, b.id], bundle: 'filePerTemplate' });
    expect(each.files.map((f) => f.filename)).toEqual(['tx-one.yaml', 'tx-one-2.yaml']);
    expect(await h.fail('templates.exportMany', { ids: ['nope'] })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await h.fail('templates.exportMany', { bundle: 'zip' })).toMatchObject({ code: 'VALIDATION' });
  });
});
