import { describe, expect, it } from 'vitest';
import { backoffMs, mayRetry } from '../../src/main/core/scheduler/backoff';
import { RetryPolicy } from '../../src/shared/template';
import { harness } from '../support/fakes';

describe('scheduler: queue order and limits', () => {
  it('starts by priority, then first come first served, at concurrency 1', async () => {
    const h = harness({ concurrency: 1, queuePaused: true });
    const a = h.add({ name: 'a', priority: 3 });
    const b = h.add({ name: 'b', priority: 1 });
    const c = h.add({ name: 'c', priority: 2 });
    const d = h.add({ name: 'd', priority: 1 });
    h.settings.queuePaused = false;
    h.scheduler.pump();
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      const run = h.liveRuns();
      expect(run).toHaveLength(1);
      order.push(run[0]!.req.jobId);
      await h.finish(run[0]!.req.jobId, { reason: 'Completed' });
    }
    expect(order).toEqual([b.id, d.id, c.id, a.id]);
  });

  it('never runs more containers than the global concurrency limit', () => {
    const h = harness({ concurrency: 2 });
    for (let i = 0; i < 5; i++) h.add();
    expect(h.liveRuns()).toHaveLength(2);
    expect([...h.jobs.values()].filter((j) => j.status === 'pending')).toHaveLength(3);
  });

  it('honours a per-engine limit while other engines take the rest', () => {
    const h = harness({ concurrency: 4 });
    h.engines[0]!.limit = 1;
    for (let i = 0; i < 3; i++) h.add({ engine: 'docker' });
    for (let i = 0; i < 2; i++) h.add({ engine: 'podman' });
    expect(h.liveRuns().filter((r) => h.docker.runs.includes(r))).toHaveLength(1);
    expect(h.liveRuns().filter((r) => h.podman.runs.includes(r))).toHaveLength(2);
  });

  it('starts nothing while paused and drains on resume', () => {
    const h = harness({ concurrency: 2, queuePaused: true });
    h.add();
    h.add();
    expect(h.liveRuns()).toHaveLength(0);
    expect(h.scheduler.queueState()).toMatchObject({ paused: true, pending: 2, running: 0 });
    h.settings.queuePaused = false;
    h.scheduler.pump();
    expect(h.liveRuns()).toHaveLength(2);
  });
});

describe('scheduler: retries with exponential backoff (fake clock)', () => {
  it('computes initial × factor^(n-1) capped at the maximum', () => {
    const p = RetryPolicy.parse({ limit: 10, backoffInitialSeconds: 10, backoffFactor: 2, backoffMaxSeconds: 60 });
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(p, n))).toEqual([10_000, 20_000, 40_000, 60_000, 60_000]);
  });

  it('waits out each backoff before the next attempt and succeeds on attempt 3', async () => {
    const h = harness();
    const j = h.add({ retry: { limit: 3, backoffInitialSeconds: 10, backoffFactor: 2 } });
    await h.finish(j.id, { reason: 'Error', exitCode: 1 });
    expect(h.job(j.id)).toMatchObject({ status: 'pending', failures: 1 });
    h.clock.advance(9_999);
    expect(h.liveRuns(j.id)).toHaveLength(0);
    h.clock.advance(1);
    expect(h.liveRuns(j.id)).toHaveLength(1);
    await h.finish(j.id, { reason: 'Error', exitCode: 1 });
    h.clock.advance(19_999);
    expect(h.liveRuns(j.id)).toHaveLength(0);
    h.clock.advance(1);
    expect(h.liveRuns(j.id)).toHaveLength(1);
    await h.finish(j.id, { reason: 'Completed' });
    const done = h.job(j.id);
    expect(done).toMatchObject({ status: 'completed', reason: 'Completed', exitCode: 0 });
    expect(done.attempts.map((a) => a.status)).toEqual(['failed', 'failed', 'succeeded']);
  });

  it('fails for good once the retry limit is used up', async () => {
    const h = harness();
    const j = h.add({ retry: { limit: 1, backoffInitialSeconds: 1 } });
    await h.finish(j.id, { reason: 'Error', exitCode: 2 });
    h.clock.advance(1000);
    await h.finish(j.id, { reason: 'Error', exitCode: 4 });
    expect(h.job(j.id)).toMatchObject({ status: 'failed', reason: 'Error', exitCode: 4, failures: 2 });
  });

  it('never retries exit codes 125, 126 and 127 by default', async () => {
    const h = harness();
    const j = h.add({ retry: { limit: 5 } });
    await h.finish(j.id, { reason: 'Error', exitCode: 127 });
    expect(h.job(j.id)).toMatchObject({ status: 'failed', exitCode: 127 });
    expect(mayRetry(RetryPolicy.parse({ limit: 5 }), 1, 126, 'Error')).toBe(false);
    expect(mayRetry(RetryPolicy.parse({ limit: 5, neverRetryExitCodes: [] }), 1, 126, 'Error')).toBe(true);
  });

  it('does not retry an image that could not be pulled', async () => {
    const h = harness();
    const j = h.add({ retry: { limit: 5 } });
    await h.finish(j.id, { reason: 'ImagePullFailed', message: 'no such image' });
    expect(h.job(j.id)).toMatchObject({ status: 'failed', reason: 'ImagePullFailed', message: 'no such image' });
  });
});

