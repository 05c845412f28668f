// Kubernetes Job semantics on both real engines, the points k8s-semantics and k8s-pods leave
// out: each manifest dropped through the templates import path (templates.import, then
// templates.importSave as the preview's Save does), run to its end, and checked against the
// outcome a cluster gives (status, reason, containers started, indexes, logs of init containers
// and sidecars).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { LogChunk } from '../../src/shared/ipc';
import type { Job } from '../../src/shared/job';
import { allRemoved, startCore, type TestCore } from '../support/core';
import { clientFor, engineTargets, ensureTestImage, leftovers, TEST_IMAGE } from '../support/engines';
import { dropManifest, type Doc } from '../support/k8sDrop';

const targets = await engineTargets();

/** Runs until SIGTERM, then exits at once (a shell as PID 1 would otherwise wait out the grace). */
const LONG = "trap 'exit 143' TERM; sleep 30 & wait";
/** The pod's name ends with the attempt's number: `$POD` tells a script which attempt it is. */
const POD_ENV = { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } };
const firstAttempt = (then: string, otherwise: string) => `case "$POD" in *-1) ${then};; *) ${otherwise};; esac`;
/** A script whose exit depends on the completion index: `codes[i]`, or LONG when it is 'long'. */
const byIndex = (codes: (number | 'long')[]) =>
  codes.map((c, i) => `[ "$JOB_COMPLETION_INDEX" = ${i} ] && ${c === 'long' ? `{ ${LONG}; }` : `exit ${c}`}`).join('; ') + '; exit 99';

const main = (script: string, extra: Doc = {}): Doc => ({ name: 'main', image: TEST_IMAGE, imagePullPolicy: 'Never', command: ['sh', '-c', script], env: [POD_ENV], ...extra });
/** A Job manifest: `spec` fields beside a pod of `pod` fields (containers: one main running `script`). */
const jobDoc = (name: string, spec: Doc, script: string, pod: Doc = {}, apiVersion = 'batch/v1'): Doc => ({
  apiVersion,
  kind: 'Job',
  metadata: { name },
  spec: { backoffLimit: 0, ...spec, template: { spec: { restartPolicy: 'Never', containers: [main(script)], ...pod } } },
});

const started = (j: Job) => j.attempts.length;
const indexesWith = (j: Job, status: string) => [...new Set(j.attempts.filter((a) => a.status === status).map((a) => a.index))].sort();

async function logText(t: TestCore, id: string, opts: { step?: string; attempt?: number; system?: boolean } = {}): Promise<string> {
  const out: LogChunk[] = [];
  let offset = 0;
  for (;;) {
    const page = await t.call('logs.read', { id, offset, ...(opts.step ? { step: opts.step } : {}), ...(opts.attempt ? { attempt: opts.attempt } : {}) });
    out.push(...page.chunks);
    if (page.eof || page.nextOffset === offset) break;
    offset = page.nextOffset;
  }
  return out.filter((c) => (c.stream === 'system') === Boolean(opts.system)).map((c) => c.data).join('');
}

