// The default Kubernetes context (what engineId 'kubernetes' runs on), chosen in the Engines view:
// kept in settings.kubernetes.context beside the namespaces, refused for a context the kubeconfig
// does not have, cleared back to following the kubeconfig's current-context, kept over a restart.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { applyPatch } from '../../src/shared/patch';
import { Settings, SettingsPatch } from '../../src/shared/settings';
import { kubernetesCandidates } from '../../src/main/core/kubernetes/engine';
import { readKubeconfig } from '../../src/main/core/kubernetes/kubeconfig';
import { describeCommand, startFakeCore, type FakeCore } from '../support/fakeCore';
import { tempDirs } from '../support/tmp';
import { defaultBy, defaultContextOptions, defaultText } from '../../src/renderer/src/components/engines/defaultBy';

const tmp = tempDirs('jobdeck-kube-default-');

/** Two contexts on ports nothing listens on (unreachable at once, each by its own address); lab is current. */
function kubeconfigFile(): string {
  const f = join(tmp(), 'config');
  const cluster = (name: string, port: number) => [`- name: ${name}`, '  cluster:', `    server: http://127.0.0.1:${port}`];
  const context = (name: string) => [`- name: ${name}`, '  context:', `    cluster: ${name}`, '    user: u'];
  writeFileSync(
    f,
    ['apiVersion: v1', 'kind: Config', 'clusters:', ...cluster('lab', 9), ...cluster('prod', 19), 'users:', '- name: u', '  user:', '    token: t', 'contexts:', ...context('lab'), ...context('prod'), 'current-context: lab', ''].join(
      '\n',
    ),
  );
  return f;
}

it("the kubeconfig's current-context is marked on its engine, and only there", () => {
  const read = readKubeconfig({ env: { KUBECONFIG: kubeconfigFile() } });
  expect(kubernetesCandidates(read).map((c) => [c.id, c.kubernetes?.current])).toEqual([
    ['kubernetes:lab', true],
    ['kubernetes:prod', undefined],
  ]);
});

it('clearing the context of settings that have no kubernetes part yet leaves valid settings', () => {
  // A merge patch's null inside an object not stored yet removes nothing (it was kept as null: unreadable).
  const next = applyPatch(Settings, Settings.parse({}), SettingsPatch.parse({ kubernetes: { context: null } }));
  expect(Settings.safeParse(next).success).toBe(true);
  expect(next.kubernetes).toEqual({});
});

it('a card says whether its context is the default, and by whose choice', () => {
  const s = (context?: string) => Settings.parse(context ? { kubernetes: { context } } : {});
  const lab = { context: 'lab', namespace: 'default', current: true };
  const prod = { context: 'prod', namespace: 'default' };
  // Following the kubeconfig: its current-context is the default.
  expect([defaultBy(s(), lab), defaultBy(s(), prod)]).toEqual(['kubeconfig', undefined]);
  expect(defaultText('kubeconfig', lab)).toBe("default (kubeconfig's current context)");
  expect(defaultText(undefined, prod)).toBe('not default');
  // Jobdeck's choice wins over the kubeconfig's current-context.
  expect([defaultBy(s('prod'), lab), defaultBy(s('prod'), prod)]).toEqual([undefined, 'jobdeck']);
  expect(defaultText('jobdeck', prod)).toBe('default (chosen in Jobdeck)');
  expect(defaultText(undefined, lab)).toBe("not default (the kubeconfig's current context, but Jobdeck chose another)");
  expect(defaultText(defaultBy(s('lab'), lab), lab)).toBe("default (chosen in Jobdeck; also the kubeconfig's current context)");
  // Settings not read yet: no marker rather than a wrong one.
  expect(defaultBy(undefined, lab)).toBeUndefined();
});

it('the Engine fields offer the default context where the kubeconfig has contexts', () => {
  expect(defaultContextOptions([{ kind: 'docker' }])).toEqual([]);
  expect(defaultContextOptions([{ kind: 'docker' }, { kind: 'kubernetes' }, { kind: 'kubernetes' }])).toEqual([{ value: 'id:kubernetes', label: 'kubernetes (the default context, as the Engines view says)' }]);
});

/** What a job with engineId 'kubernetes' waits for: the chosen context's engine, by its unreachable address. */
async function waitProblem(h: FakeCore, jobId: string): Promise<string | undefined> {
  const w = (await h.call('queue.waits', {})).find((x) => x.id === jobId);
  return w?.reason.kind === 'engine' ? w.reason.problem : undefined;
}

