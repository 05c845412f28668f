// Kubernetes Job semantics acted on by the scheduler (fake engines, fake clock): what runs, what
// is stopped, and where the job ends.
import { describe, expect, it } from 'vitest';
import type { TemplateSpecInput } from '../../src/shared/template';
import { harness, type FakeRun, type Harness } from '../support/fakes';

const runs = (h: Harness, id: string) => [...h.docker.runs, ...h.podman.runs].filter((r) => r.req.jobId === id);
const ended = new WeakSet<FakeRun>();
const live = (h: Harness, id: string) => h.liveRuns(id).filter((r) => !ended.has(r));
const finishIndex = async (h: Harness, id: string, index: number, o: Parameters<Harness['finish']>[1]) => {
  const run = live(h, id).find((r) => r.req.index === index);
  if (!run) throw new Error(`index ${index} of ${id} is not running`);
  ended.add(run);
  run.finish(o);
  await h.settle();
};
const indexed = (n: number, over: Partial<TemplateSpecInput> = {}): Partial<TemplateSpecInput> => ({ completions: n, parallelism: n, completionMode: 'Indexed', ...over });

describe('work queue: parallelism without completions', () => {
  it('starts `parallelism` containers, none after the first success, and completes when all have ended', async () => {
    const h = harness({ concurrency: 8 });
    const j = h.add({ parallelism: 3 });
    expect(live(h, j.id)).toHaveLength(3);
    await finishIndex(h, j.id, 1, { reason: 'Completed' });
    expect(h.job(j.id).status).toBe('running');
    expect(live(h, j.id)).toHaveLength(2);
    await finishIndex(h, j.id, 0, { reason: 'Error', exitCode: 1 });
    expect(live(h, j.id)).toHaveLength(1);
    await finishIndex(h, j.id, 2, { reason: 'Completed' });
    expect(h.job(j.id)).toMatchObject({ status: 'completed', reason: 'Completed' });
    expect(runs(h, j.id)).toHaveLength(3);
  });

  it('with completions, never more containers at once than completions still needed', async () => {
    const h = harness({ concurrency: 8 });
    const j = h.add({ completions: 3, parallelism: 5 });
    expect(live(h, j.id)).toHaveLength(3);
    await h.finish(j.id, { reason: 'Completed' });
    expect(live(h, j.id)).toHaveLength(2);
  });
});

describe('podFailurePolicy', () => {
  it('FailJob stops the job\'s other containers with cancel\'s stop and ends with reason PodFailurePolicy', async () => {
    const h = harness({ concurrency: 8 });
    const rules = [{ action: 'FailJob' as const, onExitCodes: { operator: 'In' as const, values: [42] } }];
    const j = h.add(indexed(3, { retry: { limit: 5 }, podFailurePolicy: { rules } }));
    await finishIndex(h, j.id, 1, { reason: 'Error', exitCode: 42 });
    expect(runs(h, j.id).filter((r) => r.stopped === 'Cancelled').map((r) => r.req.index)).toEqual([0, 2]);
    expect(h.job(j.id)).toMatchObject({ status: 'failed', reason: 'PodFailurePolicy', exitCode: 42, message: expect.stringContaining('FailJob rule 0') });
  });

  it('Ignore on DisruptionTarget: stopped by the app\'s shutdown, the job is pending again, nothing counted', async () => {
    const h = harness();
    const j = h.add({ podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] } });
    await h.scheduler.close(true);
    expect(h.job(j.id)).toMatchObject({ status: 'pending', failures: 0 });
  });

  it('without such a rule the shutdown cancels the job, as before', async () => {
    const h = harness();
    const j = h.add({});
    await h.scheduler.close(true);
    expect(h.job(j.id)).toMatchObject({ status: 'cancelled' });
  });
});

describe('successPolicy', () => {
  it('once a rule is met the job completes with SuccessCriteriaMet and the rest are stopped', async () => {
    const h = harness({ concurrency: 8 });
    const j = h.add(indexed(4, { successPolicy: { rules: [{ succeededIndexes: '0,2' }] } }));
    await finishIndex(h, j.id, 0, { reason: 'Completed' });
    expect(h.job(j.id).status).toBe('running');
    await finishIndex(h, j.id, 2, { reason: 'Completed' });
    expect(runs(h, j.id).filter((r) => r.stopped).map((r) => r.req.index)).toEqual([1, 3]);
    expect(h.job(j.id)).toMatchObject({ status: 'completed', reason: 'SuccessCriteriaMet', succeededIndexes: [0, 2] });
  });
});

describe('backoffLimitPerIndex', () => {
  it('a failed index does not stop the others; at the end the job fails with FailedIndexes', async () => {
    const h = harness({ concurrency: 8 });
    const j = h.add(indexed(3, { backoffLimitPerIndex: 1, retry: { limit: 0, backoffInitialSeconds: 1 } }));
    await finishIndex(h, j.id, 1, { reason: 'Error', exitCode: 1 });
    h.clock.advance(1000);
    expect(live(h, j.id).map((r) => r.req.index).sort()).toEqual([0, 1, 2]);
    await finishIndex(h, j.id, 1, { reason: 'Error', exitCode: 1 });
    expect(h.job(j.id)).toMatchObject({ status: 'running', failedIndexes: [1] });
    expect(runs(h, j.id).some((r) => r.stopped)).toBe(false);
    await finishIndex(h, j.id, 0, { reason: 'Completed' });
    await finishIndex(h, j.id, 2, { reason: 'Completed' });
    expect(h.job(j.id)).toMatchObject({ status: 'failed', reason: 'FailedIndexes', message: 'indexes 1 failed', succeededIndexes: [0, 2] });
    expect(runs(h, j.id)).toHaveLength(4);
  });

  it('past maxFailedIndexes the job fails and stops the rest', async () => {
    const h = harness({ concurrency: 8 });
    const j = h.add(indexed(3, { backoffLimitPerIndex: 0, maxFailedIndexes: 0 }));
    await finishIndex(h, j.id, 0, { reason: 'Error', exitCode: 1 });
    expect(h.job(j.id)).toMatchObject({ status: 'failed', reason: 'MaxFailedIndexesExceeded' });
    expect(runs(h, j.id).filter((r) => r.stopped)).toHaveLength(2);
  });
});

