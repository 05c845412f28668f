// The audit trail on the real engines: a job that exits 3, its timeline naming the container the
// engine really ran (name and id, checked with the engine's own inspect), and a report whose
// engine version and log tails are the engine's.
import { describe, expect, it, onTestFinished } from 'vitest';
import type { JobEvent } from '../../src/shared/jobEvents';
import { useEngineCore } from '../support/core';
import { clientFor, engineTargets, TEST_IMAGE } from '../support/engines';

const targets = await engineTargets();

describe.each(targets)('audit trail on $kind', (target) => {
  const t = useEngineCore(target);

  describe.skipIf(Boolean(target.missing))(`${target.kind} engine`, () => {
    it('records the container the engine ran, the exit code and its meaning; the report quotes the engine and the logs', async () => {
      const job = await t.call('jobs.create', {
        spec: { name: 'au-it', image: TEST_IMAGE, network: 'none', pullPolicy: 'Never', keepContainer: true, command: 'echo au-it-out; echo au-it-err >&2; exit 3' },
      });
      const done = await t.waitFor(job.id);
      const docker = clientFor(target.host);
      // Kept so its name can be inspected; removed here whatever the checks find.
      onTestFinished(() => docker.getContainer(done.attempts[0]!.containerId!).remove({ force: true }).catch(() => undefined));
      expect(done).toMatchObject({ status: 'failed', exitCode: 3 });
      await t.core.flush();
      const events: JobEvent[] = await t.call('jobs.events', { id: job.id });
      expect(events.map((e) => e.kind)).toEqual(['created', 'starting', 'started', 'attemptEnded', 'ended']);
      const started = events.find((e) => e.kind === 'started')!;
      if (started.kind !== 'started') throw new Error('no started event');
      expect(started.containerId).toBe(done.attempts[0]!.containerId);
      expect(started.engineId).toBe(target.kind);
      // The name the timeline gives is the one the engine knows the container by.
      const inspected = await docker.getContainer(started.containerId).inspect();
      expect(inspected.Name.replace(/^\//, '')).toBe(started.containerName);
      expect(events.find((e) => e.kind === 'attemptEnded')).toMatchObject({ exitCode: 3, meaning: 'failed with a non-zero exit code', reason: 'Error' });

      const { markdown } = await t.call('jobs.report', { id: job.id });
      const version = (await t.call('engines.list', {})).find((e) => e.id === target.kind)!.version!;
      expect(markdown).toContain(`| Engine | ${target.kind} (${target.kind} ${version}) |`);
      expect(markdown).toContain('| Exit code | 3 — failed with a non-zero exit code |');
      expect(markdown).toContain('```text\nau-it-err\n```');
      expect(markdown).toContain('```text\nau-it-out\n```');
    });
  });
});
