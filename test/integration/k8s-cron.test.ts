// Kubernetes CronJob semantics on both real engines, each CronJob dropped as a file through the
// templates import path. Missed runs are driven through the core's clock seam (a core opened at a
// chosen moment) rather than by waiting for a real slot; history limits by a real per-second
// schedule, the scheduled-run path as it runs in the app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { systemClock, type Clock } from '../../src/main/core/clock';
import type { JobSummary } from '../../src/shared/query';
import { allRemoved, startCore, type TestCore } from '../support/core';
import { clientFor, engineTargets, ensureTestImage, leftovers, TEST_IMAGE } from '../support/engines';

const targets = await engineTargets();

/** A clock that reads `at` now and runs on from there at the real pace. */
const clockAt = (at: number): Clock => {
  const offset = at - Date.now();
  return { ...systemClock, now: () => Date.now() + offset };
};

const DAY = 86_400_000;
/** The latest 03:17 UTC before now: the slot of the daily schedule below. */
const SLOT = (() => {
  const now = new Date();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 3, 17);
  return today < now.getTime() ? today : today - DAY;
})();
/** The app was last open 200 days before the slot: 200 daily runs missed, more than Kubernetes' 100. */
const LAST_OPEN = SLOT - 200 * DAY;
/** It opens again 30 s after the slot. */
const REOPEN = SLOT + 30_000;

type Doc = Record<string, unknown>;
const cronDoc = (name: string, spec: Doc, script: string, apiVersion = 'batch/v1'): Doc => ({
  apiVersion,
  kind: 'CronJob',
  metadata: { name },
  spec: {
    schedule: '17 3 * * *',
    timeZone: 'Etc/UTC',
    ...spec,
    jobTemplate: {
      spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: TEST_IMAGE, imagePullPolicy: 'Never', command: ['sh', '-c', script] }] } } },
    },
  },
});

