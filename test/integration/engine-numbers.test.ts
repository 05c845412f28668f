// Item 12 on both real engines: an engine's Running count follows its attempts (engine.status
// events from the core), its checkedAt keeps moving, and the Dashboard's durations are the job page's.
import { describe, expect, it } from 'vitest';
import type { EngineInfo } from '../../src/shared/engine';
import { attemptDurationMs, jobDurationMs } from '../../src/shared/jobNumbers';
import { useEngineCore } from '../support/core';
import { engineTargets, TEST_IMAGE } from '../support/engines';

const targets = await engineTargets();

describe.each(targets)('on $kind', (target) => {
  const t = useEngineCore(target);
  const statuses = (): EngineInfo[] =>
    t.events.flatMap((e) => (e.name === 'engine.status' && e.payload.id === target.kind ? [e.payload] : []));


  describe.skipIf(Boolean(target.missing))(`${target.kind} engine`, () => {
    it('Running is 1 while a job runs on the engine and 0 after, announced as it changes', async () => {
      const from = t.events.length;
      const job = await t.call('jobs.create', {
        spec: { name: 'num-running', image: TEST_IMAGE, network: 'none', pullPolicy: 'Never', engine: target.kind, command: 'sleep 2' },
      });
      await t.waitFor(job.id, (j) => j.status === 'running');
      await expect.poll(async () => (await t.call('engines.list', {})).find((e) => e.id === target.kind)?.running).toBe(1);
      const done = await t.waitFor(job.id);
      expect(done.status).toBe('completed');
      await expect.poll(async () => (await t.call('engines.list', {})).find((e) => e.id === target.kind)?.running).toBe(0);
      const counts = t.events
        .slice(from)
        .flatMap((e) => (e.name === 'engine.status' && e.payload.id === target.kind ? [e.payload.running] : []));
      // In order: up to 1 while it ran, back to 0 after; probes in between repeat the current count.
      expect(counts.filter((n, i) => i === 0 || n !== counts[i - 1])).toEqual([1, 0]);
    });

    it('checkedAt moves with every probe, and each one is announced', async () => {
      const before = statuses().length;
      // startCore probes every 500 ms.
      await expect.poll(() => statuses().length, { timeout: 10_000 }).toBeGreaterThanOrEqual(before + 2);
      const stamps = statuses().slice(before).map((s) => Date.parse(s.checkedAt));
      expect(stamps.every((s, i) => i === 0 || s >= stamps[i - 1]!)).toBe(true);
      expect(stamps[stamps.length - 1]!).toBeGreaterThan(stamps[0]!);
    });

    it("the job's duration is its single attempt's, and the Dashboard's mean is the same number", async () => {
      const created = await t.call('jobs.create', {
        spec: { name: 'num-duration', image: TEST_IMAGE, network: 'none', pullPolicy: 'Never', engine: target.kind, command: 'sleep 1' },
      });
      const job = await t.waitFor(created.id);
      expect(job.attempts).toHaveLength(1);
      const ms = jobDurationMs(job);
      expect(ms).not.toBeNull();
      expect(ms).toBe(attemptDurationMs(job.attempts[0]!));
      expect(ms!).toBeGreaterThanOrEqual(900);
      const stats = await t.call('stats.get', { from: job.createdAt });
      expect(stats.byTemplate.find((s) => s.templateName === 'num-duration')?.meanDurationMs).toBe(ms);
    });
  });
});
