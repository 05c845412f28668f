// Kubernetes Job semantics on both real engines: one manifest per point, imported as a user drops
// it, run to its end through the real core, and checked against what a cluster gives for it
// (status, reason, containers started, indexes succeeded or failed).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Job } from '../../src/shared/job';
import type { TemplateSpec } from '../../src/shared/template';
import { importTemplateFile } from '../../src/main/core/templates/templateFiles';
import { useEngineCore } from '../support/core';
import { engineTargets, TEST_IMAGE } from '../support/engines';

const targets = await engineTargets();

/** Runs until SIGTERM, then exits at once (a shell as PID 1 would otherwise wait out the grace). */
const LONG = "trap 'exit 143' TERM; sleep 30 & wait";

/** A batch/v1 Job manifest (as JSON, which is YAML) with `jobSpec` beside a one-container pod running `script`. */
function manifest(name: string, jobSpec: Record<string, unknown>, script: string): TemplateSpec {
  const content = JSON.stringify({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: {
      backoffLimit: 0,
      ...jobSpec,
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: TEST_IMAGE, imagePullPolicy: 'Never', command: ['sh', '-c', script] }] } },
    },
  });
  const r = importTemplateFile({ name: `${name}.yaml`, content });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  // No bridge on the test engines; retries at once so each job stays short.
  return { ...r.templates[0]!, network: 'none', retry: { ...r.templates[0]!.retry, backoffInitialSeconds: 0 } };
}

/** A script whose exit depends on the completion index: `codes[i]`, or LONG when it is 'long'. */
const byIndex = (codes: (number | 'long')[]) =>
  codes.map((c, i) => `[ "$JOB_COMPLETION_INDEX" = ${i} ] && ${c === 'long' ? `{ ${LONG}; }` : `exit ${c}`}`).join('; ') + '; exit 99';

const started = (j: Job) => j.attempts.length;
const indexesWith = (j: Job, status: string) => [...new Set(j.attempts.filter((a) => a.status === status).map((a) => a.index))].sort();

