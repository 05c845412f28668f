import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogChunk } from '../../src/shared/ipc';
import type { Job } from '../../src/shared/job';
import type { TemplateSpecInput } from '../../src/shared/template';
import { allRemoved, startCore, type TestCore } from '../support/core';
import { clientFor, engineTargets, ensureTestImage, leftovers, TEST_IMAGE } from '../support/engines';

// Kubernetes pod semantics around one attempt, on both engines: init containers in order with
// their own logs, a failing one failing the attempt, a sidecar beside the main container and
// stopped when it ends, emptyDir volumes shared and removed, values a job cannot start without.
const targets = await engineTargets();

function base(name: string, over: Partial<TemplateSpecInput> = {}): TemplateSpecInput {
  return { name, image: TEST_IMAGE, network: 'none', pullPolicy: 'Never', ...over };
}

async function logText(t: TestCore, id: string, step?: string): Promise<string> {
  const out: LogChunk[] = [];
  let offset = 0;
  for (;;) {
    const page = await t.call('logs.read', { id, offset, ...(step ? { step } : {}) });
    out.push(...page.chunks);
    if (page.eof || page.nextOffset === offset) break;
    offset = page.nextOffset;
  }
  return out.filter((c) => c.stream !== 'system').map((c) => c.data).join('');
}

