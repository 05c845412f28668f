import { describe, expect, it } from 'vitest';
import { describeExit } from '../../src/shared/exitCodes';
import { assertTransition, canTransition, JobStatus, TransitionError } from '../../src/shared/job';

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
