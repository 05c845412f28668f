import { describe, expect, it } from 'vitest';
import { checkSchedule, describe as inWords, formatFireTime, timeZones } from '../../src/shared/schedule';

const from = new Date('2026-03-01T12:00:30Z');

describe('schedule: what the cron field accepts', () => {
  it.each([
    // cron, seconds, allowFrequent, error (regexp) or undefined
    ['0 3 * * *', false, false, undefined],
    ['*/5 * * * *', false, false, undefined],
    ['@daily', false, false, undefined],
    ['@hourly', false, false, undefined],
    ['* * * * * * *', false, false, /expected 5 fields.*got 7/],
    ['* * * * * * *', true, true, /expected 6 fields with seconds.*got 7/],
    ['*/10 * * * * *', false, false, /got 6; to fire at given seconds, choose "with seconds"/],
    ['0 * * * * *', true, false, undefined],
    ['*/10 * * * * *', true, false, /every 10 s, more often than once a minute; confirm/],
    ['*/10 * * * * *', true, true, undefined],
    ['* * * *', false, false, /expected 5 fields.*got 4/],
    ['61 * * * *', false, false, /not a cron schedule: .*minute/],
    ['0 0 31 2 *', false, false, /never fires/],
    ['@sometimes', false, false, /unknown shorthand/],
    ['   ', false, false, /Schedule is required/],
  ] as const)('%s (seconds %s, confirmed %s)', (cron, seconds, allowFrequent, error) => {
    const r = checkSchedule({ cron, seconds, allowFrequent }, from);
    if (error === undefined) {
      expect(r.error).toBeUndefined();
      expect(r.next).toHaveLength(5);
    } else expect(r.error).toMatch(error);
  });

  it('marks a sub-minute schedule as needing confirmation, with its runs still shown', () => {
    const r = checkSchedule({ cron: '*/15 * * * * *', seconds: true }, from);
    expect(r.tooFrequent).toBe(true);
    expect(r.next.map((d) => d.toISOString())).toEqual([
      '2026-03-01T12:00:45.000Z',
      '2026-03-01T12:01:00.000Z',
      '2026-03-01T12:01:15.000Z',
      '2026-03-01T12:01:30.000Z',
      '2026-03-01T12:01:45.000Z',
    ]);
  });

  it('refuses an unknown time zone by name', () => {
    expect(checkSchedule({ cron: '0 3 * * *', timeZone: 'Mars/Olympus' }, from).error).toMatch(/unknown time zone "Mars\/Olympus"/);
  });
});

describe('schedule: words and next runs in the schedule\'s zone', () => {
  it.each([
    ['0 3 * * *', 'At 03:00'],
    ['30 3 * * 1-5', 'At 03:30, Monday through Friday'],
    ['*/5 * * * *', 'Every 5 minutes'],
    ['@daily', 'At 00:00'],
  ])('%s reads "%s"', (cron, words) => {
    expect(inWords(cron)).toBe(words);
  });

  it('lists the next five fire times in the chosen zone, as a person there reads them', () => {
    const r = checkSchedule({ cron: '0 9 * * *', timeZone: 'Asia/Tokyo' }, from);
    expect(r.next.map((d) => formatFireTime(d, 'Asia/Tokyo'))).toEqual([
      'Mon 2026-03-02 09:00:00',
      'Tue 2026-03-03 09:00:00',
      'Wed 2026-03-04 09:00:00',
      'Thu 2026-03-05 09:00:00',
      'Fri 2026-03-06 09:00:00',
    ]);
    expect(r.next[0]!.toISOString()).toBe('2026-03-02T00:00:00.000Z');
  });

  it('offers UTC first and the IANA zones', () => {
    const zones = timeZones();
    expect(zones[0]).toBe('UTC');
    expect(zones).toContain('Europe/Paris');
    expect(new Set(zones).size).toBe(zones.length);
  });
});

describe('schedule: what the core arms', () => {
  it('a schedule stored before the rule (seven fields) is never armed; a valid one is', async () => {
    const { CronLauncher } = await import('../../src/main/core/scheduler/cronLauncher');
    const { Template } = await import('../../src/shared/template');
    const t = (id: string, cron: string) =>
      Template.parse({ id, name: id, image: 'busybox', createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', schedule: { cron } });
    const templates = [t('every-second', '* * * * * * *'), t('nightly', '0 3 * * *')];
    const cron = new CronLauncher({
      templates: () => templates,
      lastRun: () => undefined,
      setLastRun: () => undefined,
      unfinishedScheduled: () => [],
      run: () => undefined,
      cancel: () => undefined,
    });
    cron.sync();
    expect(cron.nextRun('every-second')).toBeNull();
    expect(cron.nextRun('nightly')).not.toBeNull();
    cron.stop();
  });
});
