// Dependencies and wait reasons through the real dispatcher, on the whole core with fake engines.
import { describe, expect, it } from 'vitest';
import { describeCommand, useFakeCore, type FakeCore } from '../support/fakeCore';

const core = useFakeCore();
const inline = (name: string, extra: Record<string, unknown> = {}) => ({ name, image: 'busybox:1.36', command: 'echo hi', ...extra });
const create = (h: FakeCore, name: string, dependsOn: string[] = []) => h.call('jobs.create', { spec: inline(name), dependsOn });
const started = (h: FakeCore, id: string) => h.until(`an attempt of ${id} to start`, () => h.engines.runs(id).length > 0);

describeCommand('jobs.setDependencies', () => {
  it('makes a pending job run after others, and refuses the one that closes a cycle, naming it', async () => {
    const h = core();
    await h.call('queue.pause', {});
    const a = await create(h, 'sd-a');
    const b = await create(h, 'sd-b', [a.id]);
    const c = await create(h, 'sd-c', [b.id]);
    const cycle = await h.fail('jobs.setDependencies', { id: a.id, dependsOn: [c.id] });
    expect(cycle).toMatchObject({
      code: 'CONFLICT',
      message: `a job cannot run after itself: job sd-a ${a.id.slice(0, 8)} → job sd-c ${c.id.slice(0, 8)} → job sd-b ${b.id.slice(0, 8)} → job sd-a ${a.id.slice(0, 8)}`,
    });
    expect((await h.call('jobs.get', { id: a.id })).dependsOn).toEqual([]);
    expect(await h.fail('jobs.setDependencies', { id: a.id, dependsOn: [a.id] })).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('→') });
    const d = await create(h, 'sd-d');
    const set = await h.call('jobs.setDependencies', { id: d.id, dependsOn: [c.id, a.id, c.id] });
    expect(set.dependsOn).toEqual([c.id, a.id]);
    expect(await h.fail('jobs.setDependencies', { id: d.id, dependsOn: ['ghost'] })).toMatchObject({ code: 'NOT_FOUND', message: 'dependsOn: no job ghost' });
    await h.call('queue.resume', {});
    await started(h, a.id);
    expect(await h.fail('jobs.setDependencies', { id: a.id, dependsOn: [] })).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('this one is running') });
  });
});

describeCommand('jobs.graph', () => {
  it('gives a fan-in job with both upstream jobs and their edges, and the fan-out below', async () => {
    const h = core();
    await h.call('queue.pause', {});
    const a = await create(h, 'g-a');
    const b = await create(h, 'g-b');
    const c = await create(h, 'g-c', [a.id, b.id]);
    const d = await create(h, 'g-d', [c.id]);
    const e = await create(h, 'g-e', [c.id]);
    const g = await h.call('jobs.graph', { id: c.id });
    expect(g.rootId).toBe(c.id);
    expect(g.nodes.map((n) => n.templateName).sort()).toEqual(['g-a', 'g-b', 'g-c', 'g-d', 'g-e']);
    expect(g.edges).toHaveLength(4);
    expect(g.edges).toEqual(expect.arrayContaining([{ from: a.id, to: c.id }, { from: b.id, to: c.id }, { from: c.id, to: d.id }, { from: c.id, to: e.id }]));
    expect(await h.fail('jobs.graph', { id: 'nope' })).toMatchObject({ code: 'NOT_FOUND' });
    await h.call('queue.resume', {});
  });
});

describeCommand('queue.waits', () => {
  it('says why each pending job waits, and changes as the upstream ends and the queue pauses', async () => {
    const h = core();
    await h.call('settings.update', { concurrency: 1 });
    const up = await create(h, 'qw-up');
    await started(h, up.id);
    const after = await create(h, 'qw-after', [up.id]);
    const other = await create(h, 'qw-other');
    expect(await h.call('queue.waits', {})).toEqual([
      { id: after.id, reason: { kind: 'upstream', jobs: [{ id: up.id, templateName: 'qw-up', status: 'running' }] } },
      { id: other.id, reason: { kind: 'concurrency', running: 1, limit: 1 } },
    ]);
    await h.call('queue.pause', {});
    expect((await h.call('queue.waits', {}))[1]).toEqual({ id: other.id, reason: { kind: 'paused' } });
    await h.finish(up.id, { reason: 'Completed', exitCode: 0 });
    expect((await h.call('queue.waits', {}))[0]).toEqual({ id: after.id, reason: { kind: 'paused' } });
    await h.call('queue.resume', {});
    await started(h, after.id);
    expect(await h.call('queue.waits', {})).toEqual([{ id: other.id, reason: { kind: 'concurrency', running: 1, limit: 1 } }]);
  });

  it('counts down a retry backoff on the clock', async () => {
    const h = core();
    const j = await h.call('jobs.create', { spec: inline('qw-retry', { retry: { limit: 1, backoffInitialSeconds: 30 } }) });
    await started(h, j.id);
    await h.finish(j.id, { reason: 'Error', exitCode: 1 });
    const until = new Date(h.clock.now() + 30_000).toISOString();
    expect(await h.call('queue.waits', {})).toEqual([{ id: j.id, reason: { kind: 'backoff', until } }]);
  });
});

