// The notification rules, pure: which job states set off which rule, once per job per rule.
import { describe, expect, it } from 'vitest';
import type { Attempt, Job } from '../../src/shared/job';
import { legacyRules, NotifyRule, NotifyRules, rulesFor, type NotifyRuleInput } from '../../src/shared/notify';
import { Settings, SettingsPatch } from '../../src/shared/settings';
import { applyPatch } from '../../src/shared/patch';
import { TemplateSpec } from '../../src/shared/template';
import { evaluate, FiringLedger, lateAfterMs, nextDue, pendingSince, type TemplatePast } from '../../src/main/core/notify/rules';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const rule = (r: Partial<NotifyRuleInput> & Pick<NotifyRuleInput, 'on'>): NotifyRule => NotifyRule.parse({ id: r.on, channels: ['hook'], ...r });
const attempt = (number: number, status: Attempt['status'], end?: number): Attempt => ({
  number,
  index: 0,
  engineId: 'docker',
  status,
  createdAt: at(number * 10),
  startedAt: at(number * 10),
  ...(end !== undefined ? { finishedAt: at(end) } : {}),
  ...(status === 'failed' ? { exitCode: 3, reason: 'Error' as const } : {}),
  logBytes: 0,
  logTruncated: false,
  artifacts: [],
});
const job = (j: Partial<Job>): Job => ({
  id: 'j1',
  templateId: 't1',
  templateName: 'nightly',
  spec: TemplateSpec.parse({ name: 'nightly', image: 'busybox' }),
  status: 'pending',
  priority: 3,
  seq: 1,
  origin: 'manual',
  dependsOn: [],
  createdAt: at(0),
  failures: 0,
  succeededIndexes: [],
  attempts: [],
  ...j,
});
const none: TemplatePast = { p95Ms: null };
const fired = (j: Job, rules: NotifyRule[], past: TemplatePast = none, now = T0 + 3600_000) => evaluate(j, rules, past, now).map((f) => `${f.rule.id}@${f.occurrence}`);

describe('rules per job state', () => {
  const running = job({ status: 'running', startedAt: at(10), attempts: [attempt(1, 'running')] });
  const retrying = job({ status: 'pending', startedAt: at(10), failures: 1, notBefore: at(25), attempts: [attempt(1, 'failed', 20)] });
  const failedForGood = job({ status: 'failed', reason: 'Error', exitCode: 3, startedAt: at(10), finishedAt: at(40), failures: 3, attempts: [attempt(1, 'failed', 20), attempt(2, 'failed', 30), attempt(3, 'failed', 40)] });
  const completed = job({ status: 'completed', reason: 'Completed', exitCode: 0, startedAt: at(10), finishedAt: at(20), attempts: [attempt(1, 'succeeded', 20)] });
  const upstream = job({ status: 'cancelled', reason: 'UpstreamFailed', finishedAt: at(5) });
  const each = rule({ id: 'each', on: 'failure', attempts: 'each' });
  const last = rule({ id: 'last', on: 'failure', attempts: 'last' });
  const cases: [string, Job, NotifyRule[], string[], TemplatePast?][] = [
    ['pending: nothing', job({}), [rule({ on: 'start' }), last, rule({ on: 'success' })], []],
    ['running: start', running, [rule({ on: 'start' }), last], [`start@start:${at(10)}`]],
    ['a failed attempt that will retry: each, not last', retrying, [each, last], ['each@attempt:1']],
    ['failed for good: each attempt, and last once', failedForGood, [each, last], ['each@attempt:1', 'each@attempt:2', 'each@attempt:3', 'last@end:a3']],
    ['completed: success, not failure', completed, [rule({ on: 'success' }), last], ['success@end:a1']],
    ['recovered: completed after a failed run', completed, [rule({ on: 'recovered' })], ['recovered@end:a1'], { p95Ms: null, previousEnd: 'failed' }],
    ['not recovered after a success', completed, [rule({ on: 'recovered' })], [], { p95Ms: null, previousEnd: 'completed' }],
    ['not recovered: the first run', completed, [rule({ on: 'recovered' })], []],
    ['an upstream failure is a failure (it did not run)', upstream, [last, each], ['last@end:a0', 'each@end:a0']],
  ];
  it.each(cases)('%s', (_name, j, rules, want, past) => {
    expect(fired(j, rules, past ?? none)).toEqual(want);
  });
});

describe('running late and stuck pending', () => {
  const running = job({ status: 'running', startedAt: at(0), attempts: [attempt(1, 'running')] });
  const late = rule({ on: 'late', afterSeconds: 60 });
  const lateP95 = rule({ id: 'p95', on: 'late', p95Factor: 2 });
  const stuck = rule({ on: 'stuck', afterSeconds: 30 });

  it('late fires once past the duration, not before', () => {
    expect(evaluate(running, [late], none, T0 + 59_999)).toEqual([]);
    expect(fired(running, [late], none, T0 + 60_000)).toEqual([`late@late:${at(0)}`]);
    expect(nextDue(running, [late], none, T0 + 1000)).toBe(T0 + 60_000);
    expect(nextDue(running, [late], none, T0 + 60_000)).toBeUndefined();
  });

  it('k × p95: needs the template\'s past; with both, the earlier threshold', () => {
    expect(lateAfterMs(lateP95, none)).toBeUndefined();
    expect(evaluate(running, [lateP95], none, T0 + 10 * 3600_000)).toEqual([]);
    expect(lateAfterMs(lateP95, { p95Ms: 20_000 })).toBe(40_000);
    expect(fired(running, [lateP95], { p95Ms: 20_000 }, T0 + 40_000)).toEqual([`p95@late:${at(0)}`]);
    expect(lateAfterMs(rule({ on: 'late', afterSeconds: 30, p95Factor: 2 }), { p95Ms: 20_000 })).toBe(30_000);
  });

  it('a finished job is not late', () => {
    expect(evaluate({ ...running, status: 'completed', finishedAt: at(100) }, [late], none, T0 + 3600_000)).toEqual([]);
  });

  it('stuck counts from creation, or after a retry from the end of its backoff, and not while suspended', () => {
    const waiting = job({});
    expect(pendingSince(waiting)).toBe(T0);
    expect(evaluate(waiting, [stuck], none, T0 + 29_000)).toEqual([]);
    expect(fired(waiting, [stuck], none, T0 + 30_000)).toEqual([`stuck@stuck:${at(0)}`]);
    const backoff = job({ startedAt: at(1), notBefore: at(100), attempts: [attempt(1, 'failed', 50)] });
    expect(pendingSince(backoff)).toBe(T0 + 100_000);
    expect(evaluate(backoff, [stuck], none, T0 + 120_000)).toEqual([]);
    expect(pendingSince(job({ suspended: true }))).toBeUndefined();
  });
});