describe.each(targets)('Kubernetes manifests dropped and run on $kind', (target) => {
  let t: TestCore;
  let hostDir: string;

  /** Drop `doc` as a file: preview, then save; the saved template made to run on the test engines. */
  const drop = (doc: Doc, opts: Parameters<typeof dropManifest>[2] = {}) => dropManifest(t, doc, opts);
  const run = async (templateId: string): Promise<Job> => t.waitFor((await t.call('jobs.create', { templateId })).id);
  const dropAndRun = async (doc: Doc) => run((await drop(doc)).id);

  beforeAll(async () => {
    if (target.missing) return;
    await ensureTestImage(clientFor(target.host));
    t = await startCore(target);
    await t.call('settings.update', { concurrency: 4, stopGraceSeconds: 1 });
    hostDir = mkdtempSync(join(tmpdir(), 'k8s-more-host-'));
  });
  afterAll(async () => {
    if (!t) return;
    await allRemoved(t.core);
    const left = await leftovers(clientFor(target.host), t.instanceId);
    const vols = await clientFor(target.host).listVolumes({ filters: { label: [`dev.jobdeck.instance=${t.instanceId}`] } });
    await t.close();
    rmSync(hostDir, { recursive: true, force: true });
    expect(left, 'containers left behind').toEqual([]);
    expect((vols.Volumes ?? []).map((v) => v.Name), 'volumes left behind').toEqual([]);
  });

  describe.skipIf(Boolean(target.missing))(`${target.kind}`, { timeout: 120_000 }, () => {
    it('completions 2 with parallelism 3: never more containers than completions still needed', async () => {
      const job = await dropAndRun(jobDoc('km-wq-completions', { completions: 2, parallelism: 3 }, 'exit 0'));
      expect(job).toMatchObject({ status: 'completed', reason: 'Completed' });
      expect(started(job)).toBe(2);
    });

    it('podFailurePolicy Ignore (In) is not counted, Count (NotIn) is: 7 ignored, then 5 counted twice past backoffLimit 1', async () => {
      const rules = [
        { action: 'Ignore', onExitCodes: { operator: 'In', values: [7] } },
        { action: 'Count', onExitCodes: { operator: 'NotIn', values: [7] } },
      ];
      const job = await dropAndRun(jobDoc('km-ignore-count', { backoffLimit: 1, podFailurePolicy: { rules } }, firstAttempt('exit 7', 'exit 5')));
      expect(job).toMatchObject({ status: 'failed', reason: 'Error', exitCode: 5, failures: 2 });
      expect(job.attempts.map((a) => a.exitCode)).toEqual([7, 5, 5]);
    });

    it('podFailurePolicy FailIndex: index 1 exits 9 and fails at once despite its budget; the others succeed; FailedIndexes', async () => {
      const rules = [{ action: 'FailIndex', onExitCodes: { containerName: 'main', operator: 'In', values: [9] } }];
      const job = await dropAndRun(
        jobDoc('km-fail-index', { completions: 3, parallelism: 3, completionMode: 'Indexed', backoffLimitPerIndex: 2, podFailurePolicy: { rules } }, byIndex([0, 9, 0])),
      );
      expect(job).toMatchObject({ status: 'failed', reason: 'FailedIndexes', failedIndexes: [1], succeededIndexes: [0, 2] });
      expect(started(job)).toBe(3);
    });

    it('podFailurePolicy containerName naming an init container matches its exit: FailJob, no retry', async () => {
      const rules = [{ action: 'FailJob', onExitCodes: { containerName: 'migrate', operator: 'In', values: [3] } }];
      const init = [{ name: 'migrate', image: TEST_IMAGE, command: ['sh', '-c', 'echo schema too new >&2; exit 3'] }];
      const job = await dropAndRun(jobDoc('km-init-rule', { backoffLimit: 3, podFailurePolicy: { rules } }, 'echo never', { initContainers: init }));
      expect(job).toMatchObject({ status: 'failed', reason: 'PodFailurePolicy', exitCode: 3, message: expect.stringContaining('container migrate failed with exit code 3') });
      expect(started(job)).toBe(1);
      expect(await logText(t, job.id, { step: 'migrate' })).toBe('schema too new\n');
    });

    it('backoffLimitPerIndex: while index 0 waits out its backoff, indexes 1 and 2 run; then index 0 runs again', async () => {
      const { id } = await drop(jobDoc('km-index-backoff', { completions: 3, parallelism: 1, completionMode: 'Indexed', backoffLimitPerIndex: 1 }, `[ "$JOB_COMPLETION_INDEX" = 0 ] && ${firstAttempt('exit 1', 'exit 0')}; exit 0`));
      const { createdAt: _c, updatedAt: _u, id: _i, ...spec } = await t.call('templates.get', { id });
      await t.call('templates.save', { id, spec: { ...spec, retry: { ...spec.retry, backoffInitialSeconds: 3 } } });
      const job = await run(id);
      expect(job).toMatchObject({ status: 'completed', succeededIndexes: [0, 1, 2] });
      expect(job.attempts.map((a) => [a.index, a.status])).toEqual([[0, 'failed'], [1, 'succeeded'], [2, 'succeeded'], [0, 'succeeded']]);
    });

    it('successPolicy succeededCount 2: two indexes succeed, the third is stopped, SuccessCriteriaMet', async () => {
      const job = await dropAndRun(
        jobDoc('km-success-count', { completions: 3, parallelism: 3, completionMode: 'Indexed', successPolicy: { rules: [{ succeededCount: 2 }] } }, byIndex([0, 0, 'long'])),
      );
      expect(job).toMatchObject({ status: 'completed', reason: 'SuccessCriteriaMet', succeededIndexes: [0, 1] });
      expect(indexesWith(job, 'cancelled')).toEqual([2]);
    });

    it('init containers, a sidecar and a Memory emptyDir from a manifest: the main container reads what init wrote', async () => {
      const mount = [{ name: 'scratch', mountPath: '/scratch' }];
      const pod = {
        volumes: [{ name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '8Mi' } }],
        initContainers: [
          { name: 'prep', image: TEST_IMAGE, command: ['sh', '-c', 'echo prepared > /scratch/data; echo prep done'], volumeMounts: mount },
          {
            name: 'logger',
            image: TEST_IMAGE,
            restartPolicy: 'Always',
            command: ['sh', '-c', 'trap "echo logger stopped; exit 0" TERM; echo logger up; touch /scratch/up; while true; do sleep 0.1; done'],
            volumeMounts: mount,
          },
        ],
      };
      const doc = jobDoc('km-pod', {}, 'while [ ! -e /scratch/up ]; do sleep 0.1; done; cat /scratch/data', pod);
      (doc.spec as { template: { spec: { containers: Doc[] } } }).template.spec.containers[0]!.volumeMounts = mount;
      const { id, warnings } = await drop(doc);
      expect(warnings).toContainEqual(expect.stringContaining('volume scratch: medium Memory is kept on disk, because init container prep writes to it'));
      const job = await run(id);
      expect(job).toMatchObject({ status: 'completed', exitCode: 0 });
      expect(job.attempts[0]!.steps?.map((s) => [s.name, s.kind, s.status])).toEqual([
        ['prep', 'init', 'succeeded'],
        ['logger', 'sidecar', 'stopped'],
      ]);
      expect(await logText(t, job.id)).toBe('prepared\n');
      expect(await logText(t, job.id, { step: 'prep' })).toBe('prep done\n');
      expect(await logText(t, job.id, { step: 'logger' })).toBe('logger up\nlogger stopped\n');
      expect(await logText(t, job.id, { system: true })).toContain('medium Memory is kept on disk');
    });

    it('hostPath is saved only once confirmed and is a bind mount; a configMap volume is refused with what to do instead', async () => {
      const doc = jobDoc('km-host-path', {}, 'echo from the job > /data/out.txt', {
        volumes: [
          { name: 'data', hostPath: { path: hostDir } },
          { name: 'settings', configMap: { name: 'app-settings' } },
        ],
      });
      (doc.spec as { template: { spec: { containers: Doc[] } } }).template.spec.containers[0]!.volumeMounts = [
        { name: 'data', mountPath: '/data' },
        { name: 'settings', mountPath: '/etc/app' },
      ];
      const files = [{ name: 'km-host-path.yaml', content: stringify(doc) }];
      await expect(t.call('templates.importSave', { files })).rejects.toThrow(new RegExp(`mount host directories; confirm them to save: .*${hostDir}`));
      const { id, warnings } = await drop(doc, { confirmHostMounts: true });
      expect(warnings).toContainEqual(expect.stringMatching(/volumes\[1\] \(settings\): configMap volumes are not mounted by Jobdeck \(a config map exists only in a cluster; put its files in a directory and mount it as a hostPath volume/));
      const job = await run(id);
      expect(job).toMatchObject({ status: 'completed' });
      expect(readFileSync(join(hostDir, 'out.txt'), 'utf8')).toBe('from the job\n');
    });

    it('secretKeyRef and configMapKeyRef values given at import; fieldRef index and pod name given their values', async () => {
      const env = [
        POD_ENV,
        { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-creds', key: 'password' } } },
        { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'app', key: 'mode' } } },
        { name: 'IDX', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } },
      ];
      const doc = jobDoc('km-values', { completions: 2, parallelism: 1, completionMode: 'Indexed' }, '[ "$DB_PASSWORD" = s3cret ] && echo "$MODE $IDX $POD"');
      (doc.spec as { template: { spec: { containers: Doc[] } } }).template.spec.containers[0]!.env = env;
      const { id } = await drop(doc, { values: [{ name: 'DB_PASSWORD', value: 's3cret' }, { name: 'MODE', value: 'fast' }] });
      const job = await run(id);
      expect(job).toMatchObject({ status: 'completed', succeededIndexes: [0, 1] });
      for (const a of job.attempts) {
        expect(await logText(t, job.id, { attempt: a.number })).toBe(`fast ${a.index} km-values-${job.id.slice(0, 8)}-${a.number}\n`);
      }
      // Dropped again without the values: saved, but no job starts until they are given.
      const bare = { ...doc, metadata: { name: 'km-values-missing' } };
      const missing = await drop(bare);
      await expect(t.call('jobs.create', { templateId: missing.id })).rejects.toThrow(/DB_PASSWORD \(from secret db-creds, key password\), MODE \(from config map app, key mode\) have no value/);
    });

    it('batch/v1beta1 is read as batch/v1 with a deprecation warning; unhonoured fields are warnings naming field, value and consequence', async () => {
      const doc = jobDoc('km-beta', { completions: 1 }, 'echo beta ran', { nodeSelector: { disk: 'ssd' } }, 'batch/v1beta1');
      const { id, warnings } = await drop(doc);
      expect(warnings).toContainEqual(expect.stringContaining('apiVersion: batch/v1beta1 Job is deprecated (removed in Kubernetes 1.25); read as batch/v1'));
      expect(warnings).toContainEqual('spec.template.spec.nodeSelector: not supported by Jobdeck, ignored ({"disk":"ssd"})');
      const job = await run(id);
      expect(job).toMatchObject({ status: 'completed' });
      expect(await logText(t, job.id)).toBe('beta ran\n');
    });

    it('ttlSecondsAfterFinished 1: an unpinned job goes, a pinned one is kept', async () => {
      const { id } = await drop(jobDoc('km-ttl-pinned', { ttlSecondsAfterFinished: 1 }, 'echo done'));
      const kept = await t.call('jobs.create', { templateId: id });
      await t.call('jobs.pin', { id: kept.id, pinned: true });
      expect(await t.waitFor(kept.id)).toMatchObject({ status: 'completed' });
      // An unpinned one started after the pinned one ended is due after it: once it is gone, the pinned one was due too.
      let off = () => {};
      const removed = new Promise<string[]>((resolve) => {
        off = t.core.onEvent('ttl-pinned', (e) => e.name === 'job.removed' && resolve(e.payload.ids));
      });
      const gone = await t.call('jobs.create', { templateId: id });
      expect(await removed).toEqual([gone.id]);
      off();
      expect(await t.call('jobs.get', { id: kept.id })).toMatchObject({ pinned: true, status: 'completed' });
      expect(existsSync(join(t.dataDir, 'logs', kept.id))).toBe(true);
    });

    it('onPodConditions DisruptionTarget: the app\'s shutdown is ignored by an Ignore rule (runs again after the restart) and fails a FailJob one', { timeout: 240_000 }, async () => {
      const ignore = await drop(jobDoc('km-disrupt-ignore', { podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] } }, firstAttempt(LONG, 'echo second')));
      const failJob = await drop(jobDoc('km-disrupt-fail', { backoffLimit: 3, podFailurePolicy: { rules: [{ action: 'FailJob', onPodConditions: [{ type: 'DisruptionTarget' }] }] } }, LONG));
      const a = await t.call('jobs.create', { templateId: ignore.id });
      const b = await t.call('jobs.create', { templateId: failJob.id });
      await t.waitFor(a.id, (j) => j.attempts[0]?.status === 'running');
      await t.waitFor(b.id, (j) => j.attempts[0]?.status === 'running');
      const { dataDir, instanceId } = t;
      await t.core.close({ stopRunning: true });
      t = await startCore(target, { dataDir, instanceId });
      expect(await t.call('jobs.get', { id: b.id })).toMatchObject({ status: 'failed', reason: 'PodFailurePolicy', message: expect.stringContaining('was disrupted (DisruptionTarget), matching FailJob rule 0') });
      const again = await t.waitFor(a.id);
      expect(again).toMatchObject({ status: 'completed', failures: 0 });
      expect(again.attempts.map((x) => x.status)).toEqual(['cancelled', 'succeeded']);
      expect(await logText(t, a.id, { attempt: 2 })).toBe('second\n');
    });
  });
});