describeCommand('templates.chain', () => {
  it('links the templates whose jobs ran after each other', async () => {
    const h = core();
    await h.call('queue.pause', {});
    const fetch = await h.call('templates.save', { spec: inline('tc-fetch') });
    const build = await h.call('templates.save', { spec: inline('tc-build') });
    const lone = await h.call('templates.save', { spec: inline('tc-lone') });
    const f = await h.call('jobs.create', { templateId: fetch.id });
    await h.call('jobs.create', { templateId: build.id, dependsOn: [f.id] });
    const chain = await h.call('templates.chain', { id: build.id });
    expect(chain.nodes.map((n) => n.name).sort()).toEqual(['tc-build', 'tc-fetch']);
    expect(chain.edges).toEqual([{ from: fetch.id, to: build.id }]);
    expect((await h.call('templates.chain', { id: lone.id })).nodes).toEqual([{ id: lone.id, name: 'tc-lone' }]);
    expect(await h.fail('templates.chain', { id: 'nope' })).toMatchObject({ code: 'NOT_FOUND' });
    await h.call('queue.resume', {});
  });
});

describe('run overrides and dependencies at jobs.create and jobs.clone', () => {
  it('runs on one engine by id, and a kind alone clears the template\'s engine id', async () => {
    const h = core();
    await h.call('queue.pause', {});
    const t = await h.call('templates.save', { spec: inline('ro-pinned', { engineId: 'docker' }) });
    const pinned = await h.call('jobs.create', { templateId: t.id });
    expect(pinned.spec).toMatchObject({ engine: 'any', engineId: 'docker' });
    const byKind = await h.call('jobs.create', { templateId: t.id, overrides: { engine: 'podman' } });
    expect(byKind.spec.engine).toBe('podman');
    expect(byKind.spec.engineId).toBeUndefined();
    const other = await h.call('jobs.create', { templateId: t.id, overrides: { engineId: 'remote-1', limits: { memory: '64Mi', cpus: '0.5' }, timeoutSeconds: 60 } });
    expect(other.spec).toMatchObject({ engineId: 'remote-1', limits: { memory: '64Mi', cpus: '0.5' }, timeoutSeconds: 60 });
    expect(await h.fail('jobs.create', { templateId: t.id, overrides: { engineId: 'Not An Id' } })).toMatchObject({ code: 'VALIDATION' });
    await h.call('queue.resume', {});
    await h.until('the waits', async () => (await h.call('queue.waits', {})).some((w) => w.id === other.id && w.reason.kind === 'engine'));
    expect((await h.call('queue.waits', {})).find((w) => w.id === other.id)?.reason).toEqual({ kind: 'engine', engine: 'engine remote-1' });
  });

  it('a clone runs after the jobs given; an upstream that failed is refused with its name', async () => {
    const h = core();
    await h.call('queue.pause', {});
    const a = await create(h, 'rc-a');
    const b = await create(h, 'rc-b');
    const clone = await h.call('jobs.clone', { id: b.id, dependsOn: [a.id] });
    expect(clone).toMatchObject({ origin: 'clone', dependsOn: [a.id] });
    expect((await h.call('jobs.clone', { id: b.id })).dependsOn).toEqual([]);
    await h.call('jobs.cancel', { id: a.id });
    expect(await h.fail('jobs.create', { spec: inline('rc-c'), dependsOn: [a.id] })).toMatchObject({
      code: 'CONFLICT',
      message: `dependsOn: job rc-a ${a.id.slice(0, 8)} is cancelled, so a job after it could never run; retry it first`,
    });
    await h.call('queue.resume', {});
  });
});
