// jobs.* through the real dispatcher, on the whole core with fake engines and a fake clock.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { SECRET_MASK } from '../../src/shared/ipc';
import type { Job } from '../../src/shared/job';
import { describeCommand, useFakeCore, type FakeCore } from '../support/fakeCore';

const core = useFakeCore();

const inline = (name: string, extra: Record<string, unknown> = {}) => ({ name, image: 'busybox:1.36', command: 'echo hi', ...extra });
const create = (h: FakeCore, name: string, extra: Record<string, unknown> = {}) => h.call('jobs.create', { spec: inline(name, extra) });
const started = (h: FakeCore, id: string) => h.until(`an attempt of ${id} to start`, () => h.engines.runs(id).length > 0);
/** The order the queue starts pending jobs in, seen as the order their first attempts begin. */
const startOrder = (h: FakeCore) => h.engines.runs().map((r) => r.req.jobId);

describeCommand('jobs.create', () => {
  it('queues a job from a template and runs it on an engine, env and labels prepared', async () => {
    const h = core();
    const t = await h.call('templates.save', { spec: inline('jc-tpl', { env: [{ name: 'TOKEN', value: 's3cret', secret: true }] }) });
    const job = await h.call('jobs.create', { templateId: t.id, overrides: { priority: 1 } });
    expect(job).toMatchObject({ templateId: t.id, templateName: 'jc-tpl', priority: 1, origin: 'manual' });
    expect(job.spec.env).toEqual([{ name: 'TOKEN', value: SECRET_MASK, secret: true }]);
    await started(h, job.id);
    const [run] = h.engines.runs(job.id);
    expect(run!.req.env).toContain('TOKEN=s3cret');
    expect(run!.req.labels).toMatchObject({ 'dev.jobdeck.job': job.id });
    const done = await h.finish(job.id, { reason: 'Completed', exitCode: 0 });
    expect(done).toMatchObject({ status: 'completed', exitCode: 0, reason: 'Completed' });
  });

  it('retries a failed attempt after the backoff on the clock, not before', async () => {
    const h = core();
    const job = await create(h, 'jc-retry', { retry: { limit: 1, backoffInitialSeconds: 30 } });
    await started(h, job.id);
    const waiting = await h.finish(job.id, { reason: 'Error', exitCode: 3 });
    expect(waiting).toMatchObject({ status: 'pending', failures: 1 });
    h.clock.advance(29_000);
    expect(h.engines.runs(job.id)).toHaveLength(1);
    h.clock.advance(1_000);
    await h.until('the second attempt', () => h.engines.runs(job.id).length === 2);
    const failed = await h.finish(job.id, { reason: 'Error', exitCode: 3 });
    expect(failed).toMatchObject({ status: 'failed', exitCode: 3, failures: 2 });
    expect(failed.attempts.map((a) => a.exitCode)).toEqual([3, 3]);
  });

  it('finds a template by the name a person gives (exactly, else in any case when only one has it) or by id', async () => {
    const h = core();
    const build = await h.call('templates.save', { spec: inline('Nightly-Build') });
    const lower = await h.call('templates.save', { spec: inline('report') });
    await h.call('templates.save', { spec: inline('REPORT') });
    expect((await h.call('jobs.create', { template: 'Nightly-Build' })).templateId).toBe(build.id);
    expect((await h.call('jobs.create', { template: 'nightly-build' })).templateId).toBe(build.id);
    expect((await h.call('jobs.create', { template: build.id })).templateId).toBe(build.id);
    // Two names that differ only in case: the exact one, and no guess for a third spelling.
    expect((await h.call('jobs.create', { template: 'report' })).templateId).toBe(lower.id);
    expect(await h.fail('jobs.create', { template: 'Report' })).toMatchObject({ code: 'NOT_FOUND', message: 'no template named Report' });
    expect(await h.fail('jobs.create', { template: 'nope' })).toMatchObject({ code: 'NOT_FOUND', message: 'no template named nope', issues: [{ path: 'template' }] });
  });

  it('runs a template file without storing it, its secret values its own; a bad file or one of two templates is refused, named', async () => {
    const h = core();
    const content = ['apiVersion: jobdeck/v1', 'kind: Template', 'name: jc-file', 'image: busybox:1.36', 'command: echo hi', 'env:', '  TOKEN: { value: s3cret, secret: true }'].join('\n');
    const job = await h.call('jobs.create', { file: { name: 'jobs/jc-file.yaml', content } });
    expect(job).toMatchObject({ templateName: 'jc-file', origin: 'manual' });
    expect(job.templateId).toBeUndefined();
    expect(job.spec.env).toEqual([{ name: 'TOKEN', value: SECRET_MASK, secret: true }]);
    await started(h, job.id);
    expect(h.engines.runs(job.id)[0]!.req.env).toContain('TOKEN=s3cret');
    expect(await h.call('templates.list', {})).toEqual([]);

    expect(await h.fail('jobs.create', { file: { name: 'jobs/bad.yaml', content: 'name: x\nimage: busybox\n' } })).toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/^jobs\/bad\.yaml: apiVersion: missing/),
    });
    const two = `${content}\n---\n${content.replace('jc-file', 'jc-file-2')}`;
    expect(await h.fail('jobs.create', { file: { name: 'two.yaml', content: two } })).toMatchObject({
      code: 'VALIDATION',
      message: 'two.yaml holds 2 templates (jc-file, jc-file-2): import it and run one of them by name',
    });
    const badImage = content.replace('image: busybox:1.36', 'image: "Not An Image"');
    expect(await h.fail('jobs.create', { file: { name: 'img.yaml', content: badImage } })).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/^img\.yaml: image: /) });
  });

  it('refuses none or two of templateId, template and spec, an unknown template and an unknown upstream', async () => {
    const h = core();
    expect(await h.fail('jobs.create', {})).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('give exactly one of templateId, template, spec and file') });
    expect(await h.fail('jobs.create', { templateId: 'x', spec: inline('jc-both') })).toMatchObject({ code: 'VALIDATION' });
    expect(await h.fail('jobs.create', { template: 'x', spec: inline('jc-both') })).toMatchObject({ code: 'VALIDATION' });
    expect(await h.fail('jobs.create', { templateId: 'nope' })).toMatchObject({ code: 'NOT_FOUND', message: 'no template nope' });
    expect(await h.fail('jobs.create', { spec: inline('jc-dep'), dependsOn: ['ghost'] })).toMatchObject({ code: 'NOT_FOUND', message: 'dependsOn: no job ghost' });
    expect((await h.call('jobs.list', {})).total).toBe(0);
  });
});

