// Alert evaluation, pure: readings per rule and the step from one look to the next, on a fake clock.
import { describe, expect, it } from 'vitest';
import { AlertRule, AlertSettings, clearBelow } from '../../src/shared/alerts';
import { nextDue, readings, step, type FinishedJob, type HealthLook, type KeyState } from '../../src/main/core/health/evaluate';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const MIN = 60_000;

function look(over: Partial<HealthLook> = {}): HealthLook {
  return { now: T0, pending: 0, engines: [], finished: [], templateName: (id) => ({ t1: 'nightly', t2: 'backup' })[id], ...over };
}

/** Looks in order, each at its own time: what started and cleared at each. */
function run(rules: AlertRule[], looks: HealthLook[]) {
  let state: ReadonlyMap<string, KeyState> = new Map();
  let n = 0;
  return looks.map((l) => {
    const s = step(state, l.now, readings(rules, l), () => `a${++n}`);
    state = s.state;
    return { raised: s.raised.map((a) => a.title), cleared: s.cleared.map((a) => a.title), active: [...state.values()].filter((k) => k.active).length };
  });
}

const rule = (r: unknown) => AlertRule.parse(r);
const ended = (at: number, failed: boolean, templateId = 't1'): FinishedJob => ({ templateId, templateName: templateId === 't1' ? 'nightly' : 'backup', failed, at });

describe('failure rate over a sliding window', () => {
  const r = rule({ id: 'fr', kind: 'failureRate', templateId: 't1', windowMinutes: 10, thresholdPercent: 50, minJobs: 4 });

  it('does not start on one failed job (below the minimum count), starts once enough fail, and clears as they slide out', () => {
    const one = [ended(T0 - MIN, true)];
    const four = [ended(T0 - 9 * MIN, true), ended(T0 - 8 * MIN, true), ended(T0 - 2 * MIN, false), ended(T0 - MIN, true)];
    const steps = run([r], [
      look({ finished: one }),
      look({ now: T0 + 1000, finished: four }),
      look({ now: T0 + 2000, finished: four }),
      // The one from 9 minutes ago slides out at +1 min: 2 of 3 failed, still active.
      look({ now: T0 + 1.5 * MIN, finished: four }),
      // The one from 8 minutes ago slides out at +2 min: 1 of 2, 50%: above the clear level (45%), still active.
      look({ now: T0 + 2.5 * MIN, finished: four }),
      // At +8.5 min: the failure of a minute before T0 and two new successes, 33%: clears, once.
      look({ now: T0 + 8.5 * MIN, finished: [...four, ended(T0 + 8 * MIN, false), ended(T0 + 8 * MIN, false)] }),
      look({ now: T0 + 8.6 * MIN, finished: [...four, ended(T0 + 8 * MIN, false), ended(T0 + 8 * MIN, false)] }),
    ]);
    expect(steps.map((s) => [s.raised.length, s.cleared.length, s.active])).toEqual([
      [0, 0, 0],
      [1, 0, 1],
      [0, 0, 1],
      [0, 0, 1],
      [0, 0, 1],
      [0, 1, 0],
      [0, 0, 0],
    ]);
    expect(steps[1]!.raised).toEqual(['High failure rate: nightly']);
  });

  it('counts only its template, or every job when it names none', () => {
    const jobs = [ended(T0, true, 't2'), ended(T0, true, 't2'), ended(T0, true, 't2'), ended(T0, true, 't2'), ended(T0, false)];
    expect(readings([r], look({ finished: jobs }))[0]).toMatchObject({ over: false, message: expect.stringContaining('0 of 1 finished job failed') });
    const all = rule({ id: 'all', kind: 'failureRate', windowMinutes: 10, thresholdPercent: 50, minJobs: 4 });
    expect(readings([all], look({ finished: jobs }))[0]).toMatchObject({ over: true, title: 'High failure rate: all jobs', message: expect.stringContaining('4 of 5 finished jobs failed') });
  });

  it('holds in the band between the threshold and 90% of it (no flapping at the threshold)', () => {
    // 50% threshold: clears below 45%. 9 of 20 failed = 45% holds; 8 of 20 = 40% clears.
    const batch = (failed: number) => Array.from({ length: 20 }, (_, i) => ended(T0 - i * 1000, i < failed));
    const steps = run([r], [look({ finished: batch(10) }), look({ now: T0 + 1, finished: batch(9) }), look({ now: T0 + 2, finished: batch(10) }), look({ now: T0 + 3, finished: batch(8) })]);
    expect(steps.map((s) => [s.raised.length, s.cleared.length])).toEqual([[1, 0], [0, 0], [0, 0], [0, 1]]);
  });
});

