import { describe, expect, it } from 'vitest';
import { judgeAttempt, type JudgeContext } from '../../src/main/core/scheduler/outcome';
import { matchPodFailurePolicy } from '../../src/main/core/scheduler/podFailurePolicy';
import { matchSuccessPolicy } from '../../src/main/core/scheduler/successPolicy';
import { mayRetry } from '../../src/main/core/scheduler/backoff';
import { formatIndexRanges, parseIndexRanges, PodFailurePolicy, SuccessPolicy } from '../../src/shared/jobPolicies';
import type { AttemptOutcome } from '../../src/main/core/engines/types';
import type { Job } from '../../src/shared/job';
import type { TemplateSpecInput } from '../../src/shared/template';
import { storedJob, spec } from '../support/fakes';

const at = (o: Partial<AttemptOutcome> & Pick<AttemptOutcome, 'reason'>): AttemptOutcome => ({
  exitCode: null,
  finishedAt: '2026-01-01T00:00:00.000Z',
  ...o,
});
const running = (s: Partial<TemplateSpecInput>, over: Partial<Job> = {}) => storedJob({ status: 'running', spec: spec(s), ...over });
const exit = (code: number) => at({ reason: 'Error', exitCode: code });
const ok = at({ reason: 'Completed', exitCode: 0 });

// The pure decision the scheduler acts on when an attempt ends (no end decided before).
describe('judgeAttempt', () => {
  const retrying = running({ retry: { limit: 2, backoffInitialSeconds: 10 } });
  const once = running({});
  const indexed = running({ completions: 2, parallelism: 2, completionMode: 'Indexed' });

  it.each([
    ['success, all done', once, ok, 'complete'],
    ['success, an index of two', indexed, ok, 'save'],
    ['exit 1 with retries left', retrying, exit(1), 'retry'],
    ['exit 1 without retries', once, exit(1), 'end'],
    ['exit 127 never retries', retrying, exit(127), 'end'],
    ['deadline', retrying, at({ reason: 'DeadlineExceeded', exitCode: 143 }), 'end'],
    ['cancelled', retrying, at({ reason: 'Cancelled', exitCode: 143 }), 'end'],
    ['engine gone before the container', retrying, at({ reason: 'EngineUnavailable' }), 'wait'],
  ] as const)('%s → %s', (_name, job, outcome, verdict) => {
    expect(judgeAttempt(job, { index: 0 }, outcome, 0).do).toBe(verdict);
  });

  it('a retry waits out the backoff and counts the failure', () => {
    const v = judgeAttempt(retrying, { index: 0 }, exit(1), 1000);
    expect(v).toMatchObject({ do: 'retry', at: 11_000, job: { failures: 1 } });
  });
});

describe('work queue: parallelism without completions', () => {
  const wq = running({ parallelism: 3 });
  it.each<[string, Job, AttemptOutcome, JudgeContext, string, Record<string, unknown>]>([
    ['the first success with others running: recorded, the job waits for them', wq, ok, { now: 0, othersLive: true }, 'save', { succeededIndexes: [0] }],
    ['a success when nothing else runs: complete', wq, ok, { now: 0 }, 'complete', { succeededIndexes: [0] }],
    ['a failure after a success, others running: nothing to retry', running({ parallelism: 3 }, { succeededIndexes: [1] }), exit(1), { now: 0, othersLive: true }, 'save', { failures: 0 }],
    ['a failure after a success, the last one: complete', running({ parallelism: 3 }, { succeededIndexes: [1] }), exit(1), { now: 0 }, 'complete', {}],
    ['a failure before any success: the backoff limit as usual', running({ parallelism: 3, retry: { limit: 1 } }), exit(1), { now: 0, othersLive: true }, 'retry', { failures: 1 }],
  ])('%s', (_name, job, outcome, ctx, verdict, fields) => {
    const v = judgeAttempt(job, { index: 0 }, outcome, ctx);
    expect(v.do).toBe(verdict);
    expect(v.job).toMatchObject(fields);
  });
});