describeCommand('settings.update', () => {
  it('chooses the default context and clears it, keeping namespaces and other settings; refuses an unknown one; kept over a restart', async () => {
    const file = kubeconfigFile();
    const before = readFileSync(file, 'utf8');
    const env = { KUBECONFIG: file };
    const dataDir = tmp();
    const h = await startFakeCore({ env, dataDir });
    let jobId = '';
    try {
      await h.call('settings.update', { concurrency: 7, kubernetes: { namespaces: { lab: 'nightly' } } });
      const job = await h.call('jobs.create', { spec: { name: 'kdef-chosen', image: 'busybox', command: ['true'], engineId: 'kubernetes' } });
      jobId = job.id;
      // Following the kubeconfig: lab, its current-context.
      expect(await waitProblem(h, jobId)).toMatch(/^kubernetes:lab: http:\/\/127\.0\.0\.1:9: /);

      const saved = await h.call('settings.update', { kubernetes: { context: 'prod' } });
      expect(saved.kubernetes).toEqual({ context: 'prod', namespaces: { lab: 'nightly' } });
      expect(saved.concurrency).toBe(7);
      expect(await waitProblem(h, jobId)).toMatch(/^kubernetes:prod: http:\/\/127\.0\.0\.1:19: /);

      const refused = await h.fail('settings.update', { kubernetes: { context: 'staging' } });
      expect(refused).toMatchObject({
        code: 'VALIDATION',
        message: 'Kubernetes context "staging" is not in the kubeconfig; its contexts are "lab", "prod"',
        issues: [{ path: 'kubernetes.context', message: 'Kubernetes context "staging" is not in the kubeconfig; its contexts are "lab", "prod"' }],
      });
      expect((await h.call('settings.get', {})).kubernetes).toEqual({ context: 'prod', namespaces: { lab: 'nightly' } });
    } finally {
      await h.close();
    }
    const again = await startFakeCore({ env, dataDir });
    try {
      expect((await again.call('settings.get', {})).kubernetes?.context).toBe('prod');
      expect(await waitProblem(again, jobId)).toMatch(/^kubernetes:prod: /);
      // Back to following the kubeconfig's current-context; the namespaces stay.
      const cleared = await again.call('settings.update', { kubernetes: { context: null } });
      expect(cleared.kubernetes).toEqual({ namespaces: { lab: 'nightly' } });
      expect(cleared.concurrency).toBe(7);
      expect(await waitProblem(again, jobId)).toMatch(/^kubernetes:lab: /);
      const engines = await again.call('engines.list', {});
      expect(engines.filter((e) => e.kubernetes?.current).map((e) => e.id)).toEqual(['kubernetes:lab']);
    } finally {
      await again.close();
    }
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it("the current-context mark follows the kubeconfig when kubectl switches it", async () => {
    const file = kubeconfigFile();
    const h = await startFakeCore({ env: { KUBECONFIG: file } });
    try {
      writeFileSync(file, readFileSync(file, 'utf8').replace('current-context: lab', 'current-context: prod'));
      const engines = await h.call('engines.refresh', {});
      expect(engines.filter((e) => e.kubernetes?.current).map((e) => e.id)).toEqual(['kubernetes:prod']);
    } finally {
      await h.close();
    }
  });
});

describeCommand('queue.waits', () => {
  it('a job for engine "kubernetes" with no context behind it says why, and where to choose one', async () => {
    const file = kubeconfigFile();
    writeFileSync(file, readFileSync(file, 'utf8').replace('current-context: lab\n', ''));
    const h = await startFakeCore({ env: { KUBECONFIG: file } });
    try {
      const job = await h.call('jobs.create', { spec: { name: 'kdef-nowhere', image: 'busybox', command: ['true'], engineId: 'kubernetes' } });
      // With no context chosen, it once ran on the local Docker engine (undefined === undefined matched it).
      expect(h.engines.runs(job.id)).toEqual([]);
      expect(await waitProblem(h, job.id)).toBe("no Kubernetes context is the default: the kubeconfig's current-context names none of its contexts; make one the default in the Engines view");
      await h.call('settings.update', { kubernetes: { context: 'prod' } });
      expect(await waitProblem(h, job.id)).toMatch(/^kubernetes:prod: http:\/\/127\.0\.0\.1:19: /);
      // kubectl config delete-context prod: Jobdeck's choice is kept (never cleared behind the user's back) and said.
      writeFileSync(file, readFileSync(file, 'utf8').replace(/- name: prod\n {2}context:\n(?: {4}.*\n)+/, ''));
      await h.call('engines.refresh', {});
      expect(await waitProblem(h, job.id)).toBe(
        'Jobdeck\'s default Kubernetes context "prod" is not in the kubeconfig: make another the default in the Engines view, or follow the kubeconfig\'s current context',
      );
      expect((await h.call('settings.get', {})).kubernetes?.context).toBe('prod');
    } finally {
      await h.close();
    }
    const none = await startFakeCore({ env: {} });
    try {
      const job = await none.call('jobs.create', { spec: { name: 'kdef-noconfig', image: 'busybox', command: ['true'], engineId: 'kubernetes' } });
      expect(none.engines.runs(job.id)).toEqual([]);
      expect(await waitProblem(none, job.id)).toBe('the kubeconfig has no contexts (KUBECONFIG, else ~/.kube/config)');
    } finally {
      await none.close();
    }
  });
});
