// Kubernetes contexts as engines: the kubeconfig read as kubectl reads it (never written), watched;
// the attempt's Job as the cluster's validators accept it; which engines a job may run on.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Secret } from 'kubernetes-models/v1/Secret';
import { attemptJobName, attemptManifest } from '../../src/main/core/kubernetes/attemptJob';
import { kubernetesCandidates, kubernetesEngines } from '../../src/main/core/kubernetes/engine';
import { readKubeconfig, watchKubeconfig } from '../../src/main/core/kubernetes/kubeconfig';
import { usableEngines, type EngineView } from '../../src/main/core/scheduler/order';
import type { AttemptRequest } from '../../src/main/core/engines/types';
import { Settings, SettingsPatch } from '../../src/shared/settings';
import { TemplateSpec, TemplateSpecChecked } from '../../src/shared/template';
import { tempDirs } from '../support/tmp';

const tmp = tempDirs('jobdeck-kube-');

function kubeconfig(o: { clusters: [string, string][]; contexts: { name: string; cluster: string; namespace?: string }[]; current?: string }): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    ...o.clusters.flatMap(([name, server]) => [`- name: ${name}`, '  cluster:', `    server: ${server}`]),
    'users:',
    '- name: u',
    '  user:',
    '    token: t',
    'contexts:',
    ...o.contexts.flatMap((c) => [`- name: ${c.name}`, '  context:', `    cluster: ${c.cluster}`, '    user: u', ...(c.namespace ? [`    namespace: ${c.namespace}`] : [])]),
    ...(o.current ? [`current-context: ${o.current}`] : []),
    '',
  ].join('\n');
}

describe('kubeconfig: contexts as kubectl reads them', () => {
  it('KUBECONFIG lists files: the first to name a context or set current-context wins; missing files are skipped', () => {
    const d = tmp();
    const a = join(d, 'a.yaml');
    const b = join(d, 'b.yaml');
    writeFileSync(a, kubeconfig({ clusters: [['dev', 'https://dev.example:6443']], contexts: [{ name: 'dev', cluster: 'dev', namespace: 'team' }], current: 'dev' }));
    writeFileSync(
      b,
      kubeconfig({
        clusters: [['dev', 'https://other.example:6443'], ['prod', 'https://prod.example:6443']],
        contexts: [{ name: 'dev', cluster: 'prod' }, { name: 'prod', cluster: 'prod' }],
        current: 'prod',
      }),
    );
    const before = [readFileSync(a, 'utf8'), readFileSync(b, 'utf8'), statSync(a).mtimeMs, statSync(b).mtimeMs];
    const read = readKubeconfig({ env: { KUBECONFIG: [a, join(d, 'missing.yaml'), b].join(':') } });
    expect(read.currentContext).toBe('dev');
    expect(read.contexts).toEqual([
      { name: 'dev', cluster: 'dev', server: 'https://dev.example:6443', user: 'u', namespace: 'team' },
      { name: 'prod', cluster: 'prod', server: 'https://prod.example:6443', user: 'u', namespace: 'default' },
    ]);
    expect(read.problems).toEqual([]);
    // Read, never rewritten.
    expect([readFileSync(a, 'utf8'), readFileSync(b, 'utf8'), statSync(a).mtimeMs, statSync(b).mtimeMs]).toEqual(before);
    expect(kubernetesCandidates(read).map((c) => [c.id, c.kind, c.source, c.host, c.kubernetes])).toEqual([
      ['kubernetes:dev', 'kubernetes', 'kubeconfig', 'https://dev.example:6443', { context: 'dev', namespace: 'team', cluster: 'dev', current: true }],
      ['kubernetes:prod', 'kubernetes', 'kubeconfig', 'https://prod.example:6443', { context: 'prod', namespace: 'default', cluster: 'prod' }],
    ]);
  });

  it('without KUBECONFIG, ~/.kube/config; a file that does not parse is reported, not fatal', () => {
    const home = tmp();
    mkdirSync(join(home, '.kube'));
    writeFileSync(join(home, '.kube', 'config'), kubeconfig({ clusters: [['c', 'https://c.example']], contexts: [{ name: 'kind-c', cluster: 'c' }] }));
    expect(readKubeconfig({ env: {}, home }).contexts.map((c) => c.name)).toEqual(['kind-c']);
    const bad = join(tmp(), 'bad.yaml');
    writeFileSync(bad, 'clusters: [: not yaml');
    const read = readKubeconfig({ env: { KUBECONFIG: bad } });
    expect(read.contexts).toEqual([]);
    expect(read.problems[0]).toContain(bad);
    expect(readKubeconfig({ env: {}, home: tmp() }).contexts).toEqual([]);
  });

  it('a core reads ~/.kube/config of the HOME in its environment: one given none (a test) reads no kubeconfig', () => {
    const home = tmp();
    mkdirSync(join(home, '.kube'));
    writeFileSync(join(home, '.kube', 'config'), kubeconfig({ clusters: [['c', 'https://c.example']], contexts: [{ name: 'mine', cluster: 'c' }] }));
    expect(kubernetesEngines({ env: { HOME: home } }).candidates().map((c) => c.id)).toEqual(['kubernetes:mine']);
    expect(kubernetesEngines({ env: {} }).candidates()).toEqual([]);
  });

  it('a context whose cluster is missing is left out, with why', () => {
    const f = join(tmp(), 'k.yaml');
    writeFileSync(f, kubeconfig({ clusters: [], contexts: [{ name: 'orphan', cluster: 'gone' }] }));
    const read = readKubeconfig({ env: { KUBECONFIG: f } });
    expect(read.contexts).toEqual([]);
    expect(read.problems).toEqual([expect.stringContaining('context orphan: its cluster gone')]);
  });

  it('a change to a kubeconfig file is noticed (written in place or replaced by rename)', async () => {
    const d = tmp();
    const f = join(d, 'config');
    writeFileSync(f, kubeconfig({ clusters: [], contexts: [] }));
    let changes = 0;
    let noticed!: () => void;
    const seen = new Promise<void>((r) => (noticed = r));
    const stop = watchKubeconfig({ env: { KUBECONFIG: f } }, () => {
      changes++;
      noticed();
    }, 20);
    try {
      writeFileSync(join(d, 'other-file'), 'not ours');
      writeFileSync(`${f}.tmp`, kubeconfig({ clusters: [['c', 'https://c']], contexts: [{ name: 'new', cluster: 'c' }] }));
      const { renameSync } = await import('node:fs');
      renameSync(`${f}.tmp`, f);
      await seen;
      expect(changes).toBeGreaterThanOrEqual(1);
      expect(readKubeconfig({ env: { KUBECONFIG: f } }).contexts.map((c) => c.name)).toEqual(['new']);
    } finally {
      stop();
    }
  });
});

