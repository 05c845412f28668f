// Issue 12: a job's end is told at its container's exit (as `docker run --rm` returns then), while
// the engine's slot stays taken until the container's removal has finished.
import { describe, expect, it } from 'vitest';
import { harness } from '../support/fakes';

describe('scheduler: the end is told before the container is removed', () => {
  it('ends the job while the removal is pending, and starts the next only once it is done', async () => {
    const h = harness({ concurrency: 2 });
    h.docker.removal = 'held';
    h.engines[0]!.limit = 1;
    const a = h.add({ name: 'a', engine: 'docker' });
    const b = h.add({ name: 'b', engine: 'docker' });
    expect(h.liveRuns().map((r) => r.req.jobId)).toEqual([a.id]);
    const run = h.liveRuns(a.id)[0]!;

    await h.finish(a.id, { reason: 'Completed' });
    expect(h.job(a.id)).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(run.removed, 'the removal is still pending').toBeTypeOf('function');
    // The slot is the removal's until it is done: b waits, and the engine counts the container.
    expect(h.job(b.id).status).toBe('pending');
    expect(h.liveRuns()).toHaveLength(0);
    expect(h.scheduler.runningAttempts('docker', true)).toBe(1);
    expect(h.scheduler.runningAttempts(undefined, true)).toBe(1);
    // Not running, though: what the user is told is running (metrics, engines, quit) leaves it out.
    expect(h.scheduler.runningAttempts('docker')).toBe(0);
    expect(h.scheduler.runningAttempts()).toBe(0);
    h.scheduler.pump();
    expect(h.liveRuns()).toHaveLength(0);

    run.removed!();
    await h.settle();
    expect(h.scheduler.runningAttempts('docker')).toBe(1);
    expect(h.liveRuns().map((r) => r.req.jobId)).toEqual([b.id]);
  });

  it('holds the global limit too, and a retry waits for the failed attempt\'s removal', async () => {
    const h = harness({ concurrency: 1 });
    h.docker.removal = 'held';
    const a = h.add({ engine: 'docker', retry: { limit: 1, backoffInitialSeconds: 0 } });
    const first = h.liveRuns(a.id)[0]!;
    await h.finish(a.id, { reason: 'Error', exitCode: 1 });
    expect(h.job(a.id).attempts[0]).toMatchObject({ exitCode: 1 });
    h.clock.advance(60_000);
    expect(h.liveRuns(a.id), 'no second container beside the first').toHaveLength(0);
    first.removed!();
    await h.settle();
    h.clock.advance(60_000);
    expect(h.liveRuns(a.id)).toHaveLength(1);
  });

  it('close() waits for the removals under way', async () => {
    const h = harness({ concurrency: 1 });
    h.docker.removal = 'held';
    const a = h.add({ engine: 'docker' });
    const run = h.liveRuns(a.id)[0]!;
    await h.finish(a.id, { reason: 'Completed' });
    let closed = false;
    const closing = h.scheduler.close(false).then(() => (closed = true));
    await h.settle();
    expect(closed).toBe(false);
    run.removed!();
    await closing;
    expect(closed).toBe(true);
  });

  it('records the exit durably before the end is told', async () => {
    const h = harness({ concurrency: 1 });
    h.docker.removal = 'held';
    const a = h.add({ engine: 'docker' });
    const run = h.liveRuns(a.id)[0]!;
    await run.sink.exited!({ exitCode: 0, reason: 'Completed', finishedAt: new Date(h.clock.now()).toISOString() });
    const onDisk = h.persisted.at(-1)!.find((j) => j.id === a.id)!;
    expect(onDisk.status).toBe('running');
    expect(onDisk.attempts[0]).toMatchObject({ exitCode: 0 });
    await h.finish(a.id, { reason: 'Completed' });
    expect(h.job(a.id).status).toBe('completed');
  });

  it('frees the slot only after the outcome is recorded: nothing starts on an engine just lost', async () => {
    const h = harness({ concurrency: 2 });
    h.docker.removal = 'at-once';
    h.engines[0]!.limit = 1;
    const a = h.add({ engine: 'docker', retry: { limit: 1, backoffInitialSeconds: 0 } });
    const b = h.add({ engine: 'docker' });
    await h.finish(a.id, { reason: 'EngineLost', message: 'engine unreachable' });
    expect(h.engines[0]!.available).toBe(false);
    expect(h.job(b.id)).toMatchObject({ status: 'pending', attempts: [] });
    expect(h.liveRuns()).toHaveLength(0);
  });
});
