// templates.* through the real dispatcher, on the whole core with fake engines (no engine needed).
import { expect, it } from 'vitest';
import { SECRET_MASK } from '../../src/shared/ipc';
import { specOf } from '../../src/shared/template';
import { describeCommand, useFakeCore, type FakeCore } from '../support/fakeCore';

const core = useFakeCore();

const save = (h: FakeCore, name: string, extra: Record<string, unknown> = {}) =>
  h.call('templates.save', { spec: { name, image: 'busybox:1.36', command: 'echo hi', ...extra } });

const k8sJob = (name: string) => `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: main
          image: busybox:1.36
          command: [sh, -c, echo from-file]
`;

describeCommand('templates.list', () => {
  it('lists the saved templates with the last job each one ran, secrets masked', async () => {
    const h = core();
    expect(await h.call('templates.list', {})).toEqual([]);
    const t = await save(h, 'tl-one', { env: [{ name: 'TOKEN', value: 's3cret', secret: true }] });
    await save(h, 'tl-two');
    const job = await h.call('jobs.create', { templateId: t.id });
    const list = await h.call('templates.list', {});
    expect(list.map((s) => s.template.name).sort()).toEqual(['tl-one', 'tl-two']);
    const one = list.find((s) => s.template.id === t.id)!;
    expect(one.template.env).toEqual([{ name: 'TOKEN', value: SECRET_MASK, secret: true }]);
    expect(one.lastJob).toMatchObject({ id: job.id, seq: job.seq });
    expect(list.find((s) => s.template.name === 'tl-two')!.lastJob).toBeUndefined();
  });
});

describeCommand('templates.get', () => {
  it('gives the template as saved, and NOT_FOUND for an unknown id', async () => {
    const h = core();
    const t = await save(h, 'tg-one', { priority: 2 });
    expect(await h.call('templates.get', { id: t.id })).toMatchObject({ id: t.id, name: 'tg-one', image: 'busybox:1.36', priority: 2 });
    expect(await h.fail('templates.get', { id: 'nope' })).toMatchObject({ code: 'NOT_FOUND', message: 'no template nope' });
  });
});

describeCommand('templates.save', () => {
  it('creates, then updates the same template, keeping a masked secret as stored', async () => {
    const h = core();
    const created = await save(h, 'ts-one', { env: [{ name: 'TOKEN', value: 's3cret', secret: true }] });
    expect(created.env[0]!.value).toBe(SECRET_MASK);
    const updated = await h.call('templates.save', { id: created.id, spec: { ...specOf(created), command: 'echo again' } });
    expect(updated).toMatchObject({ id: created.id, command: 'echo again', createdAt: created.createdAt });
    // The masked value sent back kept the stored secret: a job gets it decrypted.
    const job = await h.call('jobs.create', { templateId: created.id });
    await h.until('the attempt to start', () => h.engines.runs(job.id).length === 1);
    expect(h.engines.runs(job.id)[0]!.req.env).toContain('TOKEN=s3cret');
    expect(h.events).toContainEqual({ name: 'template.changed', payload: { id: created.id, removed: false } });
  });

  it('refuses a name another template has, in the user\'s words, and a bad field as VALIDATION', async () => {
    const h = core();
    await save(h, 'ts-dup');
    const clash = await h.fail('templates.save', { spec: { name: 'ts-dup', image: 'busybox' } });
    expect(clash).toMatchObject({ code: 'CONFLICT', issues: [{ path: 'name', message: 'Name "ts-dup" is already used by another template' }] });
    const bad = await h.fail('templates.save', { spec: { name: 'ts-bad', image: 'busybox', limits: { memory: 'lots' } } });
    expect(bad.code).toBe('VALIDATION');
    expect(bad.issues?.map((i) => i.path)).toContain('spec.limits.memory');
    expect((await h.call('templates.list', {})).map((s) => s.template.name)).toEqual(['ts-dup']);
  });
});

describeCommand('templates.delete', () => {
  it('deletes the template, announces it, and keeps the jobs it ran', async () => {
    const h = core();
    const t = await save(h, 'td-one');
    const job = await h.call('jobs.create', { templateId: t.id });
    expect(await h.call('templates.delete', { id: t.id })).toEqual({ ok: true });
    expect(await h.call('templates.list', {})).toEqual([]);
    expect(await h.fail('templates.get', { id: t.id })).toMatchObject({ code: 'NOT_FOUND' });
    expect(h.events).toContainEqual({ name: 'template.changed', payload: { id: t.id, removed: true } });
    expect(await h.call('jobs.get', { id: job.id })).toMatchObject({ id: job.id, templateName: 'td-one' });
  });

  it('answers NOT_FOUND for a template that does not exist', async () => {
    expect(await core().fail('templates.delete', { id: 'gone' })).toMatchObject({ code: 'NOT_FOUND', message: 'no template gone' });
  });
});

