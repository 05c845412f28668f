// Export as a Kubernetes Job/CronJob: import(export(t)) gives t back for every field both sides
// have (a property test over generated templates), and kubectl takes the manifest (client-side dry
// run against the test API server's discovery, server-side dry run checked by kubernetes-models).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kubernetesManifest } from '../../src/shared/kubeManifest';
import { toCmd } from '../../src/main/core/engines/createOptions';
import { fromKubernetes } from '../../src/main/core/templates/kubernetes';
import { parseCpus, parseMemory } from '../../src/shared/quantity';
import { FIELD_COMPLETION_INDEX, FIELD_POD_NAME } from '../../src/shared/pod';
import { TemplateSpecChecked, type TemplateSpec } from '../../src/shared/template';
import { startK8sApiServer, type K8sApiServer } from '../support/k8sApiServer';

const text = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim().length > 0);
const envName = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,6}$/);
const labelKey = fc.stringMatching(/^[a-z]([a-z0-9-]{0,8}[a-z0-9])?$/);
const labelValue = fc.stringMatching(/^[a-z0-9]([a-z0-9._-]{0,8}[a-z0-9])?$/);

const template = fc.record(
  {
    name: fc.stringMatching(/^[a-z]([a-z0-9-]{0,20}[a-z0-9])?$/),
    image: fc.constantFrom('busybox:1.36', 'alpine', 'registry.example:5000/team/app:v2'),
    command: fc.oneof(text, fc.array(fc.string({ maxLength: 8 }), { minLength: 1, maxLength: 3 })),
    entrypoint: fc.array(text, { minLength: 1, maxLength: 2 }),
    workingDir: fc.constantFrom('/w', '/work/dir'),
    env: fc.uniqueArray(
      fc.record({ name: envName, value: fc.string({ maxLength: 10 }), secret: fc.boolean(), field: fc.constantFrom(undefined, FIELD_POD_NAME, FIELD_COMPLETION_INDEX) }),
      { selector: (e) => e.name, maxLength: 4 },
    ),
    limits: fc.record({ memory: fc.constantFrom('64Mi', '1Gi', '128m', '512M', '100000000', '2g'), cpus: fc.constantFrom('0.5', '2', '250m', '1.25') }, { requiredKeys: [] }),
    pullPolicy: fc.constantFrom('IfNotPresent', 'Always', 'Never'),
    tty: fc.boolean(),
    user: fc.constantFrom('1000', '1000:2000'),
    timeoutSeconds: fc.integer({ min: 1, max: 86_400 }),
    retry: fc.record({ limit: fc.integer({ min: 0, max: 10 }) }),
    parallelism: fc.integer({ min: 1, max: 4 }),
    completions: fc.integer({ min: 1, max: 5 }),
    completionMode: fc.constantFrom('NonIndexed', 'Indexed'),
    ttlSecondsAfterFinished: fc.integer({ min: 0, max: 86_400 }),
    suspend: fc.constant(true),
    labels: fc.dictionary(labelKey, labelValue, { maxKeys: 3 }),
    mounts: fc.array(fc.record({ hostPath: fc.constantFrom('/data', '/srv/in'), containerPath: fc.constantFrom('/in', '/mnt/x'), readOnly: fc.boolean() }), { maxLength: 1 }),
    schedule: fc.record(
      {
        cron: fc.constantFrom('*/5 * * * *', '0 3 * * *', '@daily', '15 10 * * 1-5'),
        timeZone: fc.constantFrom('Europe/Paris', 'UTC'),
        concurrencyPolicy: fc.constantFrom('Allow', 'Forbid', 'Replace'),
        enabled: fc.boolean(),
        startingDeadlineSeconds: fc.integer({ min: 1, max: 3600 }),
        successfulJobsHistoryLimit: fc.integer({ min: 0, max: 10 }),
        failedJobsHistoryLimit: fc.integer({ min: 0, max: 10 }),
      },
      { requiredKeys: ['cron'] },
    ),
  },
  { requiredKeys: ['name', 'image'] },
);

type Input = typeof template extends fc.Arbitrary<infer T> ? T : never;

function specOf(input: Input): TemplateSpec | undefined {
  const { env, ...rest } = input;
  const parsed = TemplateSpecChecked.safeParse({
    ...rest,
    ...(env ? { env: env.map((e) => (e.field && !e.secret ? { name: e.name, value: '', valueFrom: e.field } : { name: e.name, value: e.value, secret: e.secret })) } : {}),
  });
  return parsed.success ? parsed.data : undefined;
}