describe.each(targets)('on $kind', (target) => {
  let t: TestCore;
  const run = async (spec: TemplateSpecInput): Promise<Job> => {
    const job = await t.call('jobs.create', { spec });
    return t.waitFor(job.id);
  };
  const volumesOf = async () => {
    const list = await clientFor(target.host).listVolumes({ filters: { label: [`dev.jobdeck.instance=${t.instanceId}`] } });
    return (list.Volumes ?? []).map((v) => v.Name);
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
    const vols = await volumesOf();
    await t.close();
    expect(left, 'containers left behind').toEqual([]);
    expect(vols, 'volumes left behind').toEqual([]);
  });

  describe.skipIf(Boolean(target.missing))(`${target.kind} engine`, () => {
    it('init containers run in order, each to its end, before the main container, each with its own log', async () => {
      const job = await run(
        base('k8s-init-order', {
          volumes: [{ name: 'work', emptyDir: {} }],
          volumeMounts: [{ name: 'work', mountPath: '/work' }],
          initContainers: [
            { name: 'first', command: 'echo one >> /work/order; echo first says hi', volumeMounts: [{ name: 'work', mountPath: '/work' }] },
            { name: 'second', command: 'echo two >> /work/order; echo second says hi >&2', volumeMounts: [{ name: 'work', mountPath: '/work' }] },
          ],
          command: 'cat /work/order; echo main done',
        }),
      );
      expect(job).toMatchObject({ status: 'completed', reason: 'Completed', exitCode: 0 });
      const [a] = job.attempts;
      expect(a!.steps?.map((s) => [s.name, s.kind, s.status, s.exitCode])).toEqual([
        ['first', 'init', 'succeeded', 0],
        ['second', 'init', 'succeeded', 0],
      ]);
      expect(Date.parse(a!.steps![0]!.finishedAt!)).toBeLessThanOrEqual(Date.parse(a!.steps![1]!.startedAt!));
      // The emptyDir written by the init containers is what the main container reads.
      expect(await logText(t, job.id)).toBe('one\ntwo\nmain done\n');
      expect(await logText(t, job.id, 'first')).toBe('first says hi\n');
      expect(await logText(t, job.id, 'second')).toBe('second says hi\n');
      await allRemoved(t.core);
      expect(await volumesOf(), 'the attempt removed its volume').toEqual([]);
    });

    it('a failing init container fails the attempt with its exit code; the main container never starts', async () => {
      const job = await run(
        base('k8s-init-fails', {
          initContainers: [
            { name: 'migrate', command: 'echo cannot migrate >&2; exit 3' },
            { name: 'never', command: 'echo never' },
          ],
          command: 'echo main must not run',
        }),
      );
      expect(job).toMatchObject({ status: 'failed', reason: 'Error', exitCode: 3 });
      const [a] = job.attempts;
      expect(a!.containerId).toBeUndefined();
      expect(a!.message).toBe('init container migrate exited with code 3');
      expect(a!.steps?.map((s) => [s.name, s.status, s.exitCode ?? null])).toEqual([
        ['migrate', 'failed', 3],
        ['never', 'waiting', null],
      ]);
      expect(await logText(t, job.id, 'migrate')).toBe('cannot migrate\n');
      expect(await logText(t, job.id)).toBe('');
    });

    it('a sidecar starts before the main container, runs beside it, is stopped when it ends; its log kept apart', async () => {
      const job = await run(
        base('k8s-sidecar', {
          volumes: [{ name: 'shared', emptyDir: {} }],
          volumeMounts: [{ name: 'shared', mountPath: '/shared' }],
          initContainers: [
            {
              name: 'logger',
              restartPolicy: 'Always',
              // Up at once; writes until it is stopped.
              command: 'trap "echo logger stopped; exit 0" TERM; echo logger up; touch /shared/up; while true; do sleep 0.1; done',
              volumeMounts: [{ name: 'shared', mountPath: '/shared' }],
            },
          ],
          command: 'while [ ! -e /shared/up ]; do sleep 0.1; done; echo main saw the sidecar',
        }),
      );
      expect(job).toMatchObject({ status: 'completed', exitCode: 0 });
      expect(job.attempts[0]!.steps?.map((s) => [s.name, s.kind, s.status])).toEqual([['logger', 'sidecar', 'stopped']]);
      expect(await logText(t, job.id)).toBe('main saw the sidecar\n');
      expect(await logText(t, job.id, 'logger')).toBe('logger up\nlogger stopped\n');
    });

    it('emptyDir with medium Memory is a tmpfs of its sizeLimit', async () => {
      const job = await run(
        base('k8s-tmpfs', {
          volumes: [{ name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '8Mi' } }],
          volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }],
          command: "cat /proc/mounts",
        }),
      );
      expect(job).toMatchObject({ status: 'completed', exitCode: 0 });
      const mounts = await logText(t, job.id);
      if (target.kind === 'docker') expect(mounts, mounts).toMatch(/^\S+ \/scratch tmpfs \S*size=8192k/m);
      else {
        // Podman refuses a size on a tmpfs volume (it reads it as a disk quota): a tmpfs still, and the log says the limit is not applied.
        expect(mounts, mounts).toMatch(/^\S+ \/scratch tmpfs /m);
        const page = await t.call('logs.read', { id: job.id });
        expect(page.chunks.filter((c) => c.stream === 'system').map((c) => c.data).join('')).toContain('sizeLimit 8Mi is not applied');
      }
    });

    it('after a restart mid-run, the main container is followed again and its sidecar and volume go when it ends', async () => {
      const spec = base('k8s-restart', {
        volumes: [{ name: 'shared', emptyDir: {} }],
        volumeMounts: [{ name: 'shared', mountPath: '/shared' }],
        initContainers: [
          {
            name: 'helper',
            restartPolicy: 'Always',
            command: 'trap "exit 0" TERM; touch /shared/up; while true; do sleep 0.1; done',
            volumeMounts: [{ name: 'shared', mountPath: '/shared' }],
          },
        ],
        command: 'while [ ! -e /shared/up ]; do sleep 0.1; done; echo before; sleep 3; echo after',
      });
      const created = await t.call('jobs.create', { spec });
      await t.waitFor(created.id, (j) => j.attempts[0]?.status === 'running');
      const { dataDir, instanceId } = t;
      // The app quits with the job running (containers left to the next start), then starts again.
      await t.core.close({ stopRunning: false });
      t = await startCore(target, { dataDir, instanceId });
      await t.call('settings.update', { concurrency: 4, stopGraceSeconds: 2 });
      const job = await t.waitFor(created.id);
      expect(job).toMatchObject({ status: 'completed', exitCode: 0 });
      expect(await logText(t, job.id)).toBe('before\nafter\n');
      expect(job.attempts[0]!.steps?.map((x) => [x.name, x.status])).toEqual([['helper', 'stopped']]);
      await allRemoved(t.core);
      expect(await leftovers(clientFor(target.host), instanceId), 'the sidecar went with its main container').toEqual([]);
      expect(await volumesOf(), 'and the volume').toEqual([]);
    });

    it('a job with a value still missing (from a secret) is refused, naming the variable', async () => {
      await expect(
        t.call('jobs.create', {
          spec: base('k8s-missing', { env: [{ name: 'DB_PASSWORD', value: '', secret: true, valueFrom: 'secret db-creds, key password' }] }),
        }),
      ).rejects.toThrow(/DB_PASSWORD.*no value/);
    });
  });
});