describeCommand('templates.export', () => {
  it('exports YAML and JSON that import back to the same template, secret values left out', async () => {
    const h = core();
    const t = await save(h, 'te one', { env: [{ name: 'TOKEN', value: 's3cret', secret: true }, { name: 'MODE', value: 'fast' }] });
    const yaml = await h.call('templates.export', { id: t.id });
    expect(yaml.filename).toBe('te-one.yaml');
    expect(yaml.content).toContain('# Secret values are not exported');
    expect(yaml.content).not.toContain('s3cret');
    const json = await h.call('templates.export', { id: t.id, format: 'json' });
    expect(json.filename).toBe('te-one.json');
    const doc = JSON.parse(json.content) as { apiVersion: string; kind: string; name: string; env: unknown[] };
    expect(doc).toMatchObject({ apiVersion: 'jobdeck/v1', kind: 'Template', name: 'te one' });
    expect(doc.env).toEqual([{ name: 'TOKEN', value: '', secret: true }, { name: 'MODE', value: 'fast', secret: false }]);
    const [back] = await h.call('templates.import', { files: [{ name: yaml.filename, content: yaml.content }] });
    expect(back).toMatchObject({ ok: true, errors: [] });
    expect(back!.templates[0]!.spec).toMatchObject({ name: 'te one', image: 'busybox:1.36', command: 'echo hi' });
    expect(back!.templates[0]!.existing?.id).toBe(t.id);
  });

  it('answers NOT_FOUND for an unknown template and VALIDATION for an unknown format', async () => {
    const h = core();
    expect(await h.fail('templates.export', { id: 'nope' })).toMatchObject({ code: 'NOT_FOUND' });
    const t = await save(h, 'te-two');
    expect(await h.fail('templates.export', { id: t.id, format: 'toml' })).toMatchObject({ code: 'VALIDATION' });
  });
});

describeCommand('templates.import', () => {
  it('says what each file would become and stores nothing', async () => {
    const h = core();
    const [good, bad] = await h.call('templates.import', {
      files: [
        { name: 'job.yaml', content: k8sJob('ti-kube') },
        { name: 'bad.yaml', content: 'apiVersion: v9\nkind: Pod\n' },
      ],
    });
    expect(good).toMatchObject({ file: 'job.yaml', ok: true, errors: [] });
    expect(good!.templates.map((t) => [t.spec.name, t.spec.image, t.existing])).toEqual([['ti-kube', 'busybox:1.36', undefined]]);
    expect(bad).toMatchObject({ file: 'bad.yaml', ok: false, templates: [] });
    expect(bad!.errors[0]!.message).toContain('is not a template Jobdeck can read');
    expect(await h.call('templates.list', {})).toEqual([]);
  });
});

describeCommand('templates.importSave', () => {
  it('stores new templates, and replaces, keeps both or skips per the user\'s choice for a name taken', async () => {
    const h = core();
    const files = [{ name: 'job.yaml', content: k8sJob('tis-kube') }];
    expect(await h.call('templates.importSave', { files })).toEqual([
      { file: 'job.yaml', name: 'tis-kube', outcome: 'created', id: expect.any(String) },
    ]);
    const [failed] = await h.call('templates.importSave', { files });
    expect(failed).toMatchObject({ outcome: 'failed', message: expect.stringContaining('choose Replace, Keep both or Skip') });
    const [kept] = await h.call('templates.importSave', { files, decisions: [{ file: 0, index: 0, action: 'keepBoth' }] });
    expect(kept).toMatchObject({ outcome: 'keptBoth', savedAs: expect.stringMatching(/^tis-kube.+/) });
    const [skipped] = await h.call('templates.importSave', { files, decisions: [{ file: 0, index: 0, action: 'skip' }] });
    expect(skipped).toMatchObject({ outcome: 'skipped' });
    expect((await h.call('templates.list', {})).map((s) => s.template.name).sort()).toEqual(['tis-kube', kept!.savedAs]);
  });

  it('refuses host mounts the user has not confirmed, storing nothing', async () => {
    const h = core();
    const content = 'apiVersion: jobdeck/v1\nkind: Template\nname: tis-mount\nimage: busybox\nmounts:\n  - hostPath: /etc\n    containerPath: /host-etc\n';
    const error = await h.fail('templates.importSave', { files: [{ name: 'm.yaml', content }] });
    expect(error).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'confirmHostMounts' }] });
    expect(error.message).toContain('/etc');
    expect(await h.call('templates.list', {})).toEqual([]);
    const [saved] = await h.call('templates.importSave', { files: [{ name: 'm.yaml', content }], confirmHostMounts: true });
    expect(saved).toMatchObject({ outcome: 'created', name: 'tis-mount' });
  });
});
