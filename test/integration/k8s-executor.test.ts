// The Kubernetes executor through the real core (scheduler, store, logs), against the test API
// server (test/support/k8sApiServer.ts), whose pods are real containers on the local Docker engine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobdeck } from '../../src/main/core/jobdeck';
import { commands, type AppEvent, type CommandArgs, type CommandName, type CommandOutput } from '../../src/shared/ipc';
import type { Job } from '../../src/shared/job';
import type { TemplateSpecInput } from '../../src/shared/template';
import { clientFor, ensureTestImage, TEST_IMAGE } from '../support/engines';
import { startK8sApiServer, type K8sApiServer, type Obj } from '../support/k8sApiServer';

const DOCKER = 'unix:///var/run/docker.sock';
const ENGINE = 'kubernetes:test';

interface Core {
  call<C extends CommandName>(command: C, input: unknown): Promise<CommandOutput<C>>;
  waitFor(id: string, until?: (j: Job) => boolean, timeoutMs?: number): Promise<Job>;
  stdout(id: string, attempt?: number): Promise<string>;
  system(id: string, attempt?: number): Promise<string>;
  close(stopRunning?: boolean): Promise<void>;
}

async function openCore(server: K8sApiServer, dataDir: string, instanceId: string): Promise<Core> {
  const core = await createJobdeck({
    dataDir,
    instanceId,
    env: { KUBECONFIG: server.kubeconfig },
    socketCandidates: [`docker=${DOCKER}`],
    engineProbeIntervalMs: 500,
    kubernetes: { imagePullGraceMs: 1500 },
  });
  const waiters = new Set<() => void>();
  core.onEvent('test', (_e: AppEvent) => {
    for (const w of [...waiters]) w();
  });
  const call = async <C extends CommandName>(command: C, input: unknown): Promise<CommandOutput<C>> => {
    const args = commands[command].input.parse(input) as CommandArgs<C>;
    const handler = core.handlers[command] as (a: CommandArgs<C>, ctx: { clientId: string }) => Promise<CommandOutput<C>>;
    return handler(args, { clientId: 'test' });
  };
  const terminal = (j: Job) => ['completed', 'failed', 'cancelled'].includes(j.status);
  const waitFor = async (id: string, until: (j: Job) => boolean = terminal, timeoutMs = 30_000): Promise<Job> => {
    const deadline = Date.now() + timeoutMs;
    if (until !== terminal) await call('logs.subscribe', { id });
    for (;;) {
      const job = await call('jobs.get', { id });
      if (until(job)) return job;
      if (Date.now() > deadline) throw new Error(`job ${id} still ${job.status} after ${timeoutMs} ms: ${JSON.stringify(job.attempts)}`);
      // Woken by the next event the core sends (job.updated, log chunks), or the deadline.
      await new Promise<void>((resolve) => {
        const w = () => {
          waiters.delete(w);
          clearTimeout(t);
          resolve();
        };
        const t = setTimeout(w, deadline - Date.now() + 1);
        waiters.add(w);
      });
    }
  };
  const read = async (id: string, attempt: number | undefined, stream: 'stdout' | 'system') => {
    let out = '';
    for (let offset = 0; ; ) {
      const page = await call('logs.read', { id, offset, ...(attempt ? { attempt } : {}) });
      out += page.chunks.filter((c) => c.stream === stream).map((c) => c.data).join('');
      if (page.eof || page.nextOffset === offset) return out;
      offset = page.nextOffset;
    }
  };
  return {
    call,
    waitFor,
    stdout: (id, attempt) => read(id, attempt, 'stdout'),
    system: (id, attempt) => read(id, attempt, 'system'),
    close: (stopRunning = true) => core.close({ stopRunning }),
  };
}

