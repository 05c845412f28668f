import { afterEach, describe, expect, it } from 'vitest';
import { CronLauncher, type CronHost } from '../../src/main/core/scheduler/cronLauncher';
import type { Template } from '../../src/shared/template';
import { Template as TemplateSchema } from '../../src/shared/template';

// The app restarted several times between two slots of an hourly schedule: each slot that was
// missed fires once, never again on a later restart. `start(now)` is the clock here; the store
// (lastRun) is the one thing that survives a restart, as on disk.
describe('cron catch-up across restarts (fake clock)', () => {
  const template: Template = TemplateSchema.parse({
    id: 'tpl-1',
    name: 'hourly',
    image: 'img',
    command: 'true',
    schedule: { cron: '0 * * * *', timeZone: 'UTC', enabled: true, missedRunPolicy: 'CatchUpOnce' },
    createdAt: '2026-03-01T00:00:00.000Z',
    updatedAt: '2026-03-01T00:00:00.000Z',
  });
  const disk = new Map<string, string>();
  const runs: string[] = [];
  let live: CronLauncher | undefined;
  const host: CronHost = {
    templates: () => [template],
    lastRun: (id) => disk.get(id),
    setLastRun: (id, at) => disk.set(id, at),
    unfinishedScheduled: () => [],
    run: (_t, at) => runs.push(at.toISOString()),
    cancel: () => undefined,
  };
  const boot = (now: string) => {
    live?.stop();
    live = new CronLauncher(host);
    live.start(new Date(now));
  };
  afterEach(() => live?.stop());

  it('fires each missed slot at most once over two restarts and more', () => {
    disk.set('tpl-1', '2026-03-01T10:00:00.000Z');
    boot('2026-03-01T12:30:00Z'); // 11:00 and 12:00 were missed: one catch-up
    expect(runs).toHaveLength(1);
    boot('2026-03-01T12:40:00Z'); // restart 1, before the next slot: nothing
    boot('2026-03-01T12:59:59Z'); // restart 2: still nothing
    expect(runs).toHaveLength(1);
    expect(runs).toEqual(['2026-03-01T12:00:00.000Z']); // the most recent missed slot
    boot('2026-03-01T13:05:00Z'); // 13:00 was missed while closed: once
    boot('2026-03-01T13:06:00Z');
    expect(runs).toEqual(['2026-03-01T12:00:00.000Z', '2026-03-01T13:00:00.000Z']);
    expect(new Set(runs).size).toBe(runs.length);
  });
});

describe('a schedule saved while the app runs', () => {
  it('counts from when it was saved: closed before its first slot, the next start catches that slot up', () => {
    const template: Template = TemplateSchema.parse({
      id: 'tpl-2',
      name: 'daily',
      image: 'img',
      schedule: { cron: '0 3 * * *', timeZone: 'UTC', enabled: true, missedRunPolicy: 'CatchUpOnce' },
      createdAt: '2026-03-01T00:00:00.000Z',
      updatedAt: '2026-03-01T00:00:00.000Z',
    });
    const disk = new Map<string, string>();
    const runs: string[] = [];
    const templates: Template[] = [];
    let now = new Date('2026-03-01T10:00:00Z');
    const host: CronHost = {
      templates: () => templates,
      lastRun: (id) => disk.get(id),
      setLastRun: (id, at) => disk.set(id, at),
      unfinishedScheduled: () => [],
      run: (_t, at) => runs.push(at.toISOString()),
      cancel: () => undefined,
      now: () => now,
    };
    const first = new CronLauncher(host);
    first.start();
    templates.push(template); // saved now (templates.save syncs the launcher)
    first.sync();
    first.stop();
    now = new Date('2026-03-02T09:00:00Z'); // the app was closed over the 03:00 slot
    const second = new CronLauncher(host);
    second.start();
    second.stop();
    expect(runs).toEqual(['2026-03-02T03:00:00.000Z']);
  });
});