describe('scheduler: dependencies', () => {
  it('holds a job until the job it depends on completes', async () => {
    const h = harness({ concurrency: 4 });
    const parent = h.add({ name: 'parent' });
    const child = h.add({ name: 'child' }, { dependsOn: [parent.id] });
    expect(h.liveRuns(child.id)).toHaveLength(0);
    await h.finish(parent.id, { reason: 'Completed' });
    expect(h.liveRuns(child.id)).toHaveLength(1);
  });

  it('cancels a dependency chain with UpstreamFailed when the parent fails', async () => {
    const h = harness({ concurrency: 4 });
    const parent = h.add({ name: 'parent' });
    const child = h.add({ name: 'child' }, { dependsOn: [parent.id] });
    const grandchild = h.add({ name: 'grandchild' }, { dependsOn: [child.id] });
    await h.finish(parent.id, { reason: 'Error', exitCode: 3 });
    expect(h.job(parent.id)).toMatchObject({ status: 'failed', exitCode: 3 });
    expect(h.job(child.id)).toMatchObject({ status: 'cancelled', reason: 'UpstreamFailed' });
    expect(h.job(grandchild.id)).toMatchObject({ status: 'cancelled', reason: 'UpstreamFailed' });
    expect(h.job(child.id).attempts).toHaveLength(0);
  });

  it('lets a child wait while its parent retries', async () => {
    const h = harness({ concurrency: 4 });
    const parent = h.add({ name: 'parent', retry: { limit: 1, backoffInitialSeconds: 5 } });
    const child = h.add({ name: 'child' }, { dependsOn: [parent.id] });
    await h.finish(parent.id, { reason: 'Error', exitCode: 1 });
    expect(h.job(child.id).status).toBe('pending');
    h.clock.advance(5000);
    await h.finish(parent.id, { reason: 'Completed' });
    expect(h.liveRuns(child.id)).toHaveLength(1);
  });
});

describe('scheduler: deadlines and cancel', () => {
  it('stops a job at its timeout and ends it with DeadlineExceeded', async () => {
    const h = harness();
    const j = h.add({ timeoutSeconds: 5 });
    h.clock.advance(4_999);
    expect(h.job(j.id).status).toBe('running');
    h.clock.advance(1);
    await h.settle();
    expect(h.docker.runs[0]!.stopped).toBe('DeadlineExceeded');
    expect(h.job(j.id)).toMatchObject({ status: 'failed', reason: 'DeadlineExceeded', exitCode: 143 });
  });

  it('counts the deadline across attempts, as activeDeadlineSeconds does', async () => {
    const h = harness();
    const j = h.add({ timeoutSeconds: 30, retry: { limit: 5, backoffInitialSeconds: 20 } });
    h.clock.advance(15_000);
    await h.finish(j.id, { reason: 'Error', exitCode: 1 });
    expect(h.job(j.id).status).toBe('pending');
    h.clock.advance(15_000); // deadline passes during the backoff
    await h.settle();
    expect(h.job(j.id)).toMatchObject({ status: 'failed', reason: 'DeadlineExceeded' });
    expect(h.job(j.id).attempts).toHaveLength(1);
  });

  it('cancels a pending job without starting it', () => {
    const h = harness({ queuePaused: true });
    const j = h.add();
    h.scheduler.cancel(j.id);
    expect(h.job(j.id)).toMatchObject({ status: 'cancelled', reason: 'Cancelled' });
    h.settings.queuePaused = false;
    h.scheduler.pump();
    expect(h.liveRuns()).toHaveLength(0);
  });

  it('cancels a running job by stopping its container, and frees the slot', async () => {
    const h = harness({ concurrency: 1 });
    const j = h.add();
    const next = h.add();
    h.scheduler.cancel(j.id);
    await h.settle();
    expect(h.docker.runs[0]!.stopped).toBe('Cancelled');
    expect(h.job(j.id)).toMatchObject({ status: 'cancelled', reason: 'Cancelled' });
    expect(h.liveRuns(next.id)).toHaveLength(1);
  });
});