describe('podFailurePolicy', () => {
  const policy = (rules: unknown[]) => PodFailurePolicy.parse({ rules });
  const failJob42 = { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } };
  const ignoreDisruption = { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] };
  const withPolicy = (rules: unknown[], s: Partial<TemplateSpecInput> = {}) =>
    running({ retry: { limit: 3, backoffInitialSeconds: 10 }, podFailurePolicy: policy(rules), ...s });

  const counted = { at: 11_000, job: { failures: 1 } };
  const notCounted = { at: 1000, job: { failures: 0 } };
  it.each<[string, unknown[], AttemptOutcome, Partial<JudgeContext>, string, Record<string, unknown>]>([
    ['FailJob on exit 42 fails at once, reason PodFailurePolicy', [failJob42], exit(42), {}, 'end', { end: { reason: 'PodFailurePolicy', exitCode: 42 } }],
    ['an exit code no rule names is counted (retry)', [failJob42], exit(1), {}, 'retry', counted],
    ['NotIn: any other non-zero exit fails the job', [{ action: 'FailJob', onExitCodes: { operator: 'NotIn', values: [1, 2] } }], exit(3), {}, 'end', { end: { reason: 'PodFailurePolicy' } }],
    ['NotIn: a listed exit retries', [{ action: 'FailJob', onExitCodes: { operator: 'NotIn', values: [1, 2] } }], exit(2), {}, 'retry', counted],
    ['containerName must match the container', [{ ...failJob42, onExitCodes: { ...failJob42.onExitCodes, containerName: 'sidecar' } }], exit(42), {}, 'retry', counted],
    ['first match wins: Count before FailJob counts', [{ action: 'Count', onExitCodes: { operator: 'In', values: [42] } }, failJob42], exit(42), {}, 'retry', counted],
    ['Ignore: not counted, runs again at once', [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [3] } }], exit(3), {}, 'retry', notCounted],
    ['Ignore DisruptionTarget: an engine lost is not counted', [ignoreDisruption], at({ reason: 'EngineLost' }), {}, 'retry', notCounted],
    ['Ignore DisruptionTarget: the app shutting down is not counted', [ignoreDisruption], at({ reason: 'Cancelled', exitCode: 143 }), { disrupted: true }, 'retry', notCounted],
    ['FailJob DisruptionTarget: an engine lost fails the job', [{ action: 'FailJob', onPodConditions: [{ type: 'DisruptionTarget' }] }], at({ reason: 'EngineLost' }), {}, 'end', { end: { reason: 'PodFailurePolicy' } }],
    ['a cancel by the user is a cancel, whatever the rules', [ignoreDisruption], at({ reason: 'Cancelled', exitCode: 143 }), {}, 'end', { status: 'cancelled', end: { reason: 'Cancelled' } }],
    ['Count DisruptionTarget at shutdown counts against the limit', [{ action: 'Count', onPodConditions: [{ type: 'DisruptionTarget' }] }], at({ reason: 'Cancelled', exitCode: 143 }), { disrupted: true }, 'retry', counted],
    ['a shutdown no rule names is a cancel, as without a policy', [failJob42], at({ reason: 'Cancelled', exitCode: 143 }), { disrupted: true }, 'end', { status: 'cancelled' }],
  ])('%s', (_name, rules, outcome, ctx, verdict, fields) => {
    const v = judgeAttempt(withPolicy(rules), { index: 0 }, outcome, { now: 1000, ...ctx });
    expect(v.do).toBe(verdict);
    expect(v).toMatchObject(fields);
  });

  it('names the rule that matched, as the Kubernetes condition message does', () => {
    const v = judgeAttempt(withPolicy([ignoreDisruption, failJob42]), { index: 0 }, exit(42), 0);
    expect(v).toMatchObject({ do: 'end', end: { message: 'container main failed with exit code 42, matching FailJob rule 1 of the pod failure policy' } });
  });

  it('exit code 0 never matches onExitCodes (NotIn included)', () => {
    const p = policy([{ action: 'FailJob', onExitCodes: { operator: 'NotIn', values: [1] } }]);
    expect(matchPodFailurePolicy(p, { exitCode: 0, containerName: 'main', disrupted: false })).toBeUndefined();
    expect(matchPodFailurePolicy(p, { exitCode: null, containerName: 'main', disrupted: false })).toBeUndefined();
  });

  it('refuses rules Kubernetes refuses, in the user\'s words', () => {
    expect(PodFailurePolicy.safeParse({ rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [0] } }] }).error?.issues[0]?.message).toMatch(/exit code 0 cannot be In/);
    expect(PodFailurePolicy.safeParse({ rules: [{ action: 'FailJob' }] }).error?.issues[0]?.message).toMatch(/exactly one of onExitCodes and onPodConditions/);
    expect(PodFailurePolicy.safeParse({ rules: [{ action: 'Restart', onExitCodes: { operator: 'In', values: [1] } }] }).error?.issues[0]?.message).toMatch(/FailJob, Ignore, Count or FailIndex/);
  });
});