describe.each(targets)('Kubernetes CronJobs dropped and run on $kind', (target) => {
  let t: TestCore | undefined;
  const core = () => t!;

  /** Drop `doc` as a file (preview, then save); the template made to run on the test engines, `schedule` changed as a user would. */
  const drop = async (doc: Doc, schedule: Doc = {}) => {
    const files = [{ name: `${String((doc.metadata as Doc).name)}.yaml`, content: stringify(doc) }];
    const [preview] = await core().call('templates.import', { files });
    if (!preview!.ok) throw new Error(JSON.stringify(preview!.errors));
    const [saved] = await core().call('templates.importSave', { files });
    if (saved!.outcome !== 'created') throw new Error(saved!.message);
    const { id, createdAt: _c, updatedAt: _u, ...spec } = await core().call('templates.get', { id: saved!.id! });
    await core().call('templates.save', { id, spec: { ...spec, network: 'none', schedule: { ...spec.schedule!, ...schedule } } });
    return { id, warnings: preview!.warnings };
  };
  const jobsOf = async (templateId: string): Promise<JobSummary[]> => (await core().call('jobs.list', { templateId, limit: 1000 })).items;

  /** Resolves once `check` holds, looked at again on every event the core sends (never on a timer). */
  const until = async (check: () => Promise<boolean>, what: string, timeoutMs = 90_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = new Promise<void>((resolve) => {
        const off = core().core.onEvent(`until-${Math.random()}`, () => (off(), resolve()));
        setTimeout(resolve, Math.max(0, deadline - Date.now())); // the deadline, not a poll
      });
      if (await check()) return;
      if (Date.now() > deadline) throw new Error(`still not: ${what}`);
      await seen;
    }
  };

  beforeAll(async () => {
    if (target.missing) return;
    await ensureTestImage(clientFor(target.host));
  });
  afterAll(async () => {
    if (!t) return;
    await allRemoved(t.core);
    const left = await leftovers(clientFor(target.host), t.instanceId);
    await t.close();
    expect(left, 'containers left behind').toEqual([]);
  });

  describe.skipIf(Boolean(target.missing))(`${target.kind}`, { timeout: 180_000 }, () => {
    it('a run missed while closed: past startingDeadlineSeconds it is recorded missed; within it, or with 200 missed, it starts once; suspend and v1beta1 start none', async () => {
      t = await startCore(target, { clock: clockAt(LAST_OPEN) });
      const short = await drop(cronDoc('kc-deadline-10', { startingDeadlineSeconds: 10 }, 'echo late'));
      const long = await drop(cronDoc('kc-deadline-3600', { startingDeadlineSeconds: 3600 }, 'echo within'));
      const many = await drop(cronDoc('kc-many-missed', {}, 'echo caught up'));
      const suspended = await drop(cronDoc('kc-suspended', { suspend: true }, 'echo never', 'batch/v1beta1'));
      expect(many.warnings).toContainEqual(expect.stringContaining("Kubernetes' rule that more than 100 missed schedules start none does not apply"));
      expect(suspended.warnings).toContainEqual(expect.stringContaining('apiVersion: batch/v1beta1 CronJob is deprecated (removed in Kubernetes 1.25); read as batch/v1'));
      expect(suspended.warnings).toContainEqual(expect.stringContaining('spec.suspend: true: the schedule is imported turned off'));
      const { dataDir, instanceId } = t;
      await t.core.close({ stopRunning: true });
      t = await startCore(target, { dataDir, instanceId, clock: clockAt(REOPEN) });

      const slot = new Date(SLOT).toISOString();
      const [missed] = await jobsOf(short.id);
      expect(await jobsOf(short.id)).toHaveLength(1);
      expect(missed).toMatchObject({ status: 'cancelled', origin: 'schedule' });
      const missedJob = await t.call('jobs.get', { id: missed!.id });
      expect(missedJob).toMatchObject({ scheduledFor: slot, attempts: [], message: expect.stringMatching(/^missed: the run for .* would start \d+ s late, past its starting deadline of 10 s$/) });
      // 30 s after the slot, and however long the start took.
      expect(Number(/start (\d+) s late/.exec(missedJob.message!)![1])).toBeGreaterThanOrEqual(30);

      for (const { id } of [long, many]) {
        const runs = await jobsOf(id);
        expect(runs, 'one run however many were missed').toHaveLength(1);
        const job = await t.waitFor(runs[0]!.id);
        expect(job).toMatchObject({ status: 'completed', origin: 'schedule', scheduledFor: slot });
      }
      expect(await jobsOf(suspended.id)).toEqual([]);
      expect((await t.call('templates.get', { id: suspended.id })).schedule?.enabled).toBe(false);
    });

    it('successfulJobsHistoryLimit 1 and failedJobsHistoryLimit 1: older scheduled runs are removed, the newest kept', async () => {
      t ??= await startCore(target);
      const everySecond = { cron: '* * * * * *', seconds: true, allowFrequent: true };
      const ok = await drop(cronDoc('kc-history-ok', { successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 1, concurrencyPolicy: 'Forbid' }, 'exit 0'), everySecond);
      const bad = await drop(cronDoc('kc-history-failed', { successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 1, concurrencyPolicy: 'Forbid' }, 'exit 1'), everySecond);
      const removed = new Set<string>();
      const ended = new Map<string, { templateId: string; status: string; finishedAt: string }>();
      const off = t.core.onEvent('history-watch', (e) => {
        if (e.name === 'job.removed') e.payload.ids.forEach((id) => removed.add(id));
        const j = e.name === 'job.updated' ? e.payload : undefined;
        if (j?.templateId && j.finishedAt && [ok.id, bad.id].includes(j.templateId)) ended.set(j.id, { templateId: j.templateId, status: j.status, finishedAt: j.finishedAt });
      });
      const removedOf = (templateId: string) => [...ended].filter(([id, j]) => j.templateId === templateId && removed.has(id));
      // Each end trims the runs before it: wait until two runs of each template have gone.
      await until(async () => removedOf(ok.id).length >= 2 && removedOf(bad.id).length >= 2, 'two scheduled runs of each removed by the history limits');
      for (const id of [ok.id, bad.id]) {
        const { createdAt: _c, updatedAt: _u, id: _i, ...spec } = await t.call('templates.get', { id });
        await t.call('templates.save', { id, spec: { ...spec, schedule: { ...spec.schedule!, enabled: false } } });
      }
      await until(async () => (await jobsOf(ok.id)).concat(await jobsOf(bad.id)).every((j) => ['completed', 'failed', 'cancelled'].includes(j.status)), 'the last runs ended');
      // The last end's trim follows it (a job.removed once its logs are gone too).
      const keptOne = async (id: string, status: string) => (await jobsOf(id)).filter((j) => j.status === status).length === 1;
      await until(async () => (await keptOne(ok.id, 'completed')) && (await keptOne(bad.id, 'failed')), 'one run of each kept');
      off();
      for (const [id, status] of [[ok.id, 'completed'], [bad.id, 'failed']] as const) {
        const kept = (await jobsOf(id)).filter((j) => j.status === status);
        expect(kept, `${status} runs kept`).toHaveLength(1);
        // The one kept is the newest: every removed run ended before it.
        for (const [, r] of removedOf(id)) expect(Date.parse(r.finishedAt)).toBeLessThanOrEqual(Date.parse(kept[0]!.finishedAt!));
      }
    });
  });
});
