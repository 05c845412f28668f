// images.list, templates.examples and templates.fromDockerRun through the real dispatcher, on the
// whole core with fake engines.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ENGINE_ANSWER_MS } from '../../src/main/core/deadline';
import { SECRET_MASK } from '../../src/shared/ipc';
import { describeCommand, useFakeCore } from '../support/fakeCore';

const core = useFakeCore();

describeCommand('images.list', () => {
  it("lists each engine's tagged images, newest first, as docker images names them", async () => {
    const h = core();
    const engine = h.engines.byId.get('docker')!;
    engine.images = [
      { Id: 'sha256:old', RepoTags: ['docker.io/library/busybox:1.36'], Size: 4_300_000, Created: 1_700_000_000 },
      { Id: 'sha256:dangling', RepoTags: ['<none>:<none>'], Size: 10, Created: 1_800_000_001 },
      { Id: 'sha256:new', RepoTags: ['jobdeck-test:latest', 'docker.io/acme/tool:2'], Size: 2_000_000, Created: 1_800_000_000 },
      { Id: 'sha256:untagged', RepoTags: null, Size: 10 },
    ];
    expect(await h.call('images.list', {})).toEqual([
      { engineId: 'docker', id: 'sha256:new', tags: ['jobdeck-test:latest', 'acme/tool:2'], size: 2_000_000, created: new Date(1_800_000_000_000).toISOString() },
      { engineId: 'docker', id: 'sha256:old', tags: ['busybox:1.36'], size: 4_300_000, created: new Date(1_700_000_000_000).toISOString() },
    ]);
  });

  it('leaves out an engine that is down, and one whose listing fails', async () => {
    const h = core();
    const engine = h.engines.byId.get('docker')!;
    engine.images = [{ Id: 'sha256:a', RepoTags: ['a:1'], Size: 1 }];
    h.engines.down.add(engine.candidate.host);
    await h.call('engines.refresh', {});
    expect(await h.call('images.list', {})).toEqual([]);
  });

  it('an engine that does not answer is left out after the deadline; the others still list', async () => {
    const h = core();
    await h.call('engines.add', { id: 'second', kind: 'docker', host: 'tcp://127.0.0.1:2375' });
    const first = h.engines.byId.get('docker')!;
    first.images = [{ Id: 'sha256:a', RepoTags: ['a:1'], Size: 1 }];
    h.engines.byId.get('second')!.images = [{ Id: 'sha256:b', RepoTags: ['b:1'], Size: 2 }];
    h.engines.unanswered.add(first.candidate.host);
    const armed = h.clock.timerSet(ENGINE_ANSWER_MS);
    const listing = h.call('images.list', {});
    await armed;
    h.clock.advance(ENGINE_ANSWER_MS);
    expect((await listing).map((i) => [i.engineId, i.tags])).toEqual([['second', ['b:1']]]);
  });
});

describeCommand('templates.examples', () => {
  it('gives every built-in example with its one-line explanation, each one a valid template', async () => {
    const h = core();
    const examples = await h.call('templates.examples', {});
    expect(examples.map((e) => e.spec.name)).toEqual([
      'Example - hello',
      'Example - failing with retries',
      'Example - weekday morning',
      'Example - indexed parallel',
      'Example - report after data',
      'example-kubernetes-job',
    ]);
    for (const e of examples) {
      expect(e.explanation.length).toBeGreaterThan(20);
      expect(e.spec.image).toBe('busybox:1.36');
      // Added on request, with a local image instead: the store takes it as it is.
      const saved = await h.call('templates.save', { spec: { ...e.spec, image: 'jobdeck-test:latest' } });
      expect(saved.name).toBe(e.spec.name);
    }
    expect(examples.find((e) => e.file === '03-cron.yaml')!.spec.schedule).toMatchObject({ cron: '0 9 * * 1-5', timeZone: 'Europe/Paris' });
    expect(examples.find((e) => e.file === '04-indexed.yaml')!.spec).toMatchObject({ completionMode: 'Indexed', completions: 5, parallelism: 2 });
    expect(examples.find((e) => e.file === '02-retries.yaml')!.spec.retry).toMatchObject({ limit: 2, backoffInitialSeconds: 2 });
  });
});

