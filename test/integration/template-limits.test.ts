// On both real engines: a template imported from a file keeps its limits as written ("64Mi",
// "500m"), the executor gives the engine bytes and nano-CPUs, and the file's secret value is what
// the container's environment holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL_JOB } from '../../src/main/core/labels';
import { startCore, type TestCore } from '../support/core';
import { clientFor, engineTargets, ensureTestImage, TEST_IMAGE } from '../support/engines';

const targets = await engineTargets();

describe.each(targets)('on $kind', (target) => {
  let t: TestCore;
  beforeAll(async () => {
    if (target.missing) return;
    await ensureTestImage(clientFor(target.host));
    t = await startCore(target);
  });
  afterAll(async () => {
    await t?.close();
  });

  it.skipIf(Boolean(target.missing))('64Mi and 500m stay as written; the container gets 67108864 bytes, 0.5 CPU and the secret', async () => {
    const file = {
      name: 'limits.yaml',
      content: [
        'apiVersion: jobdeck/v1',
        'kind: Template',
        `name: limits-${target.kind}`,
        `image: ${TEST_IMAGE}`,
        `engine: ${target.kind}`,
        'network: none',
        'pullPolicy: Never',
        'keepContainer: true',
        'command: echo token-length=${#API_TOKEN}',
        'limits: { memory: 64Mi, cpus: 500m }',
        'env:',
        '  API_TOKEN: { value: tok-from-the-file, secret: true }',
      ].join('\n'),
    };
    const [saved] = await t.call('templates.importSave', { files: [file] });
    expect(saved).toMatchObject({ outcome: 'created' });
    const template = await t.call('templates.get', { id: saved!.id! });
    expect(template.limits).toEqual({ memory: '64Mi', cpus: '500m' });
    const job = await t.waitFor((await t.call('jobs.create', { templateId: template.id })).id);
    expect(job).toMatchObject({ status: 'completed', exitCode: 0 });

    const docker = clientFor(target.host);
    const [info] = await docker.listContainers({ all: true, filters: { label: [`${LABEL_JOB}=${job.id}`] } });
    const container = docker.getContainer(info!.Id);
    try {
      const inspect = await container.inspect();
      expect(inspect.HostConfig.Memory).toBe(64 * 1024 * 1024);
      expect(inspect.HostConfig.NanoCpus).toBe(500_000_000);
      expect(inspect.Config.Env).toContain('API_TOKEN=tok-from-the-file');
    } finally {
      await container.remove({ force: true });
    }
    const log = await t.call('logs.read', { id: job.id });
    expect(log.chunks.map((c) => c.data).join('')).toContain(`token-length=${'tok-from-the-file'.length}`);
  });
});