describe('engine unavailable for longer than a duration', () => {
  const r = rule({ id: 'eng', kind: 'engineDown', forSeconds: 60 });
  const engines = (docker: boolean, podman = true) => [
    { id: 'docker', available: docker, error: docker ? undefined : 'connect ECONNREFUSED' },
    { id: 'podman', available: podman },
  ];

  it('starts only after the whole duration without an answer, per engine, once; clears on the first answer', () => {
    const steps = run([r], [
      look({ engines: engines(false) }),
      look({ now: T0 + 30_000, engines: engines(false) }),
      look({ now: T0 + 60_000, engines: engines(false) }),
      look({ now: T0 + 65_000, engines: engines(false) }),
      look({ now: T0 + 70_000, engines: engines(true) }),
      look({ now: T0 + 75_000, engines: engines(true) }),
    ]);
    expect(steps.map((s) => [s.raised, s.cleared])).toEqual([
      [[], []],
      [[], []],
      [['Engine docker unavailable'], []],
      [[], []],
      [[], ['Engine docker unavailable']],
      [[], []],
    ]);
  });

  it('an outage shorter than the duration, even repeated at every probe, never starts one', () => {
    const looks = Array.from({ length: 20 }, (_, i) => look({ now: T0 + i * 5000, engines: engines(i % 2 === 1) }));
    expect(run([r], looks).flatMap((s) => s.raised)).toEqual([]);
  });

  it('says when the next look must come for the duration to run out on time', () => {
    const rs = readings([r], look({ engines: engines(false) }));
    const s = step(new Map(), T0, rs, () => 'x');
    expect(nextDue(s.state, rs)).toBe(T0 + 60_000);
  });
});

describe('queue backlog above a count', () => {
  it('starts above the count and clears at 90% of it or below', () => {
    const r = rule({ id: 'q', kind: 'backlog', above: 10 });
    expect(clearBelow(10)).toBe(9);
    const steps = run([r], [10, 11, 10, 12, 9, 12].map((pending, i) => look({ now: T0 + i, pending })));
    expect(steps.map((s) => [s.raised.length, s.cleared.length])).toEqual([[0, 0], [1, 0], [0, 0], [0, 0], [0, 1], [1, 0]]);
  });

  it('above 1: two pending start it, none clear it; with a duration it waits that long', () => {
    expect(run([rule({ id: 'q', kind: 'backlog', above: 1 })], [look({ pending: 2 }), look({ now: T0 + 1, pending: 1 }), look({ now: T0 + 2, pending: 0 })]).map((s) => [s.raised.length, s.cleared.length])).toEqual([[1, 0], [0, 0], [0, 1]]);
    const slow = rule({ id: 'q', kind: 'backlog', above: 1, forSeconds: 30 });
    expect(run([slow], [look({ pending: 2 }), look({ now: T0 + 29_999, pending: 2 }), look({ now: T0 + 30_000, pending: 2 })]).map((s) => s.raised.length)).toEqual([0, 0, 1]);
  });

  it('clears an active alert whose rule is gone', () => {
    const r = rule({ id: 'q', kind: 'backlog', above: 0 });
    const first = step(new Map(), T0, readings([r], look({ pending: 1 })), () => 'a');
    const second = step(first.state, T0 + 1, readings([], look({ pending: 1 })), () => 'b');
    expect(second.cleared).toMatchObject([{ id: 'a', clearedAt: new Date(T0 + 1).toISOString(), clearMessage: expect.stringContaining('no longer applies') }]);
  });
});

describe('free space of the data directory', () => {
  it('starts below the size and clears 10% above it', () => {
    const r = rule({ id: 'd', kind: 'diskFree', belowMiB: 100 });
    const MiB = 1024 ** 2;
    const steps = run([r], [150, 99, 105, 109, 111].map((m, i) => look({ now: T0 + i, diskFreeBytes: m * MiB })));
    expect(steps.map((s) => [s.raised.length, s.cleared.length])).toEqual([[0, 0], [1, 0], [0, 0], [0, 0], [0, 1]]);
    expect(readings([r], look({ diskFreeBytes: 99 * MiB }))[0]?.message).toBe('99 MiB free (alert below 100 MiB)');
    // Not measured (statfs failed): nothing read, nothing started.
    expect(readings([r], look({}))).toEqual([]);
  });
});

describe('alert settings', () => {
  it('says in the user\'s terms what is wrong with a rule', () => {
    const bad = AlertSettings.safeParse({ rules: [{ id: 'q', kind: 'backlog', above: -1 }] });
    expect(bad.success || bad.error.issues[0]?.message).toBe('Queue backlog must be a whole number of pending jobs from 0 to 1000000');
    const twice = AlertSettings.safeParse({ rules: [{ id: 'q', kind: 'backlog', above: 1 }, { id: 'q', kind: 'diskFree', belowMiB: 5 }] });
    expect(twice.success || twice.error.issues[0]?.message).toBe('Each alert rule needs its own id');
    const kind = AlertSettings.safeParse({ rules: [{ id: 'q', kind: 'cpu' }] });
    expect(kind.success || kind.error.issues[0]?.message).toBe('Alert kind must be failureRate, engineDown, backlog or diskFree');
  });
});
