// alerts.list and metrics.text through the real dispatcher, on the whole core with fake engines and a fake clock.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Alert } from '../../src/shared/alerts';
import { describeCommand, startFakeCore, useFakeCore, type FakeCore } from '../support/fakeCore';

const core = useFakeCore();

const create = (h: FakeCore, name: string) => h.call('jobs.create', { spec: { name, image: 'busybox:1.36', command: 'echo hi' } });
const changes = (h: FakeCore) => h.events.flatMap((e) => (e.name === 'alerts.changed' ? [e.payload.active.map((a: Alert) => a.title)] : []));
const backlogRule = { alerts: { rules: [{ id: 'backlog', kind: 'backlog' as const, above: 1, channels: ['ops-mail'] }] } };

describeCommand('alerts.list', () => {
  it('a backlog above its count starts one alert, clears it once when the queue drains, and keeps it in the history', async () => {
    const h = core();
    await h.call('settings.update', backlogRule);
    await h.call('queue.pause', {});
    await create(h, 'al-one');
    await create(h, 'al-two');
    await h.until('the alert to start', () => changes(h).length === 1);
    const during = await h.call('alerts.list', {});
    expect(during.active).toMatchObject([{ ruleId: 'backlog', kind: 'backlog', title: 'Queue backlog above 1', message: '2 jobs pending (alert above 1)', channels: ['ops-mail'] }]);
    expect(during.active[0]?.clearedAt).toBeUndefined();
    // More news of the same backlog does not start it again.
    await create(h, 'al-three');
    await h.call('queue.resume', {});
    await h.until('the alert to clear', () => changes(h).length === 2);
    expect(changes(h)).toEqual([['Queue backlog above 1'], []]);
    const after = await h.call('alerts.list', {});
    expect(after.active).toEqual([]);
    expect(after.history).toMatchObject([{ title: 'Queue backlog above 1', clearMessage: '0 jobs pending (alert above 1)' }]);
    expect(after.history[0]?.clearedAt).toEqual(expect.any(String));
  });

  it('an alert active when the core stops is still active after the restart, not started again; the history survives a torn line', async () => {
    const first = await startFakeCore();
    const { dataDir } = first;
    try {
      await first.call('settings.update', backlogRule);
      await first.call('queue.pause', {});
      await create(first, 'al-r1');
      await create(first, 'al-r2');
      await first.until('the alert to start', () => changes(first).length === 1);
      await first.core.close({ stopRunning: true });
      // A crash mid-append leaves half a line at the end.
      appendFileSync(join(dataDir, 'alerts.jsonl'), '{"cleared":{"id":"');
      const again = await startFakeCore({ dataDir });
      try {
        const list = await again.call('alerts.list', {});
        expect(list.active).toMatchObject([{ title: 'Queue backlog above 1' }]);
        // The core looked at the queue as it started (still paused, two pending): nothing new started.
        expect(changes(again)).toEqual([]);
        await again.call('queue.resume', {});
        await again.until('the alert to clear', () => changes(again).length === 1);
        expect((await again.call('alerts.list', {})).history).toHaveLength(1);
        // The line after the torn one is whole and readable.
        const lines = readFileSync(join(dataDir, 'alerts.jsonl'), 'utf8').split('\n').filter(Boolean);
        expect(JSON.parse(lines.at(-1)!)).toMatchObject({ cleared: { id: list.active[0]!.id } });
      } finally {
        await again.close();
      }
    } finally {
      const { rmSync } = await import('node:fs');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a failure rate starts after enough failed jobs, not after one', async () => {
    const h = core();
    const t = await h.call('templates.save', { spec: { name: 'al-flaky', image: 'busybox:1.36', command: 'false' } });
    await h.call('settings.update', { alerts: { rules: [{ id: 'flaky', kind: 'failureRate', templateId: t.id, windowMinutes: 60, thresholdPercent: 50, minJobs: 3 }] } });
    for (let i = 0; i < 3; i++) {
      const job = await h.call('jobs.create', { templateId: t.id });
      await h.until(`job ${i} to start`, () => h.engines.runs(job.id).length > 0);
      await h.finish(job.id, { reason: 'Error', exitCode: 1 });
      if (i < 2) expect((await h.call('alerts.list', {})).active).toEqual([]);
    }
    await h.until('the alert to start', () => changes(h).length === 1);
    expect((await h.call('alerts.list', {})).active).toMatchObject([{ title: 'High failure rate: al-flaky', subject: 'al-flaky', message: '3 of 3 finished jobs failed in the last 60 min (100%; alert at 50%)' }]);
  });
});

describeCommand('metrics.text', () => {
  it('counts jobs by status and template, their durations and queue waits, running and pending, engines up', async () => {
    const h = core();
    await h.call('queue.pause', {});
    const job = await create(h, 'mt-one');
    const before = (await h.call('metrics.text', {})).text;
    expect(before).toContain('jobdeck_jobs_pending 1');
    expect(before).toContain('jobdeck_engine_up{engine="docker",kind="docker"} 1');
    h.clock.advance(2000);
    await h.call('queue.resume', {});
    await h.until('the attempt to start', () => h.engines.runs(job.id).length > 0);
    expect((await h.call('metrics.text', {})).text).toContain('jobdeck_jobs_running 1');
    h.clock.advance(3000);
    await h.finish(job.id, { reason: 'Completed', exitCode: 0 });
    const after = await h.call('metrics.text', {});
    expect(after.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(after.text).toContain('jobdeck_jobs_finished_total{status="completed",template="mt-one"} 1');
    expect(after.text).toContain('jobdeck_job_queue_wait_seconds_count{template="mt-one"} 1');
    expect(after.text).toContain('jobdeck_job_queue_wait_seconds_sum{template="mt-one"} 2');
    expect(after.text).toContain('jobdeck_job_duration_seconds_count{status="completed",template="mt-one"} 1');
    expect(after.text).toContain('jobdeck_jobs_running 0');
    expect(after.text).toContain('jobdeck_notification_deliveries_total');
  });
});