const spec = (name: string, over: Partial<TemplateSpecInput> = {}): TemplateSpecInput => ({ name, image: TEST_IMAGE, engineId: ENGINE, ...over });
const jobBodies = (server: K8sApiServer): Obj[] => server.received.filter((r) => r.method === 'POST' && r.path.endsWith('/jobs')).map((r) => r.body!);
const bodyOf = (server: K8sApiServer, jobId: string): Obj => {
  const body = jobBodies(server).find((b) => b.metadata.labels['dev.jobdeck.job'] === jobId);
  if (!body) throw new Error(`no Job was created for ${jobId}`);
  return body;
};
const running = (j: Job) => j.status === 'running';

describe('Kubernetes executor against the test API server', () => {
  let server: K8sApiServer;
  let t: Core;
  let dir: string;
  const instanceId = `k8s-${Math.random().toString(36).slice(2, 10)}`;

  beforeAll(async () => {
    await ensureTestImage(clientFor(DOCKER));
    dir = mkdtempSync(join(tmpdir(), 'jobdeck-k8s-'));
    server = await startK8sApiServer({ dir });
    t = await openCore(server, join(dir, 'data'), instanceId);
    await t.call('settings.update', { stopGraceSeconds: 1 });
  });
  afterAll(async () => {
    await t?.close();
    // Pods being deleted go after their grace period: none may stay.
    let left: string[] = [];
    for (const until = Date.now() + 20_000; server && Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
      left = await server.containers();
      if (!left.length) break;
    }
    const diagnosis = `containers left behind; pods: ${JSON.stringify(server?.list('pods').map((p) => [p.metadata.name, p.metadata.deletionTimestamp, p.status?.containerStatuses?.[0]?.state]))}; jobs: ${JSON.stringify(server?.list('jobs').map((j) => j.metadata.name))}`;
    // Closed first (it removes what its kubelet made), so a failure here leaves nothing on the engine.
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
    expect(left, diagnosis).toEqual([]);
  });

  it('lists the kubeconfig context as an engine with its namespace', async () => {
    const engines = await t.call('engines.list', {});
    const k = engines.find((e) => e.id === ENGINE);
    expect(k).toMatchObject({ kind: 'kubernetes', source: 'kubeconfig', status: 'available', host: server.url, kubernetes: { context: 'test', namespace: 'jobdeck-test' } });
    expect(k!.version).toBe('v1.31.0-jobdeck-test');
  });

  it('runs one attempt as one Job: exit code, merged output, the Job as the issue says, nothing left', async () => {
    const created = await t.call('jobs.create', { spec: spec('k8s-exit', { command: 'echo out; echo err >&2; exit 3', limits: { memory: '64Mi', cpus: '0.5' }, timeoutSeconds: 120 }) });
    const job = await t.waitFor(created.id);
    expect(job).toMatchObject({ status: 'failed', reason: 'Error', exitCode: 3 });
    expect(job.attempts).toHaveLength(1);
    expect(job.attempts[0]).toMatchObject({ engineId: ENGINE, exitCode: 3 });
    // One stream from the kubelet: both lines, in the order they were written (which the two pipes may swap).
    expect((await t.stdout(job.id)).split('\n').sort()).toEqual(['', 'err', 'out']);
    expect(await t.system(job.id)).toContain('merges stdout and stderr');
    const body = bodyOf(server, job.id);
    expect(body.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 120, template: { spec: { restartPolicy: 'Never' } } });
    expect(body.metadata.labels).toMatchObject({ 'dev.jobdeck.job': job.id, 'dev.jobdeck.attempt': '1', 'dev.jobdeck.instance': instanceId });
    expect(body.spec.template.spec.containers[0]).toMatchObject({ image: TEST_IMAGE, imagePullPolicy: 'IfNotPresent', args: ['sh', '-c', 'echo out; echo err >&2; exit 3'], resources: { limits: { memory: String(64 * 1024 ** 2), cpu: '500m' } } });
    expect(server.list('jobs'), 'the Job is deleted once the attempt ends').toEqual([]);
  });

  it('exit 0 completes with its output; engineId "kubernetes" runs on the chosen context (here the kubeconfig\'s current-context)', async () => {
    const created = await t.call('jobs.create', { spec: spec('k8s-ok', { engineId: 'kubernetes', command: ['sh', '-c', 'for i in 1 2 3; do echo line $i; done'] }) });
    const job = await t.waitFor(created.id);
    expect(job).toMatchObject({ status: 'completed', reason: 'Completed', exitCode: 0 });
    expect(job.attempts[0]?.engineId).toBe(ENGINE);
    expect(await t.stdout(job.id)).toBe('line 1\nline 2\nline 3\n');
  });

  it('secret env goes in a Secret owned by the Job, never in the Job spec', async () => {
    const created = await t.call('jobs.create', {
      spec: spec('k8s-secret', { command: 'printf "%s\\n" "$TOKEN" | tr a-z A-Z; echo "plain=$PLAIN"', env: [{ name: 'TOKEN', value: 's3cr3t-value', secret: true }, { name: 'PLAIN', value: 'visible' }] }),
    });
    const job = await t.waitFor(created.id);
    expect(job).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(await t.stdout(job.id)).toBe('S3CR3T-VALUE\nplain=visible\n');
    const body = bodyOf(server, job.id);
    expect(JSON.stringify(body)).not.toContain('s3cr3t-value');
    expect(body.spec.template.spec.containers[0].env).toEqual([
      { name: 'TOKEN', valueFrom: { secretKeyRef: { name: body.metadata.name, key: 'TOKEN' } } },
      { name: 'PLAIN', value: 'visible' },
    ]);
    const secret = server.received.find((r) => r.method === 'POST' && r.path.endsWith('/secrets') && r.body?.metadata.name === body.metadata.name)?.body;
    expect(secret?.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Job', name: body.metadata.name })]);
    expect(Buffer.from(String(secret?.data.TOKEN), 'base64').toString()).toBe('s3cr3t-value');
    expect(server.list('secrets'), 'the Secret goes with its Job').toEqual([]);
  });

  it('cancel deletes the Job with propagationPolicy Background', async () => {
    const created = await t.call('jobs.create', { spec: spec('k8s-cancel', { command: 'echo started; sleep 30' }) });
    await t.waitFor(created.id, running);
    await t.waitFor(created.id, () => server.openLogs() > 0);
    await t.call('jobs.cancel', { id: created.id });
    const job = await t.waitFor(created.id);
    expect(job).toMatchObject({ status: 'cancelled', reason: 'Cancelled' });
    const del = server.received.find((r) => r.method === 'DELETE' && r.path.includes(bodyOf(server, job.id).metadata.name));
    expect(del?.path).toContain('propagationPolicy=Background');
    await expect.poll(() => server.list('pods').filter((p) => p.metadata.labels['dev.jobdeck.job'] === job.id)).toEqual([]);
  });

  it('a timeout ends the attempt as DeadlineExceeded (activeDeadlineSeconds on the Job)', async () => {
    const created = await t.call('jobs.create', { spec: spec('k8s-timeout', { command: 'sleep 30', timeoutSeconds: 1 }) });
    const job = await t.waitFor(created.id);
    expect(job).toMatchObject({ status: 'failed', reason: 'DeadlineExceeded' });
    expect(bodyOf(server, job.id).spec.activeDeadlineSeconds).toBe(1);
  });

  it('OOMKilled comes from the container status', async () => {
    const created = await t.call('jobs.create', { spec: spec('k8s-oom', { command: ['dd', 'if=/dev/zero', 'of=/dev/null', 'bs=64M', 'count=1'], limits: { memory: '16Mi' } }) });
    const job = await t.waitFor(created.id);
    expect(job).toMatchObject({ status: 'failed', reason: 'OOMKilled', exitCode: 137 });
  });

  it('an image the cluster cannot pull ends as ImagePullFailed with the cluster\'s message', async () => {
    const created = await t.call('jobs.create', { spec: spec('k8s-pull', { image: 'jobdeck-no-such-image:1' }) });
    const job = await t.waitFor(created.id);
    expect(job).toMatchObject({ status: 'failed', reason: 'ImagePullFailed' });
    expect(job.attempts[0]?.message).toMatch(/jobdeck-no-such-image:1/);
    expect(await t.system(job.id)).toMatch(/ErrImagePull|ImagePullBackOff/);
    expect(server.list('jobs')).toEqual([]);
  });

  it('artifacts: the template is told they are not collected', async () => {
    const created = await t.call('jobs.create', { spec: spec('k8s-artifacts', { command: 'echo x > /out/a.txt', outputDir: '/out' }) });
    const job = await t.waitFor(created.id);
    expect(job.status).toBe('completed');
    expect(await t.system(job.id)).toContain('artifacts are not collected on Kubernetes');
  });

  it('dropped watches, a 410 Gone and a log follow ended early lose nothing and repeat nothing', async () => {
    const created = await t.call('jobs.create', { spec: spec('k8s-reconnect', { command: 'echo one; sleep 1; echo two; sleep 1; echo three; sleep 1; echo four' }) });
    await t.waitFor(created.id, running);
    const lists = server.received.filter((r) => r.method === 'GET' && !r.path.includes('watch=true') && r.path.includes('/pods?')).length;
    server.dropWatches();
    await t.waitFor(created.id, () => server.openLogs() > 0);
    server.cutLogs();
    await new Promise((r) => setTimeout(r, 1200));
    server.expireHistory();
    await t.waitFor(created.id, () => server.openLogs() > 0);
    server.cutLogs('reset');
    const job = await t.waitFor(created.id);
    expect(job).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(await t.stdout(job.id)).toBe('one\ntwo\nthree\nfour\n');
    const follows = server.received.filter((r) => r.path.includes('/log?') && r.path.includes('follow=true'));
    expect(follows.some((r) => r.path.includes('sinceTime='))).toBe(true);
    const relists = server.received.filter((r) => r.method === 'GET' && !r.path.includes('watch=true') && r.path.includes('/pods?')).length;
    expect(relists, 'the 410 made the executor list again').toBeGreaterThan(lists);
  });

  it('a Job gone while the app was closed ends its attempt as EngineLost, with why', async () => {
    const { KubeConfig, BatchV1Api, CoreV1Api, Log, Watch } = await import('@kubernetes/client-node');
    const { KubernetesExecutor } = await import('../../src/main/core/kubernetes/executor');
    const kc = new KubeConfig();
    kc.loadFromFile(server.kubeconfig);
    const executor = new KubernetesExecutor(ENGINE, { batch: kc.makeApiClient(BatchV1Api), core: kc.makeApiClient(CoreV1Api), watch: new Watch(kc), log: new Log(kc), namespace: server.namespace });
    const sink = { started: () => undefined, log: () => undefined };
    const outcome = await executor.reattach({ containerId: 'jobdeck-gone-1', tty: false, keepContainer: false, graceSeconds: 1 }, sink).done;
    expect(outcome).toMatchObject({ exitCode: null, reason: 'EngineLost', message: expect.stringContaining('jobdeck-gone-1') });
  });

  it('after a restart, the Job is found again by its labels and followed to its end', async () => {
    const created = await t.call('jobs.create', { spec: spec('k8s-restart', { command: 'echo before; sleep 3; echo after' }) });
    await t.waitFor(created.id, running);
    await t.waitFor(created.id, () => server.openLogs() > 0);
    // The app quits with the job running (detach), and starts again on the same data dir.
    await t.close(false);
    t = await openCore(server, join(dir, 'data'), instanceId);
    const job = await t.waitFor(created.id);
    expect(job).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(job.attempts).toHaveLength(1);
    expect(await t.stdout(job.id)).toBe('before\nafter\n');
  });
});