describeCommand('jobs.list', () => {
  it('pages and filters the jobs, newest first', async () => {
    const h = core();
    const a = await create(h, 'jl-a');
    const b = await create(h, 'jl-b');
    const c = await create(h, 'jl-c');
    await started(h, a.id);
    await h.finish(a.id, { reason: 'Completed', exitCode: 0 });
    const all = await h.call('jobs.list', {});
    expect(all.total).toBe(3);
    expect(all.items.map((j) => j.id)).toEqual([c.id, b.id, a.id]);
    const page = await h.call('jobs.list', { limit: 1, offset: 1 });
    expect(page).toMatchObject({ total: 3, items: [{ id: b.id }] });
    expect((await h.call('jobs.list', { status: ['completed'] })).items.map((j) => j.id)).toEqual([a.id]);
    expect((await h.call('jobs.list', { text: 'jl-b' })).items.map((j) => j.templateName)).toEqual(['jl-b']);
    expect(await h.fail('jobs.list', { limit: 0 })).toMatchObject({ code: 'VALIDATION' });
  });
});

describeCommand('jobs.templateNames', () => {
  it('names every template that jobs carry, sorted, a deleted template\'s too', async () => {
    const h = core();
    const t = await h.call('templates.save', { spec: inline('jn-zeta') });
    await h.call('jobs.create', { templateId: t.id });
    await create(h, 'jn-alpha');
    await create(h, 'jn-alpha');
    await h.call('templates.delete', { id: t.id });
    expect(await h.call('jobs.templateNames', {})).toEqual(['jn-alpha', 'jn-zeta']);
  });
});

