// A context's namespace chosen in Jobdeck's settings (the Engines view): the engine goes there,
// the choice survives a restart, the kubeconfig is never written, and a change is refused while
// attempts run in the old namespace (reconcile would no longer see their Jobs).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { EngineInfo } from '../../src/shared/engine';
import { Settings, SettingsPatch } from '../../src/shared/settings';
import { namespaceChangeRefused } from '../../src/main/core/kubernetes/namespaces';
import { kubernetesCandidates } from '../../src/main/core/kubernetes/engine';
import { readKubeconfig } from '../../src/main/core/kubernetes/kubeconfig';
import { describeCommand, startFakeCore } from '../support/fakeCore';
import { tempDirs } from '../support/tmp';

const tmp = tempDirs('jobdeck-kube-ns-');

/** A kubeconfig whose one context points at a port nothing listens on (unreachable, quickly). */
function kubeconfigFile(): string {
  const f = join(tmp(), 'config');
  writeFileSync(
    f,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: lab',
      '  cluster:',
      '    server: http://127.0.0.1:9',
      'users:',
      '- name: u',
      '  user:',
      '    token: t',
      'contexts:',
      '- name: lab',
      '  context:',
      '    cluster: lab',
      '    user: u',
      '    namespace: team',
      'current-context: lab',
      '',
    ].join('\n'),
  );
  return f;
}

it('a namespace chosen in settings wins over the context\'s own, which is kept beside it', () => {
  const read = readKubeconfig({ env: { KUBECONFIG: kubeconfigFile() } });
  expect(kubernetesCandidates(read).map((c) => c.kubernetes)).toEqual([{ context: 'lab', namespace: 'team', cluster: 'lab', current: true }]);
  expect(kubernetesCandidates(read, { lab: 'batch' }).map((c) => c.kubernetes)).toEqual([{ context: 'lab', namespace: 'batch', cluster: 'lab', kubeconfigNamespace: 'team', current: true }]);
  // The same as the kubeconfig's: nothing to show beside it.
  expect(kubernetesCandidates(read, { lab: 'team' }).map((c) => c.kubernetes)).toEqual([{ context: 'lab', namespace: 'team', cluster: 'lab', current: true }]);
});

it('a namespace must be a DNS label, said in the user\'s terms', () => {
  const rule = 'Namespace must be a DNS label: lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters';
  for (const bad of ['Team', 'team_a', '-x', 'x-', '', 'a'.repeat(64)]) {
    expect(Settings.safeParse({ kubernetes: { namespaces: { lab: bad } } }).error?.issues[0]?.message, bad).toBe(rule);
  }
  expect(SettingsPatch.parse({ kubernetes: { namespaces: { lab: 'team-a' } } })).toEqual({ kubernetes: { namespaces: { lab: 'team-a' } } });
});

it('refuses a namespace change on a context with attempts running there; other changes pass', () => {
  const engine = (running: number, kubeconfigNamespace?: string): EngineInfo => ({
    id: 'kubernetes:lab',
    kind: 'kubernetes',
    host: 'https://lab:6443',
    source: 'kubeconfig',
    status: 'available',
    checkedAt: new Date(0).toISOString(),
    running,
    kubernetes: { context: 'lab', namespace: 'batch', ...(kubeconfigNamespace ? { kubeconfigNamespace } : {}) },
  });
  expect(namespaceChangeRefused([engine(2, 'team')], { kubernetes: { namespaces: { lab: 'other' } } })).toBe(
    'kubernetes:lab has 2 jobs running in namespace batch: change its namespace once they have ended',
  );
  // Cleared (back to the kubeconfig's team) is a change too.
  expect(namespaceChangeRefused([engine(1, 'team')], { kubernetes: { namespaces: null } })).toBe('kubernetes:lab has 1 job running in namespace batch: change its namespace once it has ended');
  expect(namespaceChangeRefused([engine(1, 'team')], { kubernetes: null })).toMatch(/has 1 job running/);
  // The same namespace, another key of kubernetes, or nothing running: allowed.
  expect(namespaceChangeRefused([engine(1, 'team')], { kubernetes: { namespaces: { lab: 'batch' } } })).toBeUndefined();
  expect(namespaceChangeRefused([engine(1, 'team')], { kubernetes: { context: 'lab' } })).toBeUndefined();
  expect(namespaceChangeRefused([engine(0, 'team')], { kubernetes: { namespaces: { lab: 'other' } } })).toBeUndefined();
});

describeCommand('settings.update', () => {
  it('a namespace chosen for a context moves its engine there at once and after a restart; the kubeconfig is not written', async () => {
    const file = kubeconfigFile();
    const before = readFileSync(file, 'utf8');
    const env = { KUBECONFIG: file };
    const dataDir = tmp();
    const h = await startFakeCore({ env, dataDir });
    try {
      const lab = async () => (await h.call('engines.list', {})).find((e) => e.id === 'kubernetes:lab');
      expect((await lab())?.kubernetes).toMatchObject({ context: 'lab', namespace: 'team' });
      const saved = await h.call('settings.update', { kubernetes: { namespaces: { lab: 'nightly' } } });
      expect(saved.kubernetes).toEqual({ namespaces: { lab: 'nightly' } });
      expect((await lab())?.kubernetes).toEqual({ context: 'lab', namespace: 'nightly', cluster: 'lab', kubeconfigNamespace: 'team', current: true });
      expect(await h.fail('settings.update', { kubernetes: { namespaces: { lab: 'Night' } } })).toMatchObject({ code: 'VALIDATION' });
    } finally {
      await h.close();
    }
    const again = await startFakeCore({ env, dataDir });
    try {
      expect((await again.call('engines.list', {})).find((e) => e.id === 'kubernetes:lab')?.kubernetes?.namespace).toBe('nightly');
      // Cleared: back to the kubeconfig's.
      await again.call('settings.update', { kubernetes: { namespaces: null } });
      expect((await again.call('engines.list', {})).find((e) => e.id === 'kubernetes:lab')?.kubernetes).toEqual({ context: 'lab', namespace: 'team', cluster: 'lab', current: true });
    } finally {
      await again.close();
    }
    expect(readFileSync(file, 'utf8')).toBe(before);
  });
});
