import { describe, expect, it } from 'vitest';
import { judgeAttempt } from '../../src/main/core/scheduler/outcome';
import type { AttemptOutcome } from '../../src/main/core/engines/types';
import { storedJob, spec } from '../support/fakes';

// The pure decision the scheduler acts on when an attempt ends (no end decided before).
describe('judgeAttempt', () => {
  const at = (o: Partial<AttemptOutcome> & Pick<AttemptOutcome, 'reason'>): AttemptOutcome => ({
    exitCode: null,
    finishedAt: '2026-01-01T00:00:00.000Z',
    ...o,
  });
  const retrying = storedJob({ status: 'running', spec: spec({ retry: { limit: 2, backoffInitialSeconds: 10 } }) });
  const once = storedJob({ status: 'running' });
  const indexed = storedJob({ status: 'running', spec: spec({ completions: 2, parallelism: 2, completionMode: 'Indexed' }) });

  it.each([
    ['success, all done', once, at({ reason: 'Completed', exitCode: 0 }), 'complete'],
    ['success, an index of two', indexed, at({ reason: 'Completed', exitCode: 0 }), 'save'],
    ['exit 1 with retries left', retrying, at({ reason: 'Error', exitCode: 1 }), 'retry'],
    ['exit 1 without retries', once, at({ reason: 'Error', exitCode: 1 }), 'end'],
    ['exit 127 never retries', retrying, at({ reason: 'Error', exitCode: 127 }), 'end'],
    ['deadline', retrying, at({ reason: 'DeadlineExceeded', exitCode: 143 }), 'end'],
    ['cancelled', retrying, at({ reason: 'Cancelled', exitCode: 143 }), 'end'],
    ['engine gone before the container', retrying, at({ reason: 'EngineUnavailable' }), 'wait'],
  ] as const)('%s → %s', (_name, job, outcome, verdict) => {
    expect(judgeAttempt(job, { index: 0 }, outcome, 0).do).toBe(verdict);
  });

  it('a retry waits out the backoff and counts the failure', () => {
    const v = judgeAttempt(retrying, { index: 0 }, at({ reason: 'Error', exitCode: 1 }), 1000);
    expect(v).toMatchObject({ do: 'retry', at: 11_000, job: { failures: 1 } });
  });
});