describeCommand('jobs.get', () => {
  it('gives the whole job with its attempts, and NOT_FOUND for an unknown id', async () => {
    const h = core();
    const job = await create(h, 'jg-one');
    await started(h, job.id);
    const got = await h.call('jobs.get', { id: job.id });
    expect(got).toMatchObject({ id: job.id, status: 'running', attempts: [{ number: 1, engineId: 'docker', status: 'running' }] });
    expect(await h.fail('jobs.get', { id: 'nope' })).toMatchObject({ code: 'NOT_FOUND', message: 'no job nope' });
    expect(await h.fail('jobs.get', { id: '' })).toMatchObject({ code: 'VALIDATION' });
  });
});

describeCommand('jobs.cancel', () => {
  it('stops a running job\'s container and cancels a pending one', async () => {
    const h = core();
    await h.call('queue.pause', {});
    const waiting = await create(h, 'jx-pending');
    expect(await h.call('jobs.cancel', { id: waiting.id })).toMatchObject({ status: 'cancelled', reason: 'Cancelled' });
    await h.call('queue.resume', {});
    const running = await create(h, 'jx-running');
    await started(h, running.id);
    await h.call('jobs.cancel', { id: running.id });
    expect(h.engines.runs(running.id)[0]!.stopped).toBe('Cancelled');
    expect(await h.job(running.id)).toMatchObject({ status: 'cancelled', reason: 'Cancelled' });
    expect(h.engines.runs(waiting.id)).toEqual([]);
    expect(await h.fail('jobs.cancel', { id: 'nope' })).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describeCommand('jobs.retry', () => {
  it('runs a failed job again as a new attempt, a cancelled one as a new job, and refuses others', async () => {
    const h = core();
    const job = await create(h, 'jr-one');
    await started(h, job.id);
    await h.finish(job.id, { reason: 'Error', exitCode: 1 });
    const again = await h.call('jobs.retry', { id: job.id });
    expect(again.id).toBe(job.id);
    // Queued again, and the scheduler may already have started it (nothing else is running).
    expect(['pending', 'running']).toContain(again.status);
    await h.until('the second attempt', () => h.engines.runs(job.id).length === 2);
    const done = await h.finish(job.id, { reason: 'Completed', exitCode: 0 });
    expect(done).toMatchObject({ status: 'completed', attempts: [{ number: 1, exitCode: 1 }, { number: 2, exitCode: 0 }] });
    expect(await h.fail('jobs.retry', { id: job.id })).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('this one is completed') });

    await h.call('queue.pause', {});
    const cancelled = await create(h, 'jr-two');
    await h.call('jobs.cancel', { id: cancelled.id });
    const fresh = await h.call('jobs.retry', { id: cancelled.id });
    expect(fresh).toMatchObject({ status: 'pending', origin: 'retry', templateName: 'jr-two' });
    expect(fresh.id).not.toBe(cancelled.id);
    await h.call('queue.resume', {});
  });
});

describeCommand('jobs.clone', () => {
  it('makes a new job of the same spec with the overrides given', async () => {
    const h = core();
    await h.call('queue.pause', {});
    const job = await create(h, 'jk-one', { env: [{ name: 'MODE', value: 'slow' }] });
    const clone = await h.call('jobs.clone', { id: job.id, overrides: { command: 'echo other', env: [{ name: 'MODE', value: 'fast' }], priority: 2 } });
    expect(clone).toMatchObject({ origin: 'clone', templateName: 'jk-one', priority: 2, status: 'pending' });
    expect(clone.id).not.toBe(job.id);
    expect(clone.spec).toMatchObject({ command: 'echo other', env: [{ name: 'MODE', value: 'fast' }] });
    expect((await h.call('jobs.get', { id: job.id })).spec).toMatchObject({ command: 'echo hi', env: [{ name: 'MODE', value: 'slow' }] });
    expect(await h.fail('jobs.clone', { id: 'nope' })).toMatchObject({ code: 'NOT_FOUND' });
    await h.call('queue.resume', {});
  });
});

describeCommand('jobs.reorder', () => {
  it('moves a pending job ahead of another and to another priority: the queue starts them in that order', async () => {
    const h = core();
    await h.call('settings.update', { concurrency: 1 });
    await h.call('queue.pause', {});
    const a = await create(h, 'jo-a');
    const b = await create(h, 'jo-b');
    const c = await create(h, 'jo-c');
    const moved = await h.call('jobs.reorder', { id: c.id, priority: 3, beforeId: a.id });
    expect(moved).toMatchObject({ id: c.id, priority: 3 });
    expect(moved.seq).toBeLessThan(a.seq);
    expect(await h.call('jobs.reorder', { id: b.id, priority: 5 })).toMatchObject({ id: b.id, priority: 5 });
    expect(h.events).toContainEqual({ name: 'job.updated', payload: expect.objectContaining({ id: b.id, priority: 5 }) });
    await h.call('queue.resume', {});
    for (const id of [c.id, a.id, b.id]) {
      await started(h, id);
      await h.finish(id, { reason: 'Completed', exitCode: 0 });
    }
    expect(startOrder(h)).toEqual([c.id, a.id, b.id]);
  });

  it('refuses to move a job that is not pending, or before one that does not exist', async () => {
    const h = core();
    const job = await create(h, 'jo-run');
    await started(h, job.id);
    expect(await h.fail('jobs.reorder', { id: job.id, priority: 1 })).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('this one is running') });
    await h.call('queue.pause', {});
    const waiting = await create(h, 'jo-wait');
    expect(await h.fail('jobs.reorder', { id: waiting.id, priority: 2, beforeId: 'ghost' })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await h.fail('jobs.reorder', { id: waiting.id, priority: 9 })).toMatchObject({ code: 'VALIDATION' });
    expect((await h.call('jobs.get', { id: waiting.id })).priority).toBe(3);
    await h.call('queue.resume', {});
  });
});

