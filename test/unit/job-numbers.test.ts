// The job numbers every view shows, each defined once in src/shared/jobNumbers.ts: table tests.
import { describe, expect, it } from 'vitest';
import type { Attempt, Job } from '../../src/shared/job';
import {
  attemptDurationMs,
  attemptLabel,
  currentRun,
  jobDurationMs,
  jobSpan,
  retriesOf,
  spanMs,
} from '../../src/shared/jobNumbers';
import { spec, storedJob } from '../support/fakes';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

function attempt(number: number, over: Partial<Attempt> = {}): Attempt {
  return {
    number,
    index: 0,
    engineId: 'docker',
    status: 'succeeded',
    createdAt: at(number * 100),
    startedAt: at(number * 100 + 2),
    finishedAt: at(number * 100 + 12),
    logBytes: 0,
    logTruncated: false,
    artifacts: [],
    ...over,
  };
}

function job(attempts: Attempt[], over: Partial<Job> = {}, limit = 1): Job {
  return storedJob({
    status: 'completed',
    spec: spec({ retry: { limit } }),
    startedAt: attempts[0]?.createdAt,
    finishedAt: at(10_000),
    attempts,
    ...over,
  });
}

describe('spanMs: the one duration function', () => {
  it.each([
    ['a closed span', { from: at(0), to: at(5) }, undefined, 5000],
    ['an open span counts to now', { from: at(0) }, T0 + 7000, 7000],
    ['an open span without now is unknown', { from: at(0) }, undefined, null],
    ['no start', { to: at(5) }, undefined, null],
    ['an end before the start', { from: at(5), to: at(0) }, undefined, null],
    ["Docker's zero time as an end", { from: at(0), to: '0001-01-01T00:00:00Z' }, undefined, null],
    ['garbage', { from: 'yesterday', to: at(1) }, undefined, null],
  ])('%s', (_name, span, now, expected) => {
    expect(spanMs(span, now)).toBe(expected);
  });
});

describe('durations: a job and its attempts agree', () => {
  it.each([
    ['one attempt: the job is exactly its attempt', [attempt(1)], 10_000],
    ['a retry: first start to last end', [attempt(1, { status: 'failed', reason: 'Error' }), attempt(2)], 110_000],
    ['an attempt that never started a container counts from its creation', [attempt(1, { startedAt: undefined })], 12_000],
  ])('%s', (_name, attempts, expected) => {
    const j = job(attempts);
    expect(jobDurationMs(j)).toBe(expected);
    if (attempts.length === 1) expect(jobDurationMs(j)).toBe(attemptDurationMs(attempts[0]!));
  });

  it('does not use the job stamps (set when the attempt was created and when the job was saved)', () => {
    // Before: the job page said finishedAt - startedAt of the job (10 000 s here), the attempt 10 s.
    const j = job([attempt(1)]);
    expect(jobDurationMs(j)).toBe(attemptDurationMs(j.attempts[0]!));
    expect(jobSpan(j)).toEqual({ from: j.attempts[0]!.startedAt, to: j.attempts[0]!.finishedAt });
  });

  it('a running attempt counts to now, and so does its job; a finished one without an end is unknown', () => {
    const live = attempt(1, { status: 'running', finishedAt: undefined });
    const now = T0 + 130_000;
    expect(attemptDurationMs(live, now)).toBe(28_000);
    expect(jobDurationMs(job([live], { status: 'running' }), now)).toBe(28_000);
    expect(attemptDurationMs(attempt(1, { status: 'failed', finishedAt: undefined }), now)).toBeNull();
  });

  it('a pending job with no attempt has no duration', () => {
    expect(jobDurationMs(job([], { status: 'pending', startedAt: undefined }), T0)).toBeNull();
  });

  it('after a manual retry, whichever start the job carries', () => {
    const old = [attempt(1, { status: 'failed', reason: 'Error' }), attempt(2, { status: 'failed', reason: 'Error' })];
    const fresh = attempt(3);
    // The job's startedAt at its first run (older stores) or moved to the manual retry's start.
    const keptStart = job([...old, fresh], { startedAt: old[0]!.createdAt });
    const movedStart = job([...old, fresh], { startedAt: fresh.createdAt });
    expect(jobDurationMs(keptStart)).toBe(Date.parse(fresh.finishedAt!) - Date.parse(old[0]!.startedAt!));
    expect(currentRun(movedStart).map((a) => a.number)).toEqual([3]);
    expect(jobDurationMs(movedStart)).toBe(attemptDurationMs(fresh));
    // Moved to the moment its container started, after its creation: still in the run.
    const startedLate = job([...old, fresh], { startedAt: fresh.startedAt });
    expect(jobDurationMs(startedLate)).toBe(attemptDurationMs(fresh));
  });
});