function request(over: Record<string, unknown> = {}, env: string[] = []): AttemptRequest {
  return {
    jobId: '0b9f6c1e-5d43-4c55-9e4b-4f7f3a3c2d10',
    attempt: 2,
    index: 0,
    spec: TemplateSpec.parse({ name: 'k', image: 'busybox:1.36', ...over }),
    env,
    labels: { 'dev.jobdeck.instance': 'i-1', 'dev.jobdeck.job': '0b9f6c1e-5d43-4c55-9e4b-4f7f3a3c2d10', 'dev.jobdeck.attempt': '2', 'dev.jobdeck.index': '0' },
    graceSeconds: 7,
  };
}

describe('the attempt as a batch/v1 Job', () => {
  it('passes the cluster\'s validators; backoffLimit 0, restartPolicy Never, deadline, limits in bytes and millicores', () => {
    const { job, secret, notes } = attemptManifest(
      request({ command: 'echo hi', entrypoint: ['/bin/sh'], timeoutSeconds: 90, limits: { memory: '64m', cpus: '1.5' }, pullPolicy: 'Always', workingDir: '/w', user: '1000:1000' }, ['A=1']),
      'team',
    );
    expect(() => new Job(job as ConstructorParameters<typeof Job>[0]).validate()).not.toThrow();
    expect(secret).toBeUndefined();
    expect(notes).toEqual([]);
    expect(job.metadata).toMatchObject({ name: 'jobdeck-0b9f6c1e-5d43-4c55-9e4b-4f7f3a3c2d10-2', namespace: 'team' });
    expect(job.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 90 });
    const pod = job.spec!.template.spec!;
    expect(pod).toMatchObject({ restartPolicy: 'Never', terminationGracePeriodSeconds: 7, securityContext: { runAsUser: 1000, runAsGroup: 1000 } });
    // Docker's "64m" is 64 MiB; Kubernetes would read it as millibytes, so bytes are sent.
    expect(pod.containers[0]).toMatchObject({ image: 'busybox:1.36', imagePullPolicy: 'Always', command: ['/bin/sh'], args: ['sh', '-c', 'echo hi'], workingDir: '/w', env: [{ name: 'A', value: '1' }], resources: { limits: { memory: String(64 * 1024 ** 2), cpu: '1500m' } } });
    expect(job.spec!.template.metadata!.labels).toEqual(job.metadata!.labels);
  });

  it('secret env goes to a Secret owned by the Job; the Job names it only by reference', () => {
    const { job, secret } = attemptManifest(request({ env: [{ name: 'TOKEN', value: 'sealed', secret: true }, { name: 'MODE', value: 'x' }] }, ['TOKEN=hunter2', 'MODE=x']), 'ns');
    expect(JSON.stringify(job)).not.toContain('hunter2');
    const s = secret!({ name: job.metadata!.name!, uid: 'uid-1' });
    expect(() => new Secret(s as ConstructorParameters<typeof Secret>[0]).validate()).not.toThrow();
    expect(s.metadata!.ownerReferences).toEqual([expect.objectContaining({ kind: 'Job', name: job.metadata!.name, uid: 'uid-1' })]);
    expect(Buffer.from(s.data!.TOKEN!, 'base64').toString()).toBe('hunter2');
    expect(job.spec!.template.spec!.containers[0]!.env).toEqual([
      { name: 'TOKEN', valueFrom: { secretKeyRef: { name: job.metadata!.name, key: 'TOKEN' } } },
      { name: 'MODE', value: 'x' },
    ]);
  });

  it('says what it leaves out: labels the cluster refuses, host mounts, a user by name', () => {
    const { job, notes } = attemptManifest(request({ labels: { team: 'a b', ok: 'yes' }, mounts: [{ hostPath: '/data', containerPath: '/data' }], user: 'nobody' }), 'ns');
    expect(job.metadata!.labels).toMatchObject({ ok: 'yes' });
    expect(job.metadata!.labels).not.toHaveProperty('team');
    expect(notes).toEqual([
      'label team=a b is not a valid Kubernetes label: left off the Job',
      expect.stringContaining('user nobody is not numeric'),
      expect.stringContaining('host mounts are not made on Kubernetes'),
    ]);
  });

  it('Job names are DNS labels, unique per attempt', () => {
    expect(attemptJobName('0b9f6c1e-5d43-4c55-9e4b-4f7f3a3c2d10', 12)).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
    expect(attemptJobName('a', 1)).not.toBe(attemptJobName('a', 2));
  });
});

