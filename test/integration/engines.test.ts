import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET_MASK, type LogChunk } from '../../src/shared/ipc';
import type { Job } from '../../src/shared/job';
import type { TemplateSpecInput } from '../../src/shared/template';
import { allRemoved, startCore, type TestCore } from '../support/core';
import { clientFor, engineTargets, ensureTestImage, leftovers, TEST_IMAGE } from '../support/engines';

const targets = await engineTargets();

function base(name: string, over: Partial<TemplateSpecInput> = {}): TemplateSpecInput {
  return { name, image: TEST_IMAGE, network: 'none', pullPolicy: 'Never', ...over };
}

async function allLogs(t: TestCore, id: string, attempt?: number): Promise<LogChunk[]> {
  const out: LogChunk[] = [];
  let offset = 0;
  for (;;) {
    const page = await t.call('logs.read', { id, offset, ...(attempt ? { attempt } : {}) });
    out.push(...page.chunks);
    if (page.eof || page.nextOffset === offset) return out;
    offset = page.nextOffset;
  }
}
const text = (chunks: LogChunk[], stream: LogChunk['stream']) =>
  chunks.filter((c) => c.stream === stream).map((c) => c.data).join('');

describe.each(targets)('on $kind', (target) => {
  let t: TestCore;
  const run = async (spec: TemplateSpecInput, extra: Record<string, unknown> = {}): Promise<Job> => {
    const job = await t.call('jobs.create', { spec, ...extra });
    return t.waitFor(job.id);
  };

  beforeAll(async () => {
    if (target.missing) return;
    await ensureTestImage(clientFor(target.host));
    t = await startCore(target);
    await t.call('settings.update', { concurrency: 4, stopGraceSeconds: 2 });
  });
  afterAll(async () => {
    if (!t) return;
    await allRemoved(t.core);
    const left = await leftovers(clientFor(target.host), t.instanceId);
    await t.close();
    expect(left, 'containers left behind').toEqual([]);
  });

  describe.skipIf(Boolean(target.missing))(`${target.kind} engine`, () => {
    it('engines: pings the engine and reports its version', async () => {
      const [engine] = await t.call('engines.list', {});
      expect(engine).toMatchObject({ id: target.kind, kind: target.kind, status: 'available' });
      expect(engine!.version).toMatch(/\d+\.\d+/);
    });

    it('running: exit 0 completes with reason Completed and its output', async () => {
      const job = await run(base('exit-0', { command: 'echo hello from jobdeck' }));
      expect(job).toMatchObject({ status: 'completed', reason: 'Completed', exitCode: 0 });
      expect(job.attempts[0]).toMatchObject({ status: 'succeeded', exitCode: 0, engineId: target.kind });
      expect(job.attempts[0]!.containerId).toMatch(/^[0-9a-f]{12,}/);
      expect(text(await allLogs(t, job.id), 'stdout')).toBe('hello from jobdeck\n');
    });

    it('running: exit 3 fails with reason Error and exit code 3', async () => {
      const job = await run(base('exit-3', { command: 'echo about to fail; exit 3' }));
      expect(job).toMatchObject({ status: 'failed', reason: 'Error', exitCode: 3 });
    });

    it('running: exit 137 under a memory limit (OOMKilled where the engine reports it)', async () => {
      const job = await run(
        base('oom', { command: ['dd', 'if=/dev/zero', 'of=/dev/null', 'bs=64M', 'count=1'], limits: { memory: '16Mi' } }),
      );
      expect(job).toMatchObject({ status: 'failed', exitCode: 137 });
      // Docker reports OOMKilled; Podman's compat API (4.x) does not, so there it is an Error.
      expect(job.reason).toBe(target.kind === 'docker' ? 'OOMKilled' : job.reason);
      expect(['OOMKilled', 'Error']).toContain(job.reason);
    });

    it('running: stdout is kept apart from stderr, and both become artifacts', async () => {
      const job = await run(base('streams', { command: 'echo to-out; echo to-err >&2; echo more-out' }));
      expect(job, job.message).toMatchObject({ status: 'completed', exitCode: 0 });
      const logs = await allLogs(t, job.id);
      expect(text(logs, 'stdout')).toBe('to-out\nmore-out\n');
      expect(text(logs, 'stderr')).toBe('to-err\n');
      const artifacts = await t.call('artifacts.list', { id: job.id });
      const out = artifacts.find((a) => a.name === 'stdout.txt');
      const err = artifacts.find((a) => a.name === 'stderr.txt');
      expect(out && readFileSync(out.path, 'utf8')).toBe('to-out\nmore-out\n');
      expect(err && readFileSync(err.path, 'utf8')).toBe('to-err\n');
    });

    // Live output comes from an attach, exact on both engines even for a burst; Podman's log
    // endpoint (used only after a restart) is not (see README, Known limits).
    it('running: a fast writer that exits at once loses no line', async () => {
      const bytes = 4 * 1024 * 1024;
      const line = '0123456789abcdefghijklmnopqrstuvwxyz\n';
      const job = await run(base('flood', { command: `yes ${line.trim()} | head -c ${bytes}` }));
      expect(job.status).toBe('completed');
      const out = text(await allLogs(t, job.id), 'stdout');
      expect(out).toBe(line.repeat(Math.ceil(bytes / line.length)).slice(0, bytes));
    });

    it('running: env reaches the container; a secret is decrypted inside, sealed on disk and masked outside', async () => {
      const job = await run(
        base('env', {
          command: 'echo "$GREETING $TOKEN"',
          env: [
            { name: 'GREETING', value: 'hi' },
            { name: 'TOKEN', value: 'hunter2-s3cret', secret: true },
          ],
        }),
      );
      // What the job prints of its secret is masked in the log (secretMask.test.ts has the rest).
      expect(text(await allLogs(t, job.id), 'stdout')).toBe(`hi ${SECRET_MASK}\n`);
      expect(job.spec.env.find((e) => e.name === 'TOKEN')?.value).not.toContain('hunter2');
      await t.core.close().catch(() => undefined); // flush the store to disk...
      const onDisk = readFileSync(join(t.dataDir, 'state.json'), 'utf8');
      expect(onDisk).toContain('GREETING');
      expect(onDisk).not.toContain('hunter2-s3cret');
      t = await startCore(target, { dataDir: t.dataDir, instanceId: t.instanceId }); // ...and carry on
      await t.call('settings.update', { concurrency: 4, stopGraceSeconds: 2 });
    });

    it('running: a timeout stops the container and ends with DeadlineExceeded', async () => {
      const started = Date.now();
      const job = await run(base('timeout', { command: ['sleep', '30'], timeoutSeconds: 1 }));
      expect(job).toMatchObject({ status: 'failed', reason: 'DeadlineExceeded' });
      expect(Date.now() - started).toBeLessThan(15_000);
    });

    it('jobs: cancel while running stops it promptly and ends with Cancelled', async () => {
      const created = await t.call('jobs.create', { spec: base('cancel-running', { command: ['sleep', '30'] }) });
      await t.waitFor(created.id, (j) => j.attempts[0]?.status === 'running');
      const asked = Date.now();
      await t.call('jobs.cancel', { id: created.id });
      const job = await t.waitFor(created.id);
      expect(job).toMatchObject({ status: 'cancelled', reason: 'Cancelled' });
      expect(job.attempts[0]).toMatchObject({ status: 'cancelled', reason: 'Cancelled' });
      // The init as PID 1 passes SIGTERM on: no waiting out the grace period.
      expect(Date.now() - asked).toBeLessThan(5_000);
    });

    it('jobs: cancel while pending ends it without starting a container', async () => {
      await t.call('queue.pause', {});
      const created = await t.call('jobs.create', { spec: base('cancel-pending', { command: 'true' }) });
      const job = await t.call('jobs.cancel', { id: created.id });
      await t.call('queue.resume', {});
      expect(job).toMatchObject({ status: 'cancelled', reason: 'Cancelled' });
      expect(job.attempts).toHaveLength(0);
    });

    it('scheduler: a retry succeeds on attempt 2 (state kept in a mounted host dir)', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'jobdeck-mount-'));
      try {
        const job = await run(
          base('retry', {
            command: 'if [ -f /state/tried ]; then echo second; exit 0; else touch /state/tried; echo first; exit 1; fi',
            mounts: [{ hostPath: dir, containerPath: '/state' }],
            retry: { limit: 2, backoffInitialSeconds: 0.2 },
          }),
        );
        expect(job).toMatchObject({ status: 'completed', exitCode: 0, failures: 1 });
        expect(job.attempts.map((a) => [a.status, a.exitCode])).toEqual([
          ['failed', 1],
          ['succeeded', 0],
        ]);
        expect(text(await allLogs(t, job.id, 1), 'stdout')).toBe('first\n');
        expect(text(await allLogs(t, job.id, 2), 'stdout')).toBe('second\n');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('scheduler: no retry after exit 127 (command not found)', async () => {
      const job = await run(base('not-found', { command: ['no-such-command'], retry: { limit: 3, backoffInitialSeconds: 0 } }));
      expect(job).toMatchObject({ status: 'failed', exitCode: 127 });
      expect(job.attempts).toHaveLength(1);
    });

    it('scheduler: a dependency chain whose parent fails ends with UpstreamFailed', async () => {
      const parent = await t.call('jobs.create', { spec: base('parent', { command: 'exit 1' }) });
      const child = await t.call('jobs.create', { spec: base('child', { command: 'echo never' }), dependsOn: [parent.id] });
      const grandchild = await t.call('jobs.create', { spec: base('grandchild', { command: 'true' }), dependsOn: [child.id] });
      expect((await t.waitFor(parent.id)).status).toBe('failed');
      expect(await t.waitFor(child.id)).toMatchObject({ status: 'cancelled', reason: 'UpstreamFailed', attempts: [] });
      expect(await t.waitFor(grandchild.id)).toMatchObject({ status: 'cancelled', reason: 'UpstreamFailed' });
    });

    it('scheduler: priority order at concurrency 1', async () => {
      await t.call('settings.update', { concurrency: 1 });
      await t.call('queue.pause', {});
      const low = await t.call('jobs.create', { spec: base('low', { command: 'true', priority: 5 }) });
      const high = await t.call('jobs.create', { spec: base('high', { command: 'true', priority: 1 }) });
      const mid = await t.call('jobs.create', { spec: base('mid', { command: 'true', priority: 3 }) });
      const high2 = await t.call('jobs.create', { spec: base('high2', { command: 'true', priority: 1 }) });
      await t.call('queue.resume', {});
      const done = await Promise.all([low, high, mid, high2].map((j) => t.waitFor(j.id)));
      await t.call('settings.update', { concurrency: 4 });
      const order = [...done].sort((a, b) => Date.parse(a.startedAt!) - Date.parse(b.startedAt!)).map((j) => j.templateName);
      expect(order).toEqual(['high', 'high2', 'mid', 'low']);
      // At concurrency 1 no two ran at once.
      const spans = [...done].sort((a, b) => Date.parse(a.startedAt!) - Date.parse(b.startedAt!));
      for (let i = 1; i < spans.length; i++) {
        expect(Date.parse(spans[i]!.attempts[0]!.createdAt)).toBeGreaterThanOrEqual(Date.parse(spans[i - 1]!.finishedAt!));
      }
    });

    it('running: the output dir is copied out as artifacts', async () => {
      const job = await run(base('artifacts', { command: 'mkdir -p /out/sub; echo 42 > /out/result.txt; echo deep > /out/sub/n.txt', outputDir: '/out' }));
      expect(job.status).toBe('completed');
      const artifacts = await t.call('artifacts.list', { id: job.id });
      const result = artifacts.find((a) => a.name === 'result.txt');
      expect(result && readFileSync(result.path, 'utf8')).toBe('42\n');
      expect(artifacts.some((a) => a.name.endsWith('n.txt'))).toBe(true);
    });

    it('engines: a missing image under pull policy Never ends with ImagePullFailed', async () => {
      const job = await run(base('no-image', { image: 'jobdeck-absent:never', command: 'true' }));
      expect(job).toMatchObject({ status: 'failed', reason: 'ImagePullFailed' });
      expect(job.message).toMatch(/jobdeck-absent:never/);
      expect(job.attempts).toHaveLength(1);
    });

    it('engines: a failed pull ends with ImagePullFailed and the engine message', async () => {
      const job = await run(base('bad-pull', { image: '127.0.0.1:9/jobdeck/absent:1', pullPolicy: 'IfNotPresent', command: 'true' }), {});
      expect(job).toMatchObject({ status: 'failed', reason: 'ImagePullFailed' });
      expect(job.message).toMatch(/could not pull 127\.0\.0\.1:9\/jobdeck\/absent:1: /);
    });

    it('scheduler: an indexed parallel job gives each container JOB_COMPLETION_INDEX', async () => {
      const job = await run(
        base('indexed', { command: 'echo "index=$JOB_COMPLETION_INDEX"', completions: 3, parallelism: 2, completionMode: 'Indexed' }),
      );
      expect(job).toMatchObject({ status: 'completed', succeededIndexes: [0, 1, 2] });
      const seen: string[] = [];
      for (const a of job.attempts) seen.push(text(await allLogs(t, job.id, a.number), 'stdout').trim());
      expect(seen.sort()).toEqual(['index=0', 'index=1', 'index=2']);
    });

    it('reconcile: after a restart a running job is followed again, its exit collected, every line kept once', async () => {
      const created = await t.call('jobs.create', {
        spec: base('survivor', { command: 'for i in $(seq 1 8); do echo line-$i; sleep 0.3; done; exit 7' }),
      });
      // Three of the eight lines stored (7 bytes each): the app quits in the middle of the output.
      await t.waitFor(created.id, (j) => (j.attempts[0]?.logBytes ?? 0) >= 3 * 'line-1\n'.length || j.status !== 'running', 20_000);
      await t.core.close({ stopRunning: false }); // the app quits and leaves the job running
      t = await startCore(target, { dataDir: t.dataDir, instanceId: t.instanceId });
      await t.call('settings.update', { concurrency: 4, stopGraceSeconds: 2 });
      const job = await t.waitFor(created.id);
      expect(job).toMatchObject({ status: 'failed', reason: 'Error', exitCode: 7 });
      expect(job.attempts).toHaveLength(1);
      const lines = text(await allLogs(t, job.id), 'stdout');
      expect(lines).toBe(Array.from({ length: 8 }, (_, i) => `line-${i + 1}\n`).join(''));
    });

    it('jobs: clone with overrides and retry a failed job', async () => {
      const failed = await run(base('clone-me', { command: 'exit 4' }));
      const clone = await t.call('jobs.clone', { id: failed.id, overrides: { command: 'echo cloned' } });
      expect((await t.waitFor(clone.id)).status).toBe('completed');
      const retried = await t.call('jobs.retry', { id: failed.id });
      expect(retried.id).toBe(failed.id);
      const again = await t.waitFor(failed.id, (j) => j.status === 'failed' && j.attempts.length === 2);
      expect(again.exitCode).toBe(4);
    });
  });
});

describe('engines: discovery', () => {
  it('shows an engine whose socket does not exist as unavailable, and its job waits instead of failing', async () => {
    const t = await startCore({ kind: 'docker', host: 'unix:///tmp/jobdeck-no-such-engine.sock' });
    try {
      const [engine] = await t.call('engines.list', {});
      expect(engine).toMatchObject({ id: 'docker', status: 'unavailable' });
      expect(engine!.error).toMatch(/jobdeck-no-such-engine\.sock/);
      const job = await t.call('jobs.create', { spec: base('waits', { command: 'true', engine: 'docker' }) });
      // The queue has looked at it (job.updated says so) and it waits for its engine.
      const waiting = await t.waitFor(job.id, (j) => j.waitingFor !== undefined || j.status !== 'pending', 10_000);
      expect(waiting).toMatchObject({ status: 'pending', waitingFor: 'docker', attempts: [] });
    } finally {
      await t.close();
    }
  });
});