describe('scheduler: parallel and indexed jobs', () => {
  it('runs completions with at most `parallelism` at once, each with its index', async () => {
    const h = harness({ concurrency: 8 });
    const j = h.add({ completions: 3, parallelism: 2, completionMode: 'Indexed' });
    expect(h.liveRuns(j.id).map((r) => r.req.index)).toEqual([0, 1]);
    await h.finish(j.id, { reason: 'Completed' });
    expect(h.liveRuns(j.id).map((r) => r.req.index).sort()).toEqual([1, 2]);
    await h.finish(j.id, { reason: 'Completed' });
    expect(h.job(j.id).status).toBe('running');
    await h.finish(j.id, { reason: 'Completed' });
    expect(h.job(j.id)).toMatchObject({ status: 'completed', succeededIndexes: [0, 1, 2] });
  });

  it('fails the whole job and stops the other indexes when one fails past its limit', async () => {
    const h = harness({ concurrency: 8 });
    const j = h.add({ completions: 2, parallelism: 2 });
    await h.finish(j.id, { reason: 'Error', exitCode: 9 });
    await h.settle();
    expect(h.job(j.id)).toMatchObject({ status: 'failed', exitCode: 9 });
    expect(h.docker.runs.concat(h.podman.runs).filter((r) => r.stopped === 'Cancelled')).toHaveLength(1);
  });
});

describe('scheduler: engines', () => {
  it('keeps a job pending, not failed, while its engine is unavailable', () => {
    const h = harness();
    h.engines[0]!.available = false;
    const j = h.add({ engine: 'docker' });
    expect(h.job(j.id)).toMatchObject({ status: 'pending', waitingFor: 'docker' });
    h.engines[0]!.available = true;
    h.scheduler.pump();
    expect(h.job(j.id).status).toBe('running');
    expect(h.job(j.id).waitingFor).toBeUndefined();
  });

  it('puts a job back in the queue without counting a failure when the engine was unreachable', async () => {
    const h = harness();
    const j = h.add({ engine: 'docker' });
    await h.finish(j.id, { reason: 'EngineUnavailable', message: 'connect ENOENT' });
    expect(h.job(j.id)).toMatchObject({ status: 'pending', failures: 0, waitingFor: 'docker' });
  });

  it('retries by policy when the engine is lost mid-run', async () => {
    const h = harness();
    const j = h.add({ engine: 'any', retry: { limit: 2, backoffInitialSeconds: 1 } });
    await h.finish(j.id, { reason: 'EngineLost', message: 'socket hang up' });
    expect(h.engines[0]!.available).toBe(false);
    expect(h.job(j.id)).toMatchObject({ status: 'pending', failures: 1 });
    h.clock.advance(1000);
    expect(h.liveRuns(j.id)[0]?.req.jobId).toBe(j.id);
    expect(h.podman.runs).toHaveLength(1);
  });
});

describe('scheduler: what a crash at any moment finds on disk', () => {
  it('the attempt is persisted before the container may be created, so a restart finds it by its labels', async () => {
    const h = harness();
    const job = h.add();
    const run = h.liveRuns(job.id)[0]!;
    expect(run.req.persisted).toBeTypeOf('function');
    const before = h.persisted.length;
    await run.req.persisted!();
    expect(h.persisted.length).toBe(before + 1);
    const onDisk = h.persisted.at(-1)!.find((j) => j.id === job.id)!;
    expect(onDisk.status).toBe('running');
    expect(onDisk.attempts).toEqual([expect.objectContaining({ number: 1, engineId: 'docker' })]);
  });

  it('the exit code is persisted before the container is removed, while the outcome is still to be decided', async () => {
    const h = harness();
    const job = h.add();
    const run = h.liveRuns(job.id)[0]!;
    const finishedAt = new Date().toISOString();
    await run.sink.exited!({ exitCode: 3, reason: 'Error', finishedAt });
    const onDisk = h.persisted.at(-1)!.find((j) => j.id === job.id)!;
    expect(onDisk.status).toBe('running');
    expect(onDisk.attempts[0]).toMatchObject({ exitCode: 3, finishedAt });
    run.finish({ reason: 'Error', exitCode: 3, finishedAt });
    await h.settle();
    expect(h.job(job.id)).toMatchObject({ status: 'failed', exitCode: 3 });
  });
});

describe('scheduler: an attempt that never got its container (the app died first)', () => {
  it('is forgotten: the job waits again and its next attempt takes the same number', () => {
    const h = harness({ queuePaused: true });
    const attempt = { number: 1, index: 0, engineId: 'docker', status: 'starting' as const, createdAt: new Date().toISOString(), logBytes: 0, logTruncated: false, artifacts: [] };
    const job = h.add({}, { status: 'running', startedAt: attempt.createdAt, attempts: [attempt] });
    h.scheduler.forget(job.id, 1);
    expect(h.job(job.id)).toMatchObject({ status: 'pending', attempts: [] });
    expect(h.job(job.id).startedAt).toBeUndefined();
    h.settings.queuePaused = false;
    h.scheduler.pump();
    expect(h.liveRuns(job.id).map((r) => r.req.attempt)).toEqual([1]);
    expect(h.job(job.id).failures).toBe(0);
  });
});