/** What both sides have, in one comparable shape (a limit as bytes or CPUs, a command as argv). */
function common(t: TemplateSpec, exported: boolean) {
  return {
    name: t.name,
    image: t.image,
    command: toCmd(t.command),
    entrypoint: t.entrypoint,
    workingDir: t.workingDir,
    // A secret's value stays in Jobdeck: the import asks for it again.
    env: t.env.map((e) => ({ name: e.name, secret: e.secret, ...(e.secret ? {} : e.valueFrom?.startsWith('field ') ? { valueFrom: e.valueFrom } : { value: e.value }) })),
    memory: t.limits.memory === undefined ? undefined : parseMemory(t.limits.memory),
    cpus: t.limits.cpus === undefined ? undefined : parseCpus(t.limits.cpus),
    pullPolicy: t.pullPolicy,
    tty: t.tty,
    user: t.user,
    timeoutSeconds: t.timeoutSeconds,
    retries: t.retry.limit,
    parallelism: t.parallelism,
    completions: t.completions,
    completionMode: t.completionMode,
    ttl: t.ttlSecondsAfterFinished,
    suspend: t.suspend ?? false,
    labels: t.labels,
    mounts: t.mounts,
    // The container's name: the template's, else the exported one (the name as a DNS label).
    containerName: t.containerName ?? (exported ? t.name : undefined),
    schedule: t.schedule && {
      cron: t.schedule.cron,
      timeZone: t.schedule.timeZone,
      concurrencyPolicy: t.schedule.concurrencyPolicy,
      enabled: t.schedule.enabled,
      startingDeadlineSeconds: t.schedule.startingDeadlineSeconds,
      successfulJobsHistoryLimit: t.schedule.successfulJobsHistoryLimit,
      failedJobsHistoryLimit: t.schedule.failedJobsHistoryLimit,
    },
  };
}

function roundTrip(t: TemplateSpec): TemplateSpec {
  const doc = parse(kubernetesManifest(t)) as Record<string, unknown>;
  const back = fromKubernetes(doc, doc.kind as 'Job' | 'CronJob');
  if (!back.ok) throw new Error(`import refused the export: ${JSON.stringify(back.errors)}\n${kubernetesManifest(t)}`);
  return back.spec as TemplateSpec;
}

describe('export as a Kubernetes manifest', () => {
  it('import(export(t)) gives t back for every field both have', () => {
    let checked = 0;
    fc.assert(
      fc.property(template, (input) => {
        const t = specOf(input);
        fc.pre(t !== undefined);
        checked++;
        expect(common(roundTrip(t!), false)).toEqual(common(t!, true));
      }),
      { numRuns: 300 },
    );
    // Most generated templates are valid ones: the property is not vacuous.
    expect(checked).toBeGreaterThan(100);
  });

  it('a template with an entrypoint and a shell line keeps both (the line is args, not a second command)', () => {
    const t = TemplateSpecChecked.parse({ name: 'both', image: 'busybox', entrypoint: ['/bin/sh', '-e'], command: 'echo hi' });
    const container = (parse(kubernetesManifest(t)) as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } }).spec.template.spec.containers[0];
    expect(container).toMatchObject({ command: ['/bin/sh', '-e'], args: ['sh', '-c', 'echo hi'] });
  });

  it('a Docker-style memory limit ("64m" = 64 MiB) is not sent as Kubernetes millibytes', () => {
    const t = TemplateSpecChecked.parse({ name: 'mem', image: 'busybox', limits: { memory: '64m' } });
    expect(kubernetesManifest(t)).toContain(`memory: "${64 * 1024 ** 2}"`);
  });
});

const kubectl = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => existsSync(p));

describe.skipIf(!kubectl)('kubectl takes the exported manifest', () => {
  let server: K8sApiServer;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jobdeck-kubectl-'));
    server = await startK8sApiServer({ dir });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  // Asynchronous: the test API server answers from this process.
  const run = (manifest: string, dryRun: 'client' | 'server') =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(kubectl!, ['create', `--dry-run=${dryRun}`, '--validate=false', '-o', 'json', '-f', '-'], { env: { ...process.env, KUBECONFIG: server.kubeconfig } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
      child.stdin.end(manifest);
    });

  it.each([
    ['Job', { name: 'kube-export-job', image: 'busybox', command: 'echo hi', env: [{ name: 'TOKEN', value: 'x', secret: true }], limits: { memory: '64m', cpus: '0.5' }, timeoutSeconds: 60, retry: { limit: 2 } }],
    ['CronJob', { name: 'kube-export-cron', image: 'busybox', command: ['date'], schedule: { cron: '*/5 * * * *', timeZone: 'Europe/Paris', concurrencyPolicy: 'Forbid', enabled: false, successfulJobsHistoryLimit: 2 } }],
  ])('%s: create --dry-run=client and --dry-run=server', async (kind, input) => {
    const manifest = kubernetesManifest(TemplateSpecChecked.parse(input));
    const client = await run(manifest, 'client');
    expect(client.stderr).toBe('');
    expect(client.status).toBe(0);
    expect(JSON.parse(client.stdout)).toMatchObject({ kind, metadata: { name: input.name } });
    // Server-side: the test API server checks the body with kubernetes-models' OpenAPI validators.
    const server_ = await run(manifest, 'server');
    expect(server_.stderr).toBe('');
    expect(server_.status).toBe(0);
    expect(server.received.some((r) => r.method === 'POST' && r.path.includes('dryRun=All'))).toBe(true);
  });

  it('what kubectl is given must be valid: the test server refuses a broken manifest, in the cluster\'s words', async () => {
    const broken = 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: kube-export-broken\nspec:\n  template:\n    spec:\n      containers: "not a list"\n';
    const r = await run(broken, 'server');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/invalid/i);
  });
});
