// Pulls from a real registry on loopback (test/support/localRegistry.ts), on both engines: a job
// whose image is not local pulls it with progress per layer (and bytes where the engine counts
// them), IfNotPresent pulls once, and a tag the registry does not have ends ImagePullFailed with
// the registry's own words and what to try. Through the pull gate (test/support/pullGate.ts) a
// pull is held in its first layer: the job waits in starting with that pull reported, and runs
// once the layer is let through.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageProgress } from '../../src/shared/ipc';
import { allRemoved, startCore, type TestCore } from '../support/core';
import { clientFor, engineTargets, ensureTestImage, leftovers } from '../support/engines';
import { registryAvailable, startLocalRegistry, type LocalRegistry } from '../support/localRegistry';
import { startPullGate } from '../support/pullGate';

const targets = await engineTargets();
const docker = targets.find((t) => t.kind === 'docker' && !t.missing);
const RUN = Math.random().toString(36).slice(2, 8);
// A push (commit + push) and a pull or two: each wait inside allows 120 s, so the test allows more
// than the default 60 s (Podman's IfNotPresent took over 60 s on a loaded machine).
const PULL_TEST_MS = 240_000;
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
    await allRemoved(t.core);
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
    }, PULL_TEST_MS);

    it('IfNotPresent: pulled the first time, not again once it is here', async () => {
      const ref = await registry!.push(`ifnotpresent-${target.kind}-${RUN}`);
      pulled.push(ref);
      const first = await job('pull-once', ref, 'IfNotPresent');
      expect(await t.waitFor(first.id, undefined, 120_000)).toMatchObject({ status: 'completed' });
      expect(progressOf(first.id).length).toBeGreaterThan(0);
      const second = await job('pull-once', ref, 'IfNotPresent');
      expect(await t.waitFor(second.id, undefined, 120_000)).toMatchObject({ status: 'completed' });
      expect(progressOf(second.id)).toEqual([]);
    }, PULL_TEST_MS);

    it('a pull held in its first layer: the job waits in starting with the pull reported, then runs once the layer passes', async () => {
      const tag = `gated-${target.kind}-${RUN}`;
      await registry!.push(tag);
      const gate = await startPullGate(registry!);
      try {
        if (target.kind === 'podman' && gate.podmanProblem) throw new Error(gate.podmanProblem);
        const ref = `${gate.host}/jobdeck-test:${tag}`;
        pulled.push(ref);
        const created = await job('pull-gated', ref, 'Always');
        // Held, or the job ended first (then what it said, and what the gate saw, is the failure).
        const layer = await Promise.race([
          gate.held,
          t.waitFor(created.id, undefined, 90_000).then((j) => {
            throw new Error(`the job ended (${j.status}: ${j.message ?? ''}) before the gate held a layer; the gate saw ${gate.seen.join(', ')}`);
          }),
        ]);
        const short = layer.replace(/^sha256:/, '').slice(0, 12);
        const ofLayer = (s: ImageProgress) => s.layer !== undefined && s.layer.replace(/^sha256:/, '').startsWith(short);
        // Docker counts the held layer's bytes; Podman's compat pull names the layer's step only.
        const reported = (s: ImageProgress) => (target.kind === 'docker' ? ofLayer(s) && s.status === 'Downloading' && (s.current ?? 0) > 0 : s.layer !== undefined);
        const waiting = await t.waitFor(created.id, () => progressOf(created.id).some(reported), 60_000).catch((error: Error) => {
          throw new Error(`${error.message}; progress ${JSON.stringify(progressOf(created.id))}; gate saw ${gate.seen.join(', ')}`);
        });
        expect(waiting.status).toBe('running');
        expect(waiting.attempts.at(-1)?.status).toBe('starting');
        gate.release();
        const done = await t.waitFor(created.id, undefined, 120_000);
        expect(done, done.message).toMatchObject({ status: 'completed', exitCode: 0 });
        expect(gate.seen.filter((r) => r === `GET /v2/jobdeck-test/blobs/${layer}`).length, gate.seen.join('\n')).toBeGreaterThan(0);
      } finally {
        await gate.stop();
      }
    }, PULL_TEST_MS);

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