describe('which engines a job may use', () => {
  const engines: EngineView[] = [
    { id: 'docker', kind: 'docker', available: true },
    { id: 'podman', kind: 'podman', available: true },
    { id: 'kubernetes:dev', kind: 'kubernetes', available: true, aliases: ['kubernetes'] },
    { id: 'kubernetes:prod', kind: 'kubernetes', available: true },
  ];
  const ids = (spec: { engine?: 'any' | 'docker' | 'podman'; engineId?: string }) => usableEngines({ engine: 'any', ...spec }, engines).map((e) => e.id);

  it('"any" never sends a job to a cluster; an engine id does; "kubernetes" names the chosen context', () => {
    expect(ids({})).toEqual(['docker', 'podman']);
    expect(ids({ engineId: 'kubernetes:prod' })).toEqual(['kubernetes:prod']);
    expect(ids({ engineId: 'kubernetes' })).toEqual(['kubernetes:dev']);
  });

  it('a template may name a context engine by its id; the chosen context is kept in settings', () => {
    expect(TemplateSpecChecked.safeParse({ name: 'e', image: 'busybox', engineId: 'kubernetes:arn:aws:eks:eu-west-1:1:cluster/x' }).success).toBe(true);
    expect(TemplateSpecChecked.safeParse({ name: 'e', image: 'busybox', engineId: 'kubernetes:' }).success).toBe(false);
    expect(Settings.parse({ kubernetes: { context: 'dev' } }).kubernetes).toEqual({ context: 'dev' });
    expect(Settings.parse({}).kubernetes).toBeUndefined();
    expect(SettingsPatch.parse({ kubernetes: { context: 'prod' } })).toEqual({ kubernetes: { context: 'prod' } });
    expect(Settings.safeParse({ kubernetes: { context: '' } }).error?.issues[0]?.message).toBe('Kubernetes context must not be empty');
  });
});