describeCommand('jobs.remove', () => {
  it('removes finished jobs with their logs and artifacts, and announces it', async () => {
    const h = core();
    const job = await create(h, 'jd-one');
    await started(h, job.id);
    h.engines.runs(job.id)[0]!.sink.log('stdout', 'hello\n', new Date(h.clock.now()).toISOString());
    await h.finish(job.id, { reason: 'Completed', exitCode: 0 });
    expect((await h.call('logs.read', { id: job.id })).size).toBeGreaterThan(0);
    expect(existsSync(join(h.dataDir, 'logs', job.id))).toBe(true);
    expect(await h.call('jobs.remove', { ids: [job.id] })).toEqual({ removed: 1 });
    expect(await h.fail('jobs.get', { id: job.id })).toMatchObject({ code: 'NOT_FOUND' });
    expect(existsSync(join(h.dataDir, 'logs', job.id))).toBe(false);
    expect(h.events).toContainEqual({ name: 'job.removed', payload: { ids: [job.id] } });
  });

  it('refuses an active job or an unknown id, removing nothing', async () => {
    const h = core();
    const done = await create(h, 'jd-done');
    await started(h, done.id);
    await h.finish(done.id, { reason: 'Completed', exitCode: 0 });
    const running = await create(h, 'jd-running');
    await started(h, running.id);
    expect(await h.fail('jobs.remove', { ids: [done.id, running.id] })).toMatchObject({
      code: 'CONFLICT',
      message: `job ${running.id} is running: cancel it before removing it`,
    });
    expect(await h.fail('jobs.remove', { ids: [done.id, 'ghost'] })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await h.fail('jobs.remove', { ids: [] })).toMatchObject({ code: 'VALIDATION' });
    const left: Job[] = await Promise.all([done.id, running.id].map((id) => h.call('jobs.get', { id })));
    expect(left.map((j) => j.status)).toEqual(['completed', 'running']);
  });
});
