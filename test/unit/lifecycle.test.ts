import { describe, expect, it } from 'vitest';
import { describeExit } from '../../src/shared/exitCodes';
import { assertTransition, canTransition, JobStatus, TransitionError } from '../../src/shared/job';
import { goneOutcome } from '../../src/main/core/reconcile';

describe('job lifecycle: the one transition table', () => {
  const allowed = [
    ['pending', 'running'],
    ['pending', 'cancelled'],
    ['pending', 'failed'],
    ['running', 'completed'],
    ['running', 'failed'],
    ['running', 'cancelled'],
    ['failed', 'pending'],
  ];
  for (const from of JobStatus.options) {
    for (const to of JobStatus.options) {
      const ok = allowed.some(([f, t]) => f === from && t === to);
      it(`${ok ? 'allows' : 'refuses'} ${from} → ${to}`, () => {
        expect(canTransition(from, to)).toBe(ok);
        if (!ok) expect(() => assertTransition(from, to)).toThrow(TransitionError);
      });
    }
  }
});

describe('exit-code meanings', () => {
  it.each([
    [0, undefined, 'success', 'succeeded'],
    [1, 'Error', 'error', 'general error'],
    [125, 'Error', 'error', 'the engine could not run the container'],
    [126, 'Error', 'error', 'command found but not executable'],
    [127, 'Error', 'error', 'command not found'],
    [137, 'Error', 'error', 'killed (SIGKILL)'],
    [143, 'Error', 'warning', 'terminated (SIGTERM)'],
  ] as const)('exit %s (%s) reads as %s: %s', (code, reason, tone, meaning) => {
    expect(describeExit(code, reason)).toMatchObject({ tone, meaning });
  });

  it('says OOMKilled rather than just 137 when the engine says so', () => {
    expect(describeExit(137, 'OOMKilled')).toMatchObject({ label: '137 OOMKilled', tone: 'error' });
  });

  it('names reasons that have no exit code', () => {
    expect(describeExit(null, 'UpstreamFailed').meaning).toMatch(/depends on/);
    expect(describeExit(null, 'ImagePullFailed').tone).toBe('error');
  });
});

describe('reconcile: an attempt whose container is gone at start-up', () => {
  const base = { number: 1, index: 0, engineId: 'docker', status: 'running' as const, createdAt: '2026-01-01T00:00:00Z', logBytes: 0, logTruncated: false, artifacts: [] };
  it('keeps the exit recorded before the app died between the exit and the removal', () => {
    expect(goneOutcome({ ...base, exitCode: 7, finishedAt: '2026-01-01T00:00:09Z' }, true, 0)).toMatchObject({ exitCode: 7, reason: 'Error', finishedAt: '2026-01-01T00:00:09Z' });
    expect(goneOutcome({ ...base, exitCode: 0, finishedAt: '2026-01-01T00:00:09Z' }, true, 0)).toMatchObject({ exitCode: 0, reason: 'Completed' });
  });
  it('says EngineLost, and why, when nothing was recorded', () => {
    expect(goneOutcome(base, true, 0)).toMatchObject({ exitCode: null, reason: 'EngineLost', message: expect.stringMatching(/container was gone/) });
    expect(goneOutcome(base, false, 0)).toMatchObject({ reason: 'EngineLost', message: expect.stringMatching(/engine docker was unavailable/) });
  });
});
