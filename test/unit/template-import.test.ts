// The user's path through the real core (store, secrets, scheduler, cron) with a fake engine:
// import a file, replace it, keep both, skip, confirm host mounts, run it and see the container's env.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/errors';
import { SECRET_MASK } from '../../src/shared/ipc';
import { templateCore, type TemplateCore } from '../support/templateCore';

let core: TemplateCore;
beforeEach(async () => {
  core = await templateCore();
});
afterEach(async () => {
  await core.close();
});

const file = (name: string, lines: string[]) => ({ name, content: ['apiVersion: jobdeck/v1', 'kind: Template', ...lines].join('\n') });
const v1 = file('report.yaml', ['name: report', 'image: busybox:1.36', 'command: echo v1', 'priority: 3']);
const v2 = file('report.yaml', ['name: report', 'image: busybox:1.37', 'command: echo v2', 'priority: 3', 'limits: { memory: 64Mi }']);

async function refused(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(() => undefined, (error: unknown) => error);
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe('import: a changed version of an existing template', () => {
  it('the preview names the template it replaces and what changes, field by field', async () => {
    await core.call('templates.importSave', { files: [v1] });
    const [preview] = await core.call('templates.import', { files: [v2] });
    const stored = (await core.call('templates.list', {}))[0]!.template;
    expect(preview!.templates[0]!.existing).toEqual({
      id: stored.id,
      changes: [
        { field: 'image', from: 'busybox:1.36', to: 'busybox:1.37' },
        { field: 'command', from: 'echo v1', to: 'echo v2' },
        { field: 'limits.memory', to: '64Mi' },
      ],
    });
  });

  it('Replace keeps the id, so the runs before stay the template\'s own', async () => {
    const [created] = await core.call('templates.importSave', { files: [v1] });
    const job = await core.call('jobs.create', { templateId: created!.id });
    const out = await core.call('templates.importSave', { files: [v2], decisions: [{ file: 0, index: 0, action: 'replace' }] });
    expect(out).toEqual([{ file: 'report.yaml', name: 'report', outcome: 'replaced', id: created!.id }]);
    const list = await core.call('templates.list', {});
    expect(list).toHaveLength(1);
    expect(list[0]!.template).toMatchObject({ id: created!.id, image: 'busybox:1.37', command: 'echo v2' });
    expect(list[0]!.lastJob?.id).toBe(job.id);
  });

  it('Keep both saves under "name (2)", Skip stores nothing, and no choice is a clear failure', async () => {
    await core.call('templates.importSave', { files: [v1] });
    const kept = await core.call('templates.importSave', { files: [v2], decisions: [{ file: 0, index: 0, action: 'keepBoth' }] });
    expect(kept[0]).toMatchObject({ outcome: 'keptBoth', savedAs: 'report (2)' });
    const again = await core.call('templates.importSave', { files: [v2], decisions: [{ file: 0, index: 0, action: 'keepBoth' }] });
    expect(again[0]).toMatchObject({ outcome: 'keptBoth', savedAs: 'report (3)' });
    expect(await core.call('templates.importSave', { files: [v2], decisions: [{ file: 0, index: 0, action: 'skip' }] })).toEqual([
      { file: 'report.yaml', name: 'report', outcome: 'skipped' },
    ]);
    const none = await core.call('templates.importSave', { files: [v2] });
    expect(none[0]).toMatchObject({ outcome: 'failed', message: expect.stringMatching(/already exists: choose Replace, Keep both or Skip/) });
    expect((await core.call('templates.list', {})).map((s) => s.template.name)).toEqual(['report', 'report (2)', 'report (3)']);
  });

  it('a replace from a file that leaves a secret empty (as an export writes it) keeps the stored secret', async () => {
    const withSecret = file('s.yaml', ['name: s', 'image: busybox', 'env:', '  API_TOKEN: { value: tok-123456, secret: true }']);
    const exported = file('s.yaml', ['name: s', 'image: busybox', 'command: echo new', 'env:', '  API_TOKEN: { value: "", secret: true }']);
    await core.call('templates.importSave', { files: [withSecret] });
    const [preview] = await core.call('templates.import', { files: [exported] });
    expect(preview!.templates[0]!.existing!.changes).toEqual([{ field: 'command', to: 'echo new' }]);
    const [r] = await core.call('templates.importSave', { files: [exported], decisions: [{ file: 0, index: 0, action: 'replace' }] });
    await core.call('jobs.create', { templateId: r!.id });
    expect(core.docker.runs[0]!.req.env).toContain('API_TOKEN=tok-123456');
  });
});

describe('import: a secret in the file reaches the container', () => {
  it('the container gets the file\'s value; the preview only ever shows the mask', async () => {
    const f = file('secret.yaml', ['name: secret', 'image: busybox', 'env:', '  API_TOKEN: { value: s3cret-value, secret: true }']);
    const [preview] = await core.call('templates.import', { files: [f] });
    expect(preview!.templates[0]!.spec.env).toEqual([{ name: 'API_TOKEN', value: SECRET_MASK, secret: true }]);
    expect(JSON.stringify(preview)).not.toContain('s3cret-value');
    const [saved] = await core.call('templates.importSave', { files: [f] });
    await core.call('jobs.create', { templateId: saved!.id });
    expect(core.docker.runs[0]!.req.env).toContain('API_TOKEN=s3cret-value');
  });
});

describe('import: host directories are mounted only once the user confirms them', () => {
  const manifest = {
    name: 'k8s.yaml',
    content: [
      'apiVersion: batch/v1',
      'kind: Job',
      'metadata: { name: hostpath-job }',
      'spec:',
      '  template:',
      '    spec:',
      '      volumes: [ { name: data, hostPath: { path: /srv/data } } ]',
      '      containers:',
      '        - name: c',
      '          image: busybox',
      '          volumeMounts: [ { name: data, mountPath: /data } ]',
    ].join('\n'),
  };

  it('refuses to save without the confirmation, naming each mount and its mode', async () => {
    const e = await refused(core.call('templates.importSave', { files: [manifest] }));
    expect(e.code).toBe('VALIDATION');
    expect(e.message).toContain('hostpath-job: /srv/data → /data (read-write)');
    expect(await core.call('templates.list', {})).toEqual([]);
  });

  it('saves the mount as read-write once confirmed', async () => {
    const [r] = await core.call('templates.importSave', { files: [manifest], confirmHostMounts: true });
    expect(r).toMatchObject({ outcome: 'created' });
    const t = await core.call('templates.get', { id: r!.id });
    expect(t.mounts).toEqual([{ hostPath: '/srv/data', containerPath: '/data', readOnly: false }]);
  });
});

describe('schedules and limits the core refuses on save, import and run', () => {
  it('a seven-field cron is refused on import and on save', async () => {
    const [r] = await core.call('templates.import', { files: [file('c.yaml', ['name: c', 'image: busybox', 'schedule: { cron: "* * * * * * *" }'])] });
    expect(r!.ok).toBe(false);
    expect(r!.errors).toEqual([{ path: 'schedule.cron', message: 'Schedule: expected 5 fields (minute hour day-of-month month day-of-week), got 7' }]);
    await expect(core.call('templates.save', { spec: { name: 'c', image: 'busybox', schedule: { cron: '* * * * * * *' } } })).rejects.toThrow(/got 7/);
  });

  it('a sub-minute schedule needs seconds chosen and the confirmation recorded', async () => {
    const spec = (schedule: object) => ({ spec: { name: 'fast', image: 'busybox', schedule: { cron: '*/20 * * * * *', enabled: false, ...schedule } } });
    await expect(core.call('templates.save', spec({}))).rejects.toThrow(/to fire at given seconds, choose/);
    await expect(core.call('templates.save', spec({ seconds: true }))).rejects.toThrow(/every 20 s, more often than once a minute/);
    const t = await core.call('templates.save', spec({ seconds: true, allowFrequent: true }));
    expect(t.schedule).toMatchObject({ cron: '*/20 * * * * *', seconds: true, allowFrequent: true });
  });

  it('CPUs above this machine\'s count are refused on save and on run, with the count', async () => {
    const e = await refused(core.call('templates.save', { spec: { name: 'big', image: 'busybox', limits: { cpus: 4096 } } }));
    expect(e.issues).toEqual([{ path: 'limits.cpus', message: expect.stringMatching(/^CPUs 4096 is more than this machine has \(\d+ CPUs?\)$/) }]);
    const t = await core.call('templates.save', { spec: { name: 'small', image: 'busybox', limits: { memory: '64Mi', cpus: '500m' } } });
    expect(t.limits).toEqual({ memory: '64Mi', cpus: '500m' });
    await expect(core.call('jobs.create', { templateId: t.id, overrides: { limits: { cpus: 4096 } } })).rejects.toThrow(/more than this machine has/);
  });
});