describeCommand('templates.fromDockerRun', () => {
  it('previews without storing, with warnings; saves on request with the secrets the user marked', async () => {
    const h = core();
    const line = 'docker run --rm --name dr-etl -e TOKEN=s3cret -e MODE=full -p 80:80 -m 256m busybox:1.36 sh -c "echo hi"';
    const preview = await h.call('templates.fromDockerRun', { commandLine: line, secretNames: ['TOKEN'] });
    expect(preview.spec).toMatchObject({ name: 'dr-etl', image: 'busybox:1.36', command: ['sh', '-c', 'echo hi'], limits: { memory: '256m' } });
    expect(preview.spec!.env).toEqual([
      { name: 'TOKEN', value: SECRET_MASK, secret: true },
      { name: 'MODE', value: 'full', secret: false },
    ]);
    expect(preview.warnings).toEqual(['-p 80:80 is not supported by Jobdeck: ignored']);
    expect(preview.template).toBeUndefined();
    expect(await h.call('templates.list', {})).toEqual([]);

    const saved = await h.call('templates.fromDockerRun', { commandLine: line, secretNames: ['TOKEN'], save: true });
    expect(saved.template).toMatchObject({ name: 'dr-etl', keepContainer: false });
    // The secret reaches the container in clear, and was stored sealed.
    const job = await h.call('jobs.create', { templateId: saved.template!.id });
    await h.until('the attempt to start', () => h.engines.runs(job.id).length === 1);
    expect(h.engines.runs(job.id)[0]!.req.env).toContain('TOKEN=s3cret');
  });

  it('names a second one apart instead of refusing it', async () => {
    const h = core();
    await h.call('templates.fromDockerRun', { commandLine: 'docker run busybox echo 1', save: true });
    const second = await h.call('templates.fromDockerRun', { commandLine: 'docker run busybox echo 2', save: true });
    expect(second.template!.name).toBe('busybox (2)');
    expect(second.warnings).toEqual(['a template named "busybox" already exists: this one is named "busybox (2)"']);
  });

  it('asks to confirm host mounts before it saves them', async () => {
    const h = core();
    const line = 'docker run -v /srv/data:/data:ro busybox ls /data';
    const preview = await h.call('templates.fromDockerRun', { commandLine: line });
    expect(preview.hostMounts).toEqual(['/srv/data → /data (read-only)']);
    expect(await h.fail('templates.fromDockerRun', { commandLine: line, save: true })).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('confirm them to save: /srv/data → /data (read-only)') });
    const saved = await h.call('templates.fromDockerRun', { commandLine: line, save: true, confirmHostMounts: true });
    expect(saved.template!.mounts).toEqual([{ hostPath: '/srv/data', containerPath: '/data', readOnly: true }]);
  });

  it('reads --env-file files under the -e values, and says which file it could not read', async () => {
    const h = core();
    const file = join(h.dataDir, 'app.env');
    writeFileSync(file, '# app\nDB_HOST=db\nMODE=file\n');
    const r = await h.call('templates.fromDockerRun', { commandLine: `docker run --env-file ${file} -e MODE=flag busybox env` });
    expect(r.spec!.env.map((e) => `${e.name}=${e.value}`)).toEqual(['DB_HOST=db', 'MODE=flag']);
    const missing = await h.call('templates.fromDockerRun', { commandLine: `docker run --env-file ${join(h.dataDir, 'nope.env')} busybox env` });
    expect(missing.errors).toEqual([{ path: 'commandLine', message: expect.stringMatching(/--env-file .*nope\.env: no such file .*give its absolute path/) }]);
    expect(await h.fail('templates.fromDockerRun', { commandLine: `docker run --env-file ${join(h.dataDir, 'nope.env')} busybox env`, save: true })).toMatchObject({ code: 'VALIDATION' });
  });

  it('says what is wrong with a line that is not a run command, or a value the editor would refuse', async () => {
    const h = core();
    expect(await h.call('templates.fromDockerRun', { commandLine: 'docker ps' })).toEqual({
      warnings: [],
      errors: [{ path: 'commandLine', message: 'this is docker ps, not docker run: paste a docker run command line' }],
      hostMounts: [],
    });
    const bad = await h.call('templates.fromDockerRun', { commandLine: 'docker run -m 1k busybox' });
    expect(bad.errors).toEqual([{ path: 'limits.memory', message: "Memory limit 1k is below the engines' minimum of 6Mi" }]);
  });
});
