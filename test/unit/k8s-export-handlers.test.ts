// templates.export / templates.exportMany with format kubernetes, through the real dispatcher on
// the whole core with fake engines: what the Templates view, the editor and the CLI download.
import { expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { describeCommand, useFakeCore, type FakeCore } from '../support/fakeCore';

const core = useFakeCore();

const save = (h: FakeCore, name: string, extra: Record<string, unknown> = {}) =>
  h.call('templates.save', { spec: { name, image: 'busybox:1.36', command: 'echo hi', ...extra } });

interface Manifest {
  kind: string;
  metadata: { name: string };
  spec: Record<string, unknown> & { template?: PodTemplate; jobTemplate?: { spec: { template: PodTemplate } } };
}
interface PodTemplate {
  spec: { containers: { image: string; args?: string[]; env?: unknown[]; resources?: { limits: Record<string, string> } }[] };
}

describeCommand('templates.export', () => {
  it('gives a batch/v1 Job as <name>.k8s.yaml: image, command, limits, the secret as a secretKeyRef and never its value', async () => {
    const h = core();
    const t = await save(h, 'kx one', {
      env: [
        { name: 'TOKEN', value: 's3cret-value', secret: true },
        { name: 'MODE', value: 'fast' },
      ],
      limits: { memory: '64Mi', cpus: 0.5 },
      timeoutSeconds: 90,
    });
    const file = await h.call('templates.export', { id: t.id, format: 'kubernetes' });
    expect(file.filename).toBe('kx-one.k8s.yaml');
    expect(file.content).not.toContain('s3cret-value');
    expect(file.content).toContain('kubectl create secret generic kx-one-secrets --from-literal=TOKEN=');
    const doc = parse(file.content) as Manifest;
    expect(doc).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'kx-one' } });
    expect(doc.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 90 });
    const [container] = doc.spec.template!.spec.containers;
    expect(container).toMatchObject({ image: 'busybox:1.36', args: ['sh', '-c', 'echo hi'], resources: { limits: { memory: '64Mi', cpu: '0.5' } } });
    expect(container!.env).toEqual([
      { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'kx-one-secrets', key: 'TOKEN' } } },
      { name: 'MODE', value: 'fast' },
    ]);
  });

  it('gives a CronJob for a scheduled template, and the file imports back as the same template', async () => {
    const h = core();
    const t = await save(h, 'kx-nightly', { schedule: { cron: '0 3 * * *', timeZone: 'UTC', concurrencyPolicy: 'Forbid' } });
    const file = await h.call('templates.export', { id: t.id, format: 'kubernetes' });
    const doc = parse(file.content) as Manifest;
    expect(doc).toMatchObject({ kind: 'CronJob', spec: { schedule: '0 3 * * *', timeZone: 'UTC', concurrencyPolicy: 'Forbid' } });
    expect(doc.spec.jobTemplate!.spec.template.spec.containers[0]!.image).toBe('busybox:1.36');
    const [back] = await h.call('templates.import', { files: [{ name: file.filename, content: file.content }] });
    expect(back).toMatchObject({ ok: true, errors: [] });
    expect(back!.templates[0]!.spec).toMatchObject({ name: 'kx-nightly', image: 'busybox:1.36', schedule: { cron: '0 3 * * *', timeZone: 'UTC', concurrencyPolicy: 'Forbid' } });
  });

  it('keeps yaml as the default format', async () => {
    const h = core();
    const t = await save(h, 'kx-default');
    expect((await h.call('templates.export', { id: t.id })).filename).toBe('kx-default.yaml');
  });
});

describeCommand('templates.exportMany', () => {
  it('puts many templates in one multi-document jobdeck-templates.k8s.yaml, or a .k8s.yaml each in the archive', async () => {
    const h = core();
    const a = await save(h, 'kx-a');
    const b = await save(h, 'kx-b', { schedule: { cron: '*/5 * * * *' } });
    const { files } = await h.call('templates.exportMany', { ids: [a.id, b.id], format: 'kubernetes' });
    expect(files.map((f) => f.filename)).toEqual(['jobdeck-templates.k8s.yaml']);
    const docs = parseAllDocuments(files[0]!.content).map((d) => d.toJS() as Manifest);
    expect(docs.map((d) => [d.kind, d.metadata.name])).toEqual([
      ['Job', 'kx-a'],
      ['CronJob', 'kx-b'],
    ]);
    const each = await h.call('templates.exportMany', { ids: [a.id, b.id], format: 'kubernetes', bundle: 'filePerTemplate' });
    expect(each.files.map((f) => f.filename)).toEqual(['kx-a.k8s.yaml', 'kx-b.k8s.yaml']);
  });
});