describe.each(targets)('Kubernetes Job semantics on $kind', (target) => {
  const t = useEngineCore(target, { settings: { concurrency: 4, stopGraceSeconds: 1 } });
  const run = async (spec: TemplateSpec): Promise<Job> => t.waitFor((await t.call('jobs.create', { spec })).id);


  // Each job is short; the allowance is for an engine on a loaded machine (Podman most of all).
  describe.skipIf(Boolean(target.missing))(`${target.kind}`, { timeout: 120_000 }, () => {
    it('work queue: parallelism 3 without completions starts 3 containers and completes once they have ended', async () => {
      const job = await run(manifest('k8s-wq', { parallelism: 3 }, 'exit 0'));
      expect(job).toMatchObject({ status: 'completed', reason: 'Completed' });
      expect(started(job)).toBe(3);
    });

    it('podFailurePolicy FailJob: index 1 exits 42, the others are stopped, reason PodFailurePolicy', async () => {
      const rules = [{ action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } }, { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }];
      const job = await run(manifest('k8s-pfp', { backoffLimit: 6, completions: 3, parallelism: 3, completionMode: 'Indexed', podFailurePolicy: { rules } }, byIndex(['long', 42, 'long'])));
      expect(job).toMatchObject({ status: 'failed', reason: 'PodFailurePolicy', exitCode: 42, message: expect.stringContaining('FailJob rule 0') });
      expect(started(job)).toBe(3);
      // The rule stops every other attempt still running: those are cancelled, none fails or
      // succeeds (a stop that overtakes a start is one too: test/unit/executor-stop-race.test.ts).
      const seen = JSON.stringify(job.attempts.map((a) => [a.index, a.status, a.exitCode, a.reason, a.message, a.finishedAt]));
      expect(job.attempts.filter((a) => a.index !== 1).map((a) => [a.index, a.status]).sort(), seen).toEqual([[0, 'cancelled'], [2, 'cancelled']]);
    });

    it('podFailurePolicy mapped onto "retry only on": exit 3 is not in NotIn [1], so no retry', async () => {
      const rules = [{ action: 'FailJob', onExitCodes: { operator: 'NotIn', values: [1] } }];
      const spec = manifest('k8s-retry-on', { backoffLimit: 2, podFailurePolicy: { rules } }, 'exit 3');
      expect(spec.retry.retryOnExitCodes).toEqual([1]);
      const job = await run(spec);
      expect(job).toMatchObject({ status: 'failed', reason: 'Error', exitCode: 3 });
      expect(started(job)).toBe(1);
      const retried = await run(manifest('k8s-retry-on-1', { backoffLimit: 2, podFailurePolicy: { rules } }, 'exit 1'));
      expect(retried).toMatchObject({ status: 'failed', exitCode: 1 });
      expect(started(retried)).toBe(3);
    });

    it('successPolicy: index 0 succeeding meets succeededIndexes "0"; the rest are stopped, reason SuccessCriteriaMet', async () => {
      const job = await run(manifest('k8s-success', { completions: 3, parallelism: 3, completionMode: 'Indexed', successPolicy: { rules: [{ succeededIndexes: '0' }] } }, byIndex([0, 'long', 'long'])));
      const seen = JSON.stringify(job.attempts.map((a) => [a.index, a.status, a.exitCode, a.reason, a.message, a.finishedAt]));
      expect(job, seen).toMatchObject({ status: 'completed', reason: 'SuccessCriteriaMet', succeededIndexes: [0] });
      expect(indexesWith(job, 'cancelled'), seen).toEqual([1, 2]);
    });

    it('backoffLimitPerIndex 1: index 1 fails twice and fails; the others succeed; reason FailedIndexes naming it', async () => {
      const job = await run(manifest('k8s-per-index', { completions: 3, parallelism: 3, completionMode: 'Indexed', backoffLimitPerIndex: 1 }, byIndex([0, 1, 0])));
      expect(job).toMatchObject({ status: 'failed', reason: 'FailedIndexes', message: 'indexes 1 failed', failedIndexes: [1], succeededIndexes: [0, 2] });
      expect(started(job)).toBe(4);
    });

    it('maxFailedIndexes 0: the first failed index fails the job and stops the rest', async () => {
      const job = await run(manifest('k8s-max-failed', { completions: 3, parallelism: 3, completionMode: 'Indexed', backoffLimitPerIndex: 0, maxFailedIndexes: 0 }, byIndex(['long', 5, 'long'])));
      expect(job).toMatchObject({ status: 'failed', reason: 'MaxFailedIndexesExceeded', failedIndexes: [1] });
      // The rule stops every other attempt still running: those are cancelled, none fails or
      // succeeds (a stop that overtakes a start is one too: test/unit/executor-stop-race.test.ts).
      const seen = JSON.stringify(job.attempts.map((a) => [a.index, a.status, a.exitCode, a.reason, a.message, a.finishedAt]));
      expect(job.attempts.filter((a) => a.index !== 1).map((a) => [a.index, a.status]).sort(), seen).toEqual([[0, 'cancelled'], [2, 'cancelled']]);
    });

    it('suspend: a suspended job starts no container; resumed it runs; suspended while running it stops and stays pending', async () => {
      const spec = manifest('k8s-suspend', { suspend: true }, LONG);
      const job = await t.call('jobs.create', { spec });
      expect(job).toMatchObject({ status: 'pending' });
      await t.call('jobs.resume', { id: job.id });
      await t.waitFor(job.id, (j) => j.attempts[0]?.status === 'running');
      await t.call('jobs.suspend', { id: job.id });
      const suspended = await t.waitFor(job.id, (j) => j.status === 'pending' && j.attempts[0]?.status === 'cancelled');
      expect(suspended).toMatchObject({ suspended: true, failures: 0 });
      await t.call('jobs.resume', { id: job.id });
      await t.waitFor(job.id, (j) => j.attempts[1]?.status === 'running');
      const cancelled = await t.call('jobs.cancel', { id: job.id }).then(() => t.waitFor(job.id));
      expect(cancelled).toMatchObject({ status: 'cancelled' });
      expect(started(cancelled)).toBe(2);
    });

    it('ttlSecondsAfterFinished 1: the job and its logs are gone a second after it ends', async () => {
      const spec = manifest('k8s-ttl', { ttlSecondsAfterFinished: 1 }, 'echo bye');
      let off = () => {};
      const removed = new Promise<string[]>((resolve) => {
        off = t.core.onEvent('ttl-watch', (e) => e.name === 'job.removed' && resolve(e.payload.ids));
      });
      const job = await run(spec);
      expect(job.status).toBe('completed');
      const ended = Date.now();
      expect(await removed).toEqual([job.id]);
      off();
      expect(Date.now() - ended).toBeLessThan(3_000);
      expect(existsSync(join(t.dataDir, 'logs', job.id))).toBe(false);
      await expect(t.call('jobs.get', { id: job.id })).rejects.toThrow(/no job/);
    });
  });
});
