// Issue 4, reliability 2: the engine goes away while jobs run and others wait, and comes back.
// Each engine is a private one (test/support/privateEngine.ts) so killing it touches no other test.
import { describe, expect, it } from 'vitest';
import type { Job } from '../../src/shared/job';
import { allRemoved, stdoutOf } from '../support/core';
import { clientFor, engineTargets, leftovers, TEST_IMAGE } from '../support/engines';
import { usePrivateEngineCore } from '../support/privateEngine';

const targets = await engineTargets();
const LINES = 25; // 5 s of output

function counter(name: string, kind: 'docker' | 'podman') {
  return {
    name,
    image: TEST_IMAGE,
    network: 'none',
    pullPolicy: 'Never',
    engine: kind,
    retry: { limit: 2, backoffInitialSeconds: 1, backoffMaxSeconds: 1 },
    command: `i=1; while [ $i -le ${LINES} ]; do echo "${name} line $i"; i=$((i+1)); sleep 0.2; done`,
  };
}
const expected = (name: string) => Array.from({ length: LINES }, (_, i) => `${name} line ${i + 1}\n`).join('');

describe.each(targets)('outage: on $kind', (target) => {
  const started = usePrivateEngineCore(target, { concurrency: 2, stopGraceSeconds: 1 });

  it.skipIf(Boolean(target.missing))(
    'running jobs end their attempt with EngineLost and retry; waiting jobs stay pending; the queue drains when the engine is back',
    async () => {
      const { core, engine: e } = started();
      const ids: string[] = [];
      for (const name of ['run1', 'run2', 'wait1', 'wait2']) ids.push((await core.call('jobs.create', { spec: counter(name, target.kind) })).id);
      const [run1, run2, wait1, wait2] = ids as [string, string, string, string];
      for (const id of [run1, run2]) await core.waitFor(id, (j) => (j.attempts[0]?.logBytes ?? 0) > 0, 30_000);

      await e.kill();
      const lost = (j: Job) => j.attempts[0]?.reason === 'EngineLost';
      for (const id of [run1, run2]) {
        const job = await core.waitFor(id, lost, 30_000);
        expect(job.attempts[0]).toMatchObject({ status: 'failed', reason: 'EngineLost', exitCode: null });
      }
      const [info] = await core.call('engines.list', {});
      expect(info).toMatchObject({ status: 'unavailable' });
      // Past the 1 s backoff the retries wait for the engine too (job.updated says so), and nothing has started.
      for (const id of ids) {
        const job = await core.waitFor(id, (j) => j.waitingFor !== undefined, 30_000);
        expect(job.status, job.templateName).toBe('pending');
        expect(job.waitingFor, job.templateName).toBe(target.kind);
        expect(job.attempts, job.templateName).toHaveLength(id === run1 || id === run2 ? 1 : 0);
      }
      const failed = core.events.filter((ev) => ev.name === 'job.updated' && ev.payload.status === 'failed' && ev.payload.finishedAt);
      expect(failed, 'no job ended while the engine was away').toEqual([]);

      await e.start();
      const done = await Promise.all(ids.map((id) => core.waitFor(id, undefined, 60_000)));
      for (const job of done) expect(job, job.templateName).toMatchObject({ status: 'completed', exitCode: 0 });
      for (const id of [run1, run2]) {
        const job = done.find((j) => j.id === id)!;
        expect(job.attempts.map((a) => a.reason)).toEqual(['EngineLost', 'Completed']);
        expect(await stdoutOf(core, id, 2), 'the retry kept every line once').toBe(expected(job.templateName));
      }
      for (const id of [wait1, wait2]) expect(done.find((j) => j.id === id)!.attempts).toHaveLength(1);
      const [back] = await core.call('engines.list', {});
      expect(back).toMatchObject({ status: 'available' });
      // The lost attempts' containers (killed by dockerd, or still running under Podman) are gone.
      await allRemoved(core.core);
      expect(await leftovers(clientFor(e.host), core.instanceId)).toEqual([]);
    },
    150_000,
  );
});