describe('each notification once per job per rule', () => {
  it('the ledger lets one occurrence through once; the same end recorded again stays quiet; a manual retry ending again is news', () => {
    const ledger = new FiringLedger();
    const r = [rule({ on: 'failure' })];
    const failed = job({ status: 'failed', startedAt: at(0), finishedAt: at(10), attempts: [attempt(1, 'failed', 10)] });
    expect(ledger.admit('j1', evaluate(failed, r, none, T0))).toHaveLength(1);
    expect(ledger.admit('j1', evaluate(failed, r, none, T0))).toHaveLength(0);
    expect(ledger.admit('j2', evaluate({ ...failed, id: 'j2' }, r, none, T0))).toHaveLength(1);
    // The same end recorded again later (reconcile after a crash) is the same occurrence.
    expect(ledger.admit('j1', evaluate({ ...failed, finishedAt: at(99) }, r, none, T0))).toHaveLength(0);
    // A manual retry that fails again is a new end: a new attempt.
    expect(ledger.admit('j1', evaluate({ ...failed, finishedAt: at(99), attempts: [...failed.attempts, attempt(2, 'failed', 99)] }, r, none, T0))).toHaveLength(1);
  });

  it('a late job notifies once while it keeps running', () => {
    const ledger = new FiringLedger();
    const running = job({ status: 'running', startedAt: at(0), attempts: [attempt(1, 'running')] });
    const r = [rule({ on: 'late', afterSeconds: 5 })];
    const counts = [6, 7, 60, 600].map((s) => ledger.admit('j1', evaluate(running, r, none, T0 + s * 1000)).length);
    expect(counts).toEqual([1, 0, 0, 0]);
  });
});

describe('default and template rules, and the old settings', () => {
  it('old settings (enabled, muteSuccess) parse as before and map onto the default rules', () => {
    const old = Settings.parse({ notifications: { enabled: true, muteSuccess: true } });
    expect(old.notifications.rules).toBeUndefined();
    expect(rulesFor(old.notifications, undefined).map((r) => r.on)).toEqual(['failure']);
    expect(rulesFor(Settings.parse({}).notifications, undefined).map((r) => r.on)).toEqual(['failure', 'success']);
    expect(legacyRules(false).every((r) => r.channels.includes('desktop'))).toBe(true);
  });

  it('a template\'s rules replace the default ones; an empty list is silence', () => {
    const s = Settings.parse({ notifications: { rules: [{ id: 'g', on: 'success', channels: ['desktop'] }] } }).notifications;
    expect(rulesFor(s, undefined).map((r) => r.id)).toEqual(['g']);
    expect(rulesFor(s, { rules: [rule({ id: 'mine', on: 'failure' })] }).map((r) => r.id)).toEqual(['mine']);
    expect(rulesFor(s, { rules: [] })).toEqual([]);
  });

  it('a settings patch that does not name the rules keeps them; null brings back the default', () => {
    const s = Settings.parse({ notifications: { rules: [{ id: 'g', on: 'success', channels: ['desktop'] }] } });
    const patched = Settings.parse(applyPatch(Settings, s, SettingsPatch.parse({ notifications: { muteSuccess: true } })));
    expect(patched.notifications.rules?.map((r) => r.id)).toEqual(['g']);
    const cleared = Settings.parse(applyPatch(Settings, s, SettingsPatch.parse({ notifications: { rules: null } })));
    expect(cleared.notifications.rules).toBeUndefined();
  });

  it('refuses bad rules in the user\'s words', () => {
    const msg = (v: unknown) => NotifyRules.safeParse(v).error?.issues[0]?.message;
    expect(msg([{ id: 'x', on: 'late', channels: ['a'] }])).toBe('A running-late rule needs a duration or a multiple of the p95');
    expect(msg([{ id: 'x', on: 'stuck', channels: ['a'] }])).toBe('A stuck-pending rule needs a duration');
    expect(msg([{ id: 'x', on: 'success', channels: [] }])).toBe('A rule must send to at least one channel');
    expect(msg([{ id: 'x', on: 'success', channels: ['a'] }, { id: 'x', on: 'start', channels: ['a'] }])).toBe('Two rules are called x');
    expect(msg([{ id: 'x', on: 'late', afterSeconds: 0, channels: ['a'] }])).toMatch(/^After must be a whole number of seconds/);
    expect(msg([{ id: 'x', on: 'finish', channels: ['a'] }])).toBe('A rule fires on start, success, failure, late, stuck or recovered');
  });
});
