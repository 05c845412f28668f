// A Kubernetes context the kubeconfig does not have is refused when a template is saved, imported
// or run, naming the contexts there are; a job for a context whose cluster does not answer waits
// saying which engine and why, in the user's terms (as a job for a stopped Docker engine does).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { clusterProblem } from '../../src/main/core/kubernetes/errors';
import { unknownContextProblem } from '../../src/main/core/kubernetes/contexts';
import { waitText } from '../../src/shared/wait';
import { describeCommand, startFakeCore, type FakeCore } from '../support/fakeCore';
import { tempDirs } from '../support/tmp';

const tmp = tempDirs('jobdeck-kube-ctx-');

/** Contexts lab and prod, on loopback ports nothing listens on (unreachable at once). */
function kubeconfigFile(): string {
  const f = join(tmp(), 'config');
  const cluster = (name: string) => [`- name: ${name}`, '  cluster:', '    server: https://127.0.0.1:9', '    insecure-skip-tls-verify: true'];
  const context = (name: string) => [`- name: ${name}`, '  context:', `    cluster: ${name}`, '    user: u'];
  writeFileSync(f, ['apiVersion: v1', 'kind: Config', 'clusters:', ...cluster('lab'), ...cluster('prod'), 'users:', '- name: u', '  user:', '    token: t', 'contexts:', ...context('lab'), ...context('prod'), ''].join('\n'));
  return f;
}

const REFUSED = 'Kubernetes context "staging" is not in the kubeconfig; its contexts are "lab", "prod"';

async function withCore(body: (h: FakeCore) => Promise<void>): Promise<void> {
  const h = await startFakeCore({ env: { KUBECONFIG: kubeconfigFile() } });
  try {
    await body(h);
  } finally {
    await h.close();
  }
}

const spec = (engineId: string) => ({ name: `ctx-${engineId.replace(/\W/g, '-')}`, image: 'busybox:1.36', command: 'echo hi', engineId });

describeCommand('templates.save', () => {
  it('refuses a template for a context the kubeconfig does not have, naming the ones it has', async () => {
    await withCore(async (h) => {
      expect(await h.fail('templates.save', { spec: spec('kubernetes:staging') })).toMatchObject({ code: 'VALIDATION', message: REFUSED, issues: [{ path: 'engineId', message: REFUSED }] });
      expect((await h.call('templates.save', { spec: spec('kubernetes:lab') })).engineId).toBe('kubernetes:lab');
      expect((await h.call('templates.list', {})).map((s) => s.template.engineId)).toEqual(['kubernetes:lab']);
    });
  });
});

describeCommand('templates.importSave', () => {
  it('an imported file for an unknown context fails with the same words; the others are saved', async () => {
    await withCore(async (h) => {
      const file = (name: string, engineId: string) => ({ name: `${name}.yaml`, content: `apiVersion: jobdeck/v1\nkind: Template\nname: ${name}\nimage: busybox:1.36\nengineId: ${engineId}\n` });
      const outcomes = await h.call('templates.importSave', { files: [file('ctx-a', 'kubernetes:staging'), file('ctx-b', 'kubernetes:prod')] });
      expect(outcomes.map((o) => [o.name, o.outcome, o.message])).toEqual([
        ['ctx-a', 'failed', REFUSED],
        ['ctx-b', 'created', undefined],
      ]);
    });
  });
});

describeCommand('jobs.create', () => {
  it('refuses a run for an unknown context; a run for an unreachable one waits, saying which engine and why', async () => {
    await withCore(async (h) => {
      expect(await h.fail('jobs.create', { spec: spec('kubernetes:staging') })).toMatchObject({ code: 'VALIDATION', message: REFUSED });
      const docker = await h.call('templates.save', { spec: { name: 'ctx-docker', image: 'busybox:1.36', command: 'true' } });
      // An override to an unknown context is refused too.
      expect(await h.fail('jobs.create', { templateId: docker.id, overrides: { engineId: 'kubernetes:staging' } })).toMatchObject({ code: 'VALIDATION', message: REFUSED });
      const job = await h.call('jobs.create', { spec: spec('kubernetes:lab') });
      const waits = await h.call('queue.waits', {});
      const reason = waits.find((w) => w.id === job.id)?.reason;
      expect(reason).toMatchObject({ kind: 'engine', engine: 'engine kubernetes:lab' });
      expect(waitText(reason!, Date.now())).toBe(
        "waiting for engine kubernetes:lab: https://127.0.0.1:9: Connection refused: nothing listens on 127.0.0.1:9 (is the cluster running, and is the kubeconfig's server address right?)",
      );
      await h.call('jobs.cancel', { id: job.id });
    });
  });
});

it('with no contexts at all, says where they are read from', () => {
  expect(unknownContextProblem('kubernetes:dev', [])).toBe('Kubernetes context "dev" is not in the kubeconfig: it has no contexts (KUBECONFIG, else ~/.kube/config)');
  expect(unknownContextProblem('kubernetes', [])).toBeUndefined();
  expect(unknownContextProblem('docker', [])).toBeUndefined();
});

it("a cluster's failures in the user's terms", () => {
  const sys = (code: string) => Object.assign(new Error(`request failed, reason: ${code}`), { cause: Object.assign(new Error(code), { code }) });
  const server = 'https://k8s.example:6443';
  expect(clusterProblem(sys('ENOTFOUND'), server)).toBe('The host name in k8s.example:6443 is not known (DNS lookup failed): check the kubeconfig\'s server address, or the VPN');
  expect(clusterProblem(sys('ETIMEDOUT'), server)).toBe('No answer from k8s.example:6443 (timed out): a firewall, a VPN that is off, or the cluster is down');
  expect(clusterProblem(sys('CERT_HAS_EXPIRED'), server)).toBe("The cluster's certificate has expired");
  const status = (code: number, message: string) => Object.assign(new Error(`HTTP-Code: ${code}`), { code, body: JSON.stringify({ kind: 'Status', message }) });
  expect(clusterProblem(status(401, 'Unauthorized'), server)).toBe("The cluster refused the credentials of the kubeconfig's user (401 Unauthorized): log in again, a token may have expired");
  expect(clusterProblem(status(403, 'jobs.batch is forbidden: User "me" cannot list resource "jobs"'), server)).toBe(
    'The kubeconfig\'s user may not do this (403 Forbidden): jobs.batch is forbidden: User "me" cannot list resource "jobs"',
  );
  expect(clusterProblem(status(500, 'etcd is down'), server)).toBe('etcd is down');
});