describe('suspend and resume', () => {
  it('a suspended job starts no container; resuming starts it', () => {
    const h = harness();
    const j = h.add({ suspend: true });
    expect(runs(h, j.id)).toHaveLength(0);
    h.scheduler.resume(j.id);
    expect(h.job(j.id)).toMatchObject({ status: 'running', suspended: false });
    expect(live(h, j.id)).toHaveLength(1);
  });

  it('suspending a running job stops its containers, keeps it pending, counts nothing, and its deadline starts afresh', async () => {
    const h = harness({ concurrency: 8 });
    const j = h.add(indexed(2, { timeoutSeconds: 60, retry: { limit: 0 } }));
    h.clock.advance(50_000);
    h.scheduler.suspend(j.id);
    await h.settle();
    expect(runs(h, j.id).map((r) => r.stopped)).toEqual(['Cancelled', 'Cancelled']);
    expect(h.job(j.id)).toMatchObject({ status: 'pending', suspended: true, failures: 0 });
    expect(h.job(j.id).startedAt).toBeUndefined();
    h.clock.advance(60_000);
    expect(h.job(j.id).status).toBe('pending');
    h.scheduler.resume(j.id);
    expect(live(h, j.id)).toHaveLength(2);
    h.clock.advance(30_000);
    expect(h.job(j.id).status).toBe('running');
    await finishIndex(h, j.id, 0, { reason: 'Completed' });
    await finishIndex(h, j.id, 1, { reason: 'Completed' });
    expect(h.job(j.id)).toMatchObject({ status: 'completed' });
  });

  it('refuses a finished job', async () => {
    const h = harness();
    const j = h.add({});
    await h.finish(j.id, { reason: 'Completed' });
    expect(() => h.scheduler.suspend(j.id)).toThrow(/only a pending or running job can be suspended; this one is completed/);
  });
});

describe('gaps found in the audit (issue 10)', () => {
  it('a podFailurePolicy rule naming an init container matches that init container\'s exit', async () => {
    const h = harness();
    const rules = [{ action: 'FailJob' as const, onExitCodes: { containerName: 'migrate', operator: 'In' as const, values: [3] } }];
    const j = h.add({ retry: { limit: 4 }, podFailurePolicy: { rules } });
    await h.finish(j.id, { reason: 'Error', exitCode: 3, containerName: 'migrate' });
    expect(h.job(j.id)).toMatchObject({ status: 'failed', reason: 'PodFailurePolicy', message: expect.stringContaining('container migrate failed with exit code 3') });
  });

  it('a per-index backoff holds only that index: the other indexes keep starting', async () => {
    const h = harness({ concurrency: 8 });
    // One at a time: index 0 fails and backs off 60 s; index 1 and 2 start meanwhile.
    const j = h.add({ completions: 3, parallelism: 1, completionMode: 'Indexed', backoffLimitPerIndex: 1, retry: { limit: 0, backoffInitialSeconds: 60 } });
    await finishIndex(h, j.id, 0, { reason: 'Error', exitCode: 1 });
    expect(live(h, j.id).map((r) => r.req.index)).toEqual([1]);
    await finishIndex(h, j.id, 1, { reason: 'Completed' });
    expect(live(h, j.id).map((r) => r.req.index)).toEqual([2]);
    await finishIndex(h, j.id, 2, { reason: 'Completed' });
    expect(live(h, j.id)).toHaveLength(0);
    h.clock.advance(59_000);
    expect(live(h, j.id), 'index 0 still waits out its backoff').toHaveLength(0);
    h.clock.advance(1_000);
    expect(live(h, j.id).map((r) => r.req.index)).toEqual([0]);
    await finishIndex(h, j.id, 0, { reason: 'Completed' });
    expect(h.job(j.id)).toMatchObject({ status: 'completed', succeededIndexes: [0, 1, 2] });
  });

  it('with parallelism, an index backing off does not hold back a running sibling\'s replacement', async () => {
    const h = harness({ concurrency: 8 });
    const j = h.add({ completions: 2, parallelism: 2, completionMode: 'Indexed', backoffLimitPerIndex: 2, retry: { limit: 0, backoffInitialSeconds: 60 } });
    await finishIndex(h, j.id, 0, { reason: 'Error', exitCode: 1 });
    await finishIndex(h, j.id, 1, { reason: 'Error', exitCode: 1 });
    h.clock.advance(60_000);
    expect(live(h, j.id).map((r) => r.req.index).sort()).toEqual([0, 1]);
    await finishIndex(h, j.id, 1, { reason: 'Error', exitCode: 1 });
    // Index 1 backs off 120 s now; index 0 still runs and its own failure backs off only index 0.
    expect(live(h, j.id).map((r) => r.req.index)).toEqual([0]);
    expect(h.job(j.id).notBefore).toBeUndefined();
  });
});