describe('retries: attempts started again after a failure, not failures', () => {
  const failed = (n: number, over: Partial<Attempt> = {}) => attempt(n, { status: 'failed', reason: 'Error', exitCode: 1, ...over });
  it.each<[string, Attempt[], Partial<Job>, number, number]>([
    ['one attempt that succeeded', [attempt(1)], {}, 1, 0],
    ['failed once, succeeded on the retry', [failed(1), attempt(2)], { failures: 1 }, 1, 1],
    // The bug: the job page showed `failures` (2) against the limit: "2 / 1".
    ['failed, retried, failed again: one retry', [failed(1), failed(2)], { status: 'failed', failures: 2 }, 1, 1],
    ['failed with no retry allowed', [failed(1)], { status: 'failed', failures: 1 }, 0, 0],
    ['three retries of three', [failed(1), failed(2), failed(3), failed(4)], { status: 'failed', failures: 4 }, 3, 3],
    ['the engine was unavailable: not a failure, the next attempt is no retry', [failed(1, { reason: 'EngineUnavailable' }), attempt(2)], {}, 1, 0],
    ['Indexed: index 1 failed once', [attempt(1, { index: 0 }), failed(2, { index: 1 }), attempt(3, { index: 1 }), attempt(4, { index: 2 })], {}, 2, 1],
  ])('%s', (_name, attempts, over, limit, used) => {
    const r = retriesOf(job(attempts, over, limit));
    expect(r).toEqual({ used, limit });
  });

  it('says when the next retry may start while the job waits out its backoff', () => {
    const j = job([failed(1)], { status: 'pending', notBefore: at(500), failures: 1 });
    expect(retriesOf(j)).toEqual({ used: 0, limit: 1, nextAt: at(500) });
  });

  it('a manual retry that moves the start begins a fresh count', () => {
    const attempts = [failed(1), failed(2), attempt(3)];
    expect(retriesOf(job(attempts, { startedAt: attempts[2]!.createdAt })).used).toBe(0);
  });
});

describe('attempt labels', () => {
  const indexed = (attempts: Attempt[]) =>
    storedJob({ spec: spec({ completions: 3, completionMode: 'Indexed' }), attempts });
  it.each<[string, Job, number, string]>([
    ['a plain job: its number', job([attempt(1), attempt(2)]), 1, 'Attempt 2'],
    ['NonIndexed completions: its number', storedJob({ spec: spec({ completions: 3 }), attempts: [attempt(1), attempt(2, { index: 1 })] }), 1, 'Attempt 2'],
    ['Indexed: index and try', indexed([attempt(1), attempt(2, { index: 1 }), attempt(3, { index: 2 })]), 2, 'index 2 · attempt 1'],
    ['Indexed, a retried index', indexed([attempt(1, { index: 1, status: 'failed' }), attempt(2, { index: 0 }), attempt(3, { index: 1 })]), 2, 'index 1 · attempt 2'],
  ])('%s', (_name, j, i, label) => {
    expect(attemptLabel(j, j.attempts[i]!)).toBe(label);
  });
});
