// Issue 4, reliability 1: the headless host killed with SIGKILL and started again on the same
// data. Real engines, a real child process, no shutdown code run: what is on disk is all there is.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL_INSTANCE } from '../../src/main/core/labels';
import type { LogChunk } from '../../src/shared/ipc';
import type { Job } from '../../src/shared/job';
import { clientFor, engineTargets, ensureTestImage, TEST_IMAGE, type EngineTarget } from '../support/engines';
import { buildHost, startHost, type HostProcess } from '../support/hostProcess';

const targets = await engineTargets();
const terminal = (j: Job) => ['completed', 'failed', 'cancelled'].includes(j.status);

/** Numbered lines, one every 0.2 s, then the job's own exit code. */
function counter(name: string, lines: number, exitCode: number, engine: EngineTarget['kind']) {
  return {
    name,
    image: TEST_IMAGE,
    network: 'none',
    pullPolicy: 'Never',
    engine,
    retry: { limit: 0 },
    command: `i=1; while [ $i -le ${lines} ]; do echo "${name} line $i"; i=$((i+1)); sleep 0.2; done; exit ${exitCode}`,
  };
}
const expected = (name: string, lines: number) => Array.from({ length: lines }, (_, i) => `${name} line ${i + 1}\n`).join('');

async function stdoutOf(host: HostProcess, id: string): Promise<string> {
  const out: LogChunk[] = [];
  for (let offset = 0; ; ) {
    const page = await host.call('logs.read', { id, offset });
    out.push(...page.chunks);
    if (page.eof || page.nextOffset === offset) break;
    offset = page.nextOffset;
  }
  return out.filter((c) => c.stream === 'stdout').map((c) => c.data).join('');
}

/**
 * Resolves with what `probe` finds, asked again on each event the host sends (a job's change,
 * or output of a job subscribed to), never on a timer.
 */
async function until<T>(host: HostProcess, what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Listening before the probe asks: an event while it is answered is not missed.
    const event = host.nextEvent(Math.max(0, deadline - Date.now()));
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await event;
  }
}

async function allJobs(host: HostProcess, ids: string[]): Promise<Job[]> {
  return Promise.all(ids.map((id) => host.call('jobs.get', { id })));
}

const instanceOf = (dataDir: string) =>
  (JSON.parse(readFileSync(join(dataDir, 'state.json'), 'utf8')) as { meta: { instanceId: string } }).meta.instanceId;

