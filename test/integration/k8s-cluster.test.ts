// The Kubernetes executor against a real cluster: only with JOBDECK_K8S_IT=1 and a kubeconfig
// (KUBECONFIG or ~/.kube/config). JOBDECK_K8S_CONTEXT picks the context (default the
// kubeconfig's current-context), JOBDECK_K8S_IMAGE the image (default busybox:1.36, which the
// cluster must be able to pull). Jobs go to the context's namespace and are deleted at their end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobdeck, type Jobdeck } from '../../src/main/core/jobdeck';
import { readKubeconfig } from '../../src/main/core/kubernetes/kubeconfig';
import { commands, type CommandArgs, type CommandName, type CommandOutput } from '../../src/shared/ipc';
import type { Job } from '../../src/shared/job';

const read = readKubeconfig({ env: process.env });
const context = process.env.JOBDECK_K8S_CONTEXT ?? read.currentContext;
const skipReason =
  process.env.JOBDECK_K8S_IT !== '1'
    ? 'set JOBDECK_K8S_IT=1 (and a kubeconfig) to run the Kubernetes executor against a real cluster'
    : !context || !read.contexts.some((c) => c.name === context)
      ? `no kubeconfig context ${context ?? '(none current)'} in ${read.files.join(':')}`
      : undefined;
if (skipReason) console.log(`k8s-cluster: skipped: ${skipReason}`);

const image = process.env.JOBDECK_K8S_IMAGE ?? 'busybox:1.36';

describe.skipIf(Boolean(skipReason))(`Kubernetes executor on a real cluster (context ${context ?? '-'})`, () => {
  let core: Jobdeck;
  let dir: string;
  const engineId = `kubernetes:${context}`;
  const call = <C extends CommandName>(command: C, input: unknown): Promise<CommandOutput<C>> =>
    (core.handlers[command] as (a: CommandArgs<C>, ctx: { clientId: string }) => Promise<CommandOutput<C>>)(commands[command].input.parse(input) as CommandArgs<C>, { clientId: 'it' });
  const finished = async (id: string, until = (j: Job) => ['completed', 'failed', 'cancelled'].includes(j.status)): Promise<Job> => {
    for (const end = Date.now() + 120_000; ; await new Promise((r) => setTimeout(r, 500))) {
      const job = await call('jobs.get', { id });
      if (until(job) || Date.now() > end) return job;
    }
  };
  const stdout = async (id: string) => (await call('logs.read', { id, offset: 0 })).chunks.filter((c) => c.stream === 'stdout').map((c) => c.data).join('');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jobdeck-k8s-it-'));
    core = await createJobdeck({ dataDir: dir, env: process.env, socketCandidates: [], kubernetes: { imagePullGraceMs: 60_000 } });
  });
  afterAll(async () => {
    await core?.close({ stopRunning: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it('the context is an available engine', async () => {
    const engines = await call('engines.list', {});
    expect(engines.find((e) => e.id === engineId)).toMatchObject({ kind: 'kubernetes', status: 'available' });
  });

  it('exit code and output', async () => {
    const job = await finished((await call('jobs.create', { spec: { name: 'k8s-it-exit', image, engineId, command: 'echo hello; exit 4' } })).id);
    expect(job).toMatchObject({ status: 'failed', reason: 'Error', exitCode: 4 });
    expect(await stdout(job.id)).toBe('hello\n');
  });

  it('secret env reaches the container', async () => {
    const job = await finished((await call('jobs.create', { spec: { name: 'k8s-it-secret', image, engineId, command: 'printf "%s\\n" "$T" | tr a-z A-Z', env: [{ name: 'T', value: 'abc', secret: true }] } })).id);
    expect(job).toMatchObject({ status: 'completed' });
    expect(await stdout(job.id)).toBe('ABC\n');
  });

  it('cancel', async () => {
    const { id } = await call('jobs.create', { spec: { name: 'k8s-it-cancel', image, engineId, command: 'sleep 300' } });
    await finished(id, (j) => j.status === 'running');
    await call('jobs.cancel', { id });
    expect(await finished(id)).toMatchObject({ status: 'cancelled', reason: 'Cancelled' });
  });
});