describe('successPolicy (Indexed)', () => {
  const sp = (rules: unknown[]) => SuccessPolicy.parse({ rules });
  const job = (rules: unknown[], succeededIndexes: number[]) =>
    running({ completions: 5, parallelism: 5, completionMode: 'Indexed', successPolicy: sp(rules) }, { succeededIndexes });

  it.each<[string, unknown[], number[], number, string]>([
    ['succeededIndexes all met', [{ succeededIndexes: '0,2-3' }], [0, 2], 3, 'complete'],
    ['succeededIndexes not yet', [{ succeededIndexes: '0,2-3' }], [0], 3, 'save'],
    ['succeededCount met by any indexes', [{ succeededCount: 2 }], [4], 1, 'complete'],
    ['succeededCount within the named indexes', [{ succeededIndexes: '1-3', succeededCount: 2 }], [0, 4], 1, 'save'],
    ['succeededCount within the named indexes, met', [{ succeededIndexes: '1-3', succeededCount: 2 }], [0, 1], 3, 'complete'],
    ['the second rule met', [{ succeededIndexes: '4' }, { succeededCount: 3 }], [0, 1], 2, 'complete'],
  ])('%s → %s', (_name, rules, before, index, verdict) => {
    const v = judgeAttempt(job(rules, before), { index }, ok, { now: 0, othersLive: true });
    expect(v.do).toBe(verdict);
    if (v.do === 'complete') expect(v.end).toMatchObject({ reason: 'SuccessCriteriaMet' });
  });

  it('indexes past completions never count', () => {
    expect(matchSuccessPolicy(sp([{ succeededIndexes: '3-9' }]), [3], 4)).toMatchObject({ rule: 0 });
    expect(matchSuccessPolicy(sp([{ succeededIndexes: '7-9' }]), [0, 1, 2, 3], 4)).toBeUndefined();
  });

  it('reads and writes index ranges as Kubernetes does', () => {
    expect(parseIndexRanges('0,2-3')).toEqual([0, 2, 3]);
    expect(parseIndexRanges('3,1')).toBeUndefined();
    expect(parseIndexRanges('1-x')).toBeUndefined();
    expect(formatIndexRanges([3, 0, 2, 5, 6, 7])).toBe('0,2-3,5-7');
    expect(SuccessPolicy.safeParse({ rules: [{}] }).error?.issues[0]?.message).toMatch(/succeededIndexes, succeededCount or both/);
  });
});

describe('backoffLimitPerIndex and maxFailedIndexes (Indexed)', () => {
  const perIndex = (over: Partial<TemplateSpecInput> = {}, job: Partial<Job> = {}) =>
    running({ completions: 4, parallelism: 4, completionMode: 'Indexed', backoffLimitPerIndex: 1, retry: { limit: 0, backoffInitialSeconds: 5 }, ...over }, job);

  it('an index with budget left retries, its own failures counted, not the job\'s', () => {
    const v = judgeAttempt(perIndex(), { index: 2 }, exit(1), { now: 0, othersLive: true });
    expect(v).toMatchObject({ do: 'retry', at: 5000, job: { failures: 0, indexFailures: { '2': 1 } } });
  });

  it('an index past its budget fails for good; the others go on', () => {
    const v = judgeAttempt(perIndex({}, { indexFailures: { '2': 1 } }), { index: 2 }, exit(1), { now: 0, othersLive: true });
    expect(v).toMatchObject({ do: 'save', job: { failedIndexes: [2], indexFailures: { '2': 2 } } });
  });

  it('at the end, failed indexes fail the job with reason FailedIndexes naming them', () => {
    const v = judgeAttempt(perIndex({}, { succeededIndexes: [0, 1], failedIndexes: [3], indexFailures: { '2': 1 } }), { index: 2 }, exit(1), { now: 0 });
    expect(v).toMatchObject({ do: 'end', status: 'failed', end: { reason: 'FailedIndexes', message: 'indexes 2-3 failed' } });
  });

  it('the last index succeeding ends the job as FailedIndexes when others failed', () => {
    const v = judgeAttempt(perIndex({}, { succeededIndexes: [0, 1], failedIndexes: [3] }), { index: 2 }, ok, { now: 0 });
    expect(v).toMatchObject({ do: 'end', status: 'failed', end: { reason: 'FailedIndexes', message: 'indexes 3 failed' } });
  });

  it('past maxFailedIndexes the job fails at once, the others running or not', () => {
    const v = judgeAttempt(perIndex({ maxFailedIndexes: 1 }, { failedIndexes: [0], indexFailures: { '1': 1 } }), { index: 1 }, exit(1), { now: 0, othersLive: true });
    expect(v).toMatchObject({ do: 'end', end: { reason: 'MaxFailedIndexesExceeded' }, job: { failedIndexes: [0, 1] } });
  });

  it('FailIndex fails the index at once, budget or not', () => {
    const rules = [{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [7] } }];
    const v = judgeAttempt(perIndex({ podFailurePolicy: { rules } as TemplateSpecInput['podFailurePolicy'] }), { index: 0 }, exit(7), { now: 0, othersLive: true });
    expect(v).toMatchObject({ do: 'save', job: { failedIndexes: [0] } });
  });

  it('a never-retry exit code fails the index at once', () => {
    const v = judgeAttempt(perIndex(), { index: 1 }, exit(127), { now: 0, othersLive: true });
    expect(v).toMatchObject({ do: 'save', job: { failedIndexes: [1] } });
  });
});

describe('retry only on exit codes', () => {
  const retry = { limit: 3, retryOnExitCodes: [1, 2], neverRetryExitCodes: [] as number[] };
  it.each([
    [1, true],
    [2, true],
    [3, false],
    [null, true],
  ] as const)('exit %s retries: %s', (code, yes) => {
    expect(mayRetry({ ...spec({ retry }).retry }, 1, code, code === null ? 'EngineLost' : 'Error')).toBe(yes);
  });
  it('never-retry wins over retry-only-on', () => {
    expect(mayRetry(spec({ retry: { limit: 3, retryOnExitCodes: [1], neverRetryExitCodes: [1] } }).retry, 1, 1, 'Error')).toBe(false);
  });
});