describe.each(targets)('crash: on $kind', (target) => {
  const dirs: string[] = [];
  const hosts: HostProcess[] = [];
  const docker = clientFor(target.host);
  const hostEnv: Record<string, string> = target.kind === 'docker' ? { DOCKER_HOST: target.host } : { CONTAINER_HOST: target.host };
  const containersOf = async (dataDir: string, running = false) =>
    docker.listContainers({ all: !running, filters: { label: [`${LABEL_INSTANCE}=${instanceOf(dataDir)}`] } });

  beforeAll(async () => {
    if (target.missing) return;
    await ensureTestImage(docker);
    await buildHost();
  });
  afterAll(async () => {
    for (const h of hosts) await h.kill('SIGKILL');
    for (const d of dirs) {
      for (const c of await containersOf(d).catch(() => [])) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
      rmSync(d, { recursive: true, force: true });
    }
  });
  const launch = async (dataDir: string, env: Record<string, string> = {}) => {
    const h = await startHost(dataDir, { ...hostEnv, ...env });
    hosts.push(h);
    return h;
  };

  it.skipIf(Boolean(target.missing))(
    'SIGKILL with 10 jobs running and 5 pending: true exit codes, every line once, pending jobs run, nothing left behind',
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'jobdeck-crash-'));
      dirs.push(dataDir);
      let host = await launch(dataDir);
      await host.call('settings.update', { concurrency: 10, stopGraceSeconds: 2 });
      const LINES = 50; // about 10 s each
      const code = (i: number) => (i * 7) % 60; // 0, 7, 14, …: each job its own
      const ids: string[] = [];
      for (let i = 0; i < 15; i++) ids.push((await host.call('jobs.create', { spec: counter(`job${i}`, LINES, code(i), target.kind) })).id);

      // Let all ten get well into their output (15 of their 50 lines stored), then kill without warning.
      for (const id of ids) await host.call('logs.subscribe', { id });
      const going = await until(host, '10 jobs running', 30_000, async () => {
        const jobs = await allJobs(host, ids);
        const started = jobs.filter((j) => j.status === 'running' && j.attempts[0]?.containerId);
        return started.length === 10 ? started : undefined;
      });
      await until(host, 'the ten 15 lines into their output', 30_000, async () => {
        const outs = await Promise.all(going.map(async (j) => (await stdoutOf(host, j.id)).includes(`${j.templateName} line 15\n`)));
        return outs.every(Boolean) ? true : undefined;
      });
      expect(await host.kill('SIGKILL')).toBe('SIGKILL');
      expect(await containersOf(dataDir, true), 'the containers outlive the app').toHaveLength(10);

      host = await launch(dataDir);
      const done = await until(host, 'all 15 jobs to end', 90_000, async () => {
        const jobs = await allJobs(host, ids);
        return jobs.every(terminal) ? jobs : undefined;
      });
      for (const [i, job] of done.entries()) {
        expect(job, `job${i}`).toMatchObject({ status: code(i) === 0 ? 'completed' : 'failed', exitCode: code(i) });
        expect(job.attempts, `job${i} ran once`).toHaveLength(1);
        expect(await stdoutOf(host, job.id), `job${i}: every line exactly once`).toBe(expected(`job${i}`, LINES));
        const plain = (await host.call('artifacts.list', { id: job.id })).find((a) => a.name === 'stdout.txt');
        expect(plain && readFileSync(plain.path, 'utf8'), `job${i}: stdout.txt`).toBe(expected(`job${i}`, LINES));
      }
      // Each job's end is told at its exit; its container goes right after.
      await until(host, 'the containers removed', 30_000, async () => ((await containersOf(dataDir)).length === 0 ? true : undefined));
      await host.kill('SIGTERM');
    },
    180_000,
  );

  it.skipIf(Boolean(target.missing))(
    'SIGKILL after a job\'s end is told but before its container is removed: the next start removes it',
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'jobdeck-crash-'));
      dirs.push(dataDir);
      let host = await launch(dataDir, { JOBDECK_TEST_HOLD_REMOVE: '1' });
      await host.call('settings.update', { concurrency: 2, stopGraceSeconds: 1 });
      const first = (await host.call('jobs.create', { spec: counter('told', 1, 0, target.kind) })).id;
      const ended = await until(host, 'the job to end', 30_000, async () => {
        const j = await host.call('jobs.get', { id: first });
        return terminal(j) ? j : undefined;
      });
      expect(ended).toMatchObject({ status: 'completed', exitCode: 0 });
      const left = ended.attempts[0]!.containerId!;
      expect((await containersOf(dataDir)).map((c) => c.Id), 'ended, its removal not done').toContain(left);
      // A second job's container is created only once the store is on disk: the first one's end with it.
      const second = (await host.call('jobs.create', { spec: counter('after', 25, 0, target.kind) })).id;
      await until(host, 'the second job to run', 30_000, async () => ((await host.call('jobs.get', { id: second })).attempts[0]?.containerId ? true : undefined));
      expect(await host.kill('SIGKILL')).toBe('SIGKILL');

      host = await launch(dataDir);
      expect(await host.call('jobs.get', { id: first }), 'still ended').toMatchObject({ status: 'completed', exitCode: 0 });
      // Reconcile, before the host answers: our containers that no live attempt claims are removed.
      expect((await containersOf(dataDir)).map((c) => c.Id)).not.toContain(left);
      await until(host, 'the second job to end', 60_000, async () => (terminal(await host.call('jobs.get', { id: second })) ? true : undefined));
      await until(host, 'the containers removed', 30_000, async () => ((await containersOf(dataDir)).length === 0 ? true : undefined));
      await host.kill('SIGTERM');
    },
    120_000,
  );

  it.skipIf(Boolean(target.missing))(
    'a secret never appears unmasked in the store files, a client\'s view, or what the host prints about itself, even after a crash',
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'jobdeck-crash-'));
      dirs.push(dataDir);
      const SECRET = `s3cret-${Math.random().toString(36).slice(2)}`;
      let host = await launch(dataDir);
      const spec = { ...counter('secretive', 10, 0, target.kind), env: [{ name: 'TOKEN', value: SECRET, secret: true }] };
      const template = await host.call('templates.save', { spec });
      const job = await host.call('jobs.create', { templateId: template.id });
      await until(host, 'the job to run', 30_000, async () => ((await host.call('jobs.get', { id: job.id })).attempts[0]?.containerId ? true : undefined));
      await host.kill('SIGKILL');
      host = await launch(dataDir);
      const done = await until(host, 'the job to end', 60_000, async () => {
        const j = await host.call('jobs.get', { id: job.id });
        return terminal(j) ? j : undefined;
      });
      expect(done.status).toBe('completed');
      const seen = JSON.stringify([done, await host.call('templates.get', { id: template.id }), await host.call('jobs.list', {})]);
      expect(seen).not.toContain(SECRET);
      expect(seen).toContain('TOKEN');
      // Every file Jobdeck keeps, except the job's own output (what a job prints is the job's business):
      // while the host runs (a journal it folds away between the listing and the read is skipped:
      // what it held went into a file read now or at the next look) and once it has stopped.
      const kept = () =>
        (readdirSync(dataDir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
          .filter((f) => f.isFile())
          .map((f) => join(f.parentPath, f.name))
          .filter((f) => !f.includes(`${join(dataDir, 'logs')}/`) && !f.includes(`${join(dataDir, 'artifacts')}/`));
      const text = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
      const running = kept();
      expect(running.some((f) => f.endsWith('state.json'))).toBe(true);
      for (const f of running) expect(text(f), f).not.toContain(SECRET);
      await host.kill('SIGTERM');
      for (const f of kept()) expect(readFileSync(f, 'utf8'), f).not.toContain(SECRET);
      for (const h of hosts) expect(h.output()).not.toContain(SECRET);
    },
    120_000,
  );

  it.skipIf(Boolean(target.missing))(
    'SIGKILL between a container start and the store write of it: the container is found by its labels and followed',
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'jobdeck-crash-'));
      dirs.push(dataDir);
      // Dies as the engine has started the third container, before Jobdeck has written it down.
      let host = await launch(dataDir, { JOBDECK_TEST_KILL_AFTER_START: '3' });
      await host.call('settings.update', { concurrency: 10, stopGraceSeconds: 2 });
      const LINES = 15;
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await host.call('jobs.create', { spec: counter(`job${i}`, LINES, 10 + i, target.kind) })).id);
      expect(await host.exited).toBe('SIGKILL');

      host = await launch(dataDir);
      const done = await until(host, 'all 5 jobs to end', 60_000, async () => {
        const jobs = await allJobs(host, ids);
        return jobs.every(terminal) ? jobs : undefined;
      });
      for (const [i, job] of done.entries()) {
        expect(job, `job${i}`).toMatchObject({ status: 'failed', reason: 'Error', exitCode: 10 + i });
        expect(job.attempts, `job${i} ran once`).toHaveLength(1);
        expect(await stdoutOf(host, job.id), `job${i}: every line exactly once`).toBe(expected(`job${i}`, LINES));
      }
      await until(host, 'the containers removed', 30_000, async () => ((await containersOf(dataDir)).length === 0 ? true : undefined));
      await host.kill('SIGTERM');
    },
    120_000,
  );
});
