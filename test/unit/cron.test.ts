import { describe, expect, it } from 'vitest';
import { decideFire, missedRun } from '../../src/main/core/scheduler/cronLauncher';

describe('cron schedules', () => {
  it('Allow runs alongside, Forbid skips, Replace cancels what still runs', () => {
    expect(decideFire('Allow', [{ id: 'a' }])).toEqual({ run: true, cancel: [] });
    expect(decideFire('Forbid', [{ id: 'a' }])).toEqual({ run: false, cancel: [] });
    expect(decideFire('Forbid', [])).toEqual({ run: true, cancel: [] });
    expect(decideFire('Replace', [{ id: 'a' }, { id: 'b' }])).toEqual({ run: true, cancel: ['a', 'b'] });
  });

  it('catches up once for runs missed while the app was closed', () => {
    const now = new Date('2026-03-01T12:30:00Z');
    // Hourly; last ran 10:00, so 11:00 and 12:00 were missed: one catch-up run, for the most
    // recent (Kubernetes CronJob), which is then the last run.
    const missed = missedRun('0 * * * *', 'UTC', '2026-03-01T10:00:00Z', now, 'CatchUpOnce');
    expect(missed?.toISOString()).toBe('2026-03-01T12:00:00.000Z');
  });

  it('skips missed runs under Skip, and when nothing was missed', () => {
    const now = new Date('2026-03-01T12:30:00Z');
    expect(missedRun('0 * * * *', 'UTC', '2026-03-01T10:00:00Z', now, 'Skip')).toBeNull();
    expect(missedRun('0 * * * *', 'UTC', '2026-03-01T12:00:00Z', now, 'CatchUpOnce')).toBeNull();
    expect(missedRun('0 * * * *', 'UTC', undefined, now, 'CatchUpOnce')).toBeNull();
  });

  it('reads the schedule in its time zone', () => {
    const now = new Date('2026-03-02T00:00:00Z');
    // 09:00 in Tokyo is 00:00 UTC.
    const missed = missedRun('0 9 * * *', 'Asia/Tokyo', '2026-02-28T12:00:00Z', now, 'CatchUpOnce');
    expect(missed?.toISOString()).toBe('2026-03-02T00:00:00.000Z');
    expect(missedRun('0 9 * * *', 'Asia/Tokyo', '2026-02-28T12:00:00Z', new Date('2026-03-01T23:59:59Z'), 'CatchUpOnce')?.toISOString()).toBe(
      '2026-03-01T00:00:00.000Z',
    );
  });
});
