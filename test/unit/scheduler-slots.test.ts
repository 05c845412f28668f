import { describe, expect, it } from 'vitest';
import { harness } from '../support/fakes';

// Dispatch (issue 9): a container that has exited, its exit on disk, runs no more; the next job
// takes its slot while it is being removed, but the job itself ends only once it is gone.
describe('scheduler: a slot is free once the container has exited', () => {
  it('starts the next job when the exit is recorded, before the attempt (its removal) ends', async () => {
    const h = harness({ concurrency: 1 });
    const a = h.add({ name: 'a' });
    const b = h.add({ name: 'b' });
    const [runA] = h.liveRuns();
    expect(runA!.req.jobId).toBe(a.id);
    expect(h.docker.runs.length + h.podman.runs.length).toBe(1);

    await runA!.sink.exited!({ exitCode: 0, reason: 'Completed', finishedAt: new Date().toISOString() });
    // The exit is on disk before the next job starts (a crash keeps it).
    expect(h.persisted.at(-1)!.find((j) => j.id === a.id)!.attempts[0]!.exitCode).toBe(0);
    const started = [...h.docker.runs, ...h.podman.runs].map((r) => r.req.jobId);
    expect(started).toEqual([a.id, b.id]);
    expect(h.scheduler.runningAttempts()).toBe(1);
    // Still being removed: not ended yet.
    expect(h.job(a.id).status).toBe('running');
    expect(h.scheduler.isLive(a.id)).toBe(true);

    await h.finish(a.id, { reason: 'Completed', exitCode: 0 });
    expect(h.job(a.id).status).toBe('completed');
    expect(h.scheduler.runningAttempts()).toBe(1);
  });

  it('an exit without a code (the engine lost) frees nothing early', async () => {
    const h = harness({ concurrency: 1 });
    const a = h.add({ name: 'a' });
    h.add({ name: 'b' });
    const [runA] = h.liveRuns();
    await runA!.sink.exited!({ exitCode: null, reason: 'EngineLost', finishedAt: new Date().toISOString() });
    expect([...h.docker.runs, ...h.podman.runs].map((r) => r.req.jobId)).toEqual([a.id]);
  });
});
