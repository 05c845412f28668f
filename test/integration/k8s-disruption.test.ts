// Issue 10, item 2: podFailurePolicy onPodConditions DisruptionTarget for the engine lost. The
// app's shutdown is k8s-more's; here a private engine of each kind (test/support/privateEngine.ts)
// is SIGKILLed while the containers run and brought back, as outage.test.ts does.
import { describe, expect, it } from 'vitest';
import { allRemoved, stdoutOf } from '../support/core';
import { clientFor, engineTargets, leftovers, TEST_IMAGE } from '../support/engines';
import { dropManifest, type Doc } from '../support/k8sDrop';
import { usePrivateEngineCore } from '../support/privateEngine';

const targets = await engineTargets();

/** The first attempt prints, then runs until stopped; any later one says so and ends. */
const SCRIPT = `case "$POD" in *-1) echo first; trap 'exit 143' TERM; sleep 30 & wait;; *) echo second;; esac`;
const jobDoc = (name: string, spec: Doc): Doc => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name },
  spec: {
    ...spec,
    template: {
      spec: {
        restartPolicy: 'Never',
        containers: [
          {
            name: 'main',
            image: TEST_IMAGE,
            imagePullPolicy: 'Never',
            command: ['sh', '-c', SCRIPT],
            // The pod's name ends with the attempt's number.
            env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
          },
        ],
      },
    },
  },
});
const onDisruption = (action: string) => ({ podFailurePolicy: { rules: [{ action, onPodConditions: [{ type: 'DisruptionTarget' }] }] } });

describe.each(targets)('DisruptionTarget when the engine is lost: on $kind', (target) => {
  const started = usePrivateEngineCore(target, { concurrency: 2, stopGraceSeconds: 1 });

  it.skipIf(Boolean(target.missing))(
    'an Ignore rule runs the job again once the engine is back (backoffLimit 0 not spent); a FailJob rule fails the job at once',
    async () => {
      const { core, engine: e } = started();
      const ignore = await dropManifest(core, jobDoc('kd-ignore', { backoffLimit: 0, ...onDisruption('Ignore') }));
      const failJob = await dropManifest(core, jobDoc('kd-failjob', { backoffLimit: 3, ...onDisruption('FailJob') }));
      const a = (await core.call('jobs.create', { templateId: ignore.id })).id;
      const b = (await core.call('jobs.create', { templateId: failJob.id })).id;
      // Both containers run (their first line is stored) when the engine goes.
      for (const id of [a, b]) await core.waitFor(id, (j) => (j.attempts[0]?.logBytes ?? 0) > 0, 30_000);

      await e.kill();
      const failed = await core.waitFor(b, undefined, 30_000);
      expect(failed).toMatchObject({ status: 'failed', reason: 'PodFailurePolicy', message: expect.stringContaining('was disrupted (DisruptionTarget), matching FailJob rule 0') });
      expect(failed.attempts.map((x) => x.reason)).toEqual(['EngineLost']);
      // The Ignore job is not failed past backoffLimit 0: it waits for an engine (the manifest names
      // none), nothing counted.
      const waiting = await core.waitFor(a, (j) => j.waitingFor !== undefined, 30_000);
      expect(waiting).toMatchObject({ status: 'pending', failures: 0, waitingFor: 'any engine' });
      expect(waiting.attempts.map((x) => x.reason)).toEqual(['EngineLost']);

      await e.start();
      const done = await core.waitFor(a, undefined, 60_000);
      expect(done).toMatchObject({ status: 'completed', reason: 'Completed', failures: 0 });
      expect(done.attempts.map((x) => x.reason)).toEqual(['EngineLost', 'Completed']);
      expect(await stdoutOf(core, a, 1)).toBe('first\n');
      expect(await stdoutOf(core, a, 2)).toBe('second\n');
      // The FailJob job stayed as it ended: nothing of it ran again.
      expect((await core.call('jobs.get', { id: b })).attempts).toHaveLength(1);
      // The lost attempts' containers (killed by dockerd, or still running under Podman) are gone.
      await core.waitFor(a, () => true);
      await allRemoved(core.core);
      expect(await leftovers(clientFor(e.host), core.instanceId)).toEqual([]);
    },
    150_000,
  );
});
