// Pulls from a real registry on loopback (test/support/localRegistry.ts), on both engines: a job
// whose image is not local pulls it with progress per layer (and bytes where the engine counts
// them), IfNotPresent pulls once, and a tag the registry does not have ends ImagePullFailed with
// the registry's own words and what to try.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageProgress } from '../../src/shared/ipc';
import { startCore, type TestCore } from '../support/core';
import { clientFor, engineTargets, ensureTestImage, leftovers } from '../support/engines';
import { registryAvailable, startLocalRegistry, type LocalRegistry } from '../support/localRegistry';

const targets = await engineTargets();
const docker = targets.find((t) => t.kind === 'docker' && !t.missing);
const RUN = Math.random().toString(36).slice(2, 8);
let registry: LocalRegistry | undefined;
const noRegistry = !registryAvailable() ? 'docker-registry is not installed (apt-get install docker-registry)' : !docker ? 'Docker pushes to the registry, and it is missing' : undefined;
if (noRegistry && process.env.CI) throw new Error(`${noRegistry} (CI runs the registry tests)`);

beforeAll(async () => {
  if (noRegistry || !docker) return;
  const live = targets.filter((t) => !t.missing);
  for (const t of live) await ensureTestImage(clientFor(t.host));
  registry = await startLocalRegistry(clientFor(docker.host), live.map((t) => clientFor(t.host)));
}, 60_000);
afterAll(async () => {
  await registry?.stop();
});

describe.skipIf(Boolean(noRegistry)).each(targets)('pulls on $kind', (target) => {
  let t: TestCore;
  const pulled: string[] = [];
  const progressOf = (jobId: string) => t.events.flatMap((e) => (e.name === 'image.progress' && e.payload.id === jobId ? [e.payload as ImageProgress] : []));
  beforeAll(async () => {
    if (target.missing) return;
    t = await startCore(target);
  }, 240_000);
  afterAll(async () => {
    if (!t) return;
    for (const r of pulled) await registry?.forget(r);
    const left = await leftovers(clientFor(target.host), t.instanceId);
    await t.close();
    expect(left, 'containers left behind').toEqual([]);
  });
  const job = (name: string, image: string, pullPolicy: 'Always' | 'IfNotPresent' | 'Never') =>
    t.call('jobs.create', { spec: { name: `${name}-${target.kind}`, image, pullPolicy, network: 'none', engine: target.kind, command: ['echo', 'pulled and ran'] } });

  describe.skipIf(Boolean(target.missing) || (target.kind === 'podman' && Boolean(registry?.podmanProblem)))(`${target.kind} engine`, () => {
    it('pull policy Always: the image is pulled with progress per layer, then the job runs', async () => {
      const ref = await registry!.push(`always-${target.kind}-${RUN}`);
      pulled.push(ref);
      const created = await job('pull-always', ref, 'Always');
      const done = await t.waitFor(created.id, undefined, 120_000);
      expect(done, done.message).toMatchObject({ status: 'completed', exitCode: 0 });
      const log = await t.call('logs.read', { id: created.id });
      expect(log.chunks.map((c) => c.data).join('')).toContain('pulled and ran');
      const steps = progressOf(created.id);
      expect(steps.length, JSON.stringify(steps)).toBeGreaterThan(0);
      expect(steps.every((s) => s.image === ref && s.engineId === target.kind)).toBe(true);
      const layers = new Set(steps.flatMap((s) => (s.layer ? [s.layer] : [])));
      expect(layers.size, JSON.stringify(steps)).toBeGreaterThan(0);
      if (target.kind === 'docker') {
        // Docker counts a layer's bytes as it fetches it; Podman's compat pull says only each layer's steps.
        expect(steps.some((s) => (s.current ?? 0) > 0 && (s.total ?? 0) >= (s.current ?? 0)), JSON.stringify(steps)).toBe(true);
      }
      expect((await clientFor(target.host).getImage(ref).inspect()).Id).toBeTruthy();
    });

    it('IfNotPresent: pulled the first time, not again once it is here', async () => {
      const ref = await registry!.push(`ifnotpresent-${target.kind}-${RUN}`);
      pulled.push(ref);
      const first = await job('pull-once', ref, 'IfNotPresent');
      expect(await t.waitFor(first.id, undefined, 120_000)).toMatchObject({ status: 'completed' });
      expect(progressOf(first.id).length).toBeGreaterThan(0);
      const second = await job('pull-once', ref, 'IfNotPresent');
      expect(await t.waitFor(second.id, undefined, 120_000)).toMatchObject({ status: 'completed' });
      expect(progressOf(second.id)).toEqual([]);
    });

    it('a tag the registry does not have: ImagePullFailed, with what the registry said and what to try', async () => {
      const ref = registry!.ref(`no-such-tag-${RUN}`);
      const created = await job('pull-missing', ref, 'IfNotPresent');
      const done = await t.waitFor(created.id, undefined, 120_000);
      expect(done).toMatchObject({ status: 'failed', reason: 'ImagePullFailed' });
      const message = done.attempts.at(-1)?.message ?? done.message ?? '';
      expect(message).toMatch(new RegExp(`^could not pull ${ref.replace(/[.:]/g, '\\$&')}: .*(manifest unknown|not found)`, 'i'));
      expect(message).toContain('use a tag this engine has');
      expect(message).toContain('pull policy to Never');
    });
  });
});
