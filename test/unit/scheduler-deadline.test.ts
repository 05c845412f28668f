import { describe, expect, it } from 'vitest';
import { harness } from '../support/fakes';

// A job's deadline (timeoutSeconds) is per run, as Kubernetes' activeDeadlineSeconds is per Job:
// the automatic retries of one run share it; a manual retry is a new run with a new deadline.
describe('scheduler: a manual retry starts a new deadline', () => {
  it('runs a retry made long after the first run failed, and times it from its own start', async () => {
    const h = harness();
    const j = h.add({ timeoutSeconds: 60 });
    const firstStart = h.job(j.id).startedAt;
    await h.finish(j.id, { reason: 'Error', exitCode: 1 });
    expect(h.job(j.id)).toMatchObject({ status: 'failed', reason: 'Error' });

    h.clock.advance(10 * 60_000);
    h.scheduler.retry(j.id);
    h.clock.advance(0); // a deadline already past would fire now
    await h.settle();
    expect(h.liveRuns(j.id)).toHaveLength(1);
    const retried = h.job(j.id);
    expect(retried.status).toBe('running');
    expect(retried.reason).toBeUndefined();
    // startedAt means "this run's start": the retry's, not the first run's.
    expect(retried.startedAt).toBe(new Date(h.clock.now()).toISOString());
    expect(retried.startedAt).not.toBe(firstStart);

    h.clock.advance(59_000);
    await h.settle();
    expect(h.job(j.id).status).toBe('running');
    await h.finish(j.id, { reason: 'Completed' });
    expect(h.job(j.id)).toMatchObject({ status: 'completed', reason: 'Completed' });
    expect(h.job(j.id).attempts.map((a) => a.status)).toEqual(['failed', 'succeeded']);
  });

  it('still times out a retried run at its own start + timeout', async () => {
    const h = harness();
    const j = h.add({ timeoutSeconds: 60 });
    await h.finish(j.id, { reason: 'Error', exitCode: 1 });
    h.clock.advance(10 * 60_000);
    h.scheduler.retry(j.id);
    h.clock.advance(59_999);
    await h.settle();
    expect(h.job(j.id).status).toBe('running');
    h.clock.advance(1);
    await h.settle();
    expect(h.job(j.id)).toMatchObject({ status: 'failed', reason: 'DeadlineExceeded' });
    expect(h.job(j.id).attempts).toHaveLength(2);
  });

  it('the automatic retries of one run share one deadline: start + timeout', async () => {
    const h = harness();
    const j = h.add({ timeoutSeconds: 60, retry: { limit: 5, backoffInitialSeconds: 1, backoffFactor: 1 } });
    const start = h.clock.now();
    for (let i = 0; i < 3; i++) {
      h.clock.advance(10_000);
      await h.finish(j.id, { reason: 'Error', exitCode: 1 });
      h.clock.advance(1_000); // the backoff; the next attempt starts
      await h.settle();
    }
    expect(h.job(j.id).status).toBe('running');
    expect(h.job(j.id).attempts).toHaveLength(4);
    h.clock.advance(start + 60_000 - h.clock.now() - 1);
    await h.settle();
    expect(h.job(j.id).status).toBe('running');
    h.clock.advance(1);
    await h.settle();
    expect(h.job(j.id)).toMatchObject({ status: 'failed', reason: 'DeadlineExceeded' });
    expect(h.job(j.id).finishedAt).toBe(new Date(start + 60_000).toISOString());
  });

  it('refuses to retry a job that has not failed', () => {
    const h = harness();
    const j = h.add();
    expect(() => h.scheduler.retry(j.id)).toThrow(/running/);
  });
});
