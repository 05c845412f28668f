// Kubernetes contexts in the Engines view, as a person sees them: a headless host of this spec's own
// whose KUBECONFIG (written here) has a context on the test API server (test/support/k8sApiServer.ts,
// reachable) and one on a loopback port nothing listens on (unreachable, the cluster's error in the
// user's terms). The namespace is changed on the card, refused first for a name a cluster refuses,
// and is still there after the host restarts; the kubeconfig is never written. A tcp:// engine's
// card says "Address", not "Socket".
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './support/a11y';
import { startHost, stopHost, type RunningHost } from '../test/support/headlessHost';
import { startK8sApiServer, type K8sApiServer } from '../test/support/k8sApiServer';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let api: K8sApiServer;
let dir = '';
let kubeconfig = '';
let host: RunningHost | undefined;
let dataDir = '';

const env = () => ({ KUBECONFIG: kubeconfig, DOCKER_HOST: 'tcp://127.0.0.1:9' });

test.beforeAll(async () => {
  test.setTimeout(300_000);
  dir = mkdtempSync(join(tmpdir(), 'jobdeck-e2e-kxn-'));
  api = await startK8sApiServer({ dir, namespace: 'kxn-team' });
  kubeconfig = join(dir, 'kubeconfig');
  const cluster = (name: string, server: string) => [`- name: ${name}`, '  cluster:', `    server: ${server}`, '    insecure-skip-tls-verify: true'];
  const context = (name: string, c: string, ns?: string) => [`- name: ${name}`, '  context:', `    cluster: ${c}`, '    user: me', ...(ns ? [`    namespace: ${ns}`] : [])];
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      ...cluster('lab', api.url),
      ...cluster('gone', 'https://127.0.0.1:9'),
      'users:',
      '- name: me',
      '  user:',
      '    token: kxn-token',
      'contexts:',
      ...context('kxn-lab', 'lab', 'kxn-team'),
      ...context('kxn-gone', 'gone'),
      'current-context: kxn-lab',
      '',
    ].join('\n'),
  );
  dataDir = mkdtempSync(join(tmpdir(), 'jobdeck-e2e-kxn-data-'));
  host = await startHost(root, { dataDir, env: env(), timeoutMs: 240_000 });
});

test.afterAll(async () => {
  if (host) await stopHost(host.child);
  await api?.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

const card = (page: Page, id: string) => page.locator(`[data-testid="engine-card"][data-engine="${id}"]`);

async function openEngines(page: Page): Promise<void> {
  await page.goto(host!.url);
  await page.locator('nav').getByRole('button', { name: /^Engines/ }).click();
}

test('each context is a card with its cluster, namespace and state; the namespace changed there survives a restart', async ({ page }) => {
  test.setTimeout(300_000);
  const before = readFileSync(kubeconfig, 'utf8');
  await openEngines(page);
  const lab = card(page, 'kubernetes:kxn-lab');
  const gone = card(page, 'kubernetes:kxn-gone');
  await expect(lab.getByTestId('engine-state')).toHaveText('reachable');
  await expect(lab).toContainText('v1.31.0-jobdeck-test');
  await expect(lab.getByTestId('engine-server')).toHaveText(`lab · ${api.url}`);
  await expect(lab.getByLabel('Namespace on kubernetes:kxn-lab')).toHaveValue('kxn-team');
  await expect(gone.getByTestId('engine-state')).toHaveText('unreachable');
  await expect(gone.getByLabel('Namespace on kubernetes:kxn-gone')).toHaveValue('default');
  await expect(gone.getByTestId('engine-error')).toHaveText(
    "https://127.0.0.1:9: Connection refused: nothing listens on 127.0.0.1:9 (is the cluster running, and is the kubeconfig's server address right?)",
  );
  // The tcp:// engine from DOCKER_HOST: another machine's address, not a socket.
  const tcp = page.locator('[data-testid="engine-card"]').filter({ hasText: 'tcp://127.0.0.1:9' });
  await expect(tcp.locator('dt').first()).toHaveText('Address');

  // A name a cluster refuses is said under the field and not saved.
  const field = lab.getByLabel('Namespace on kubernetes:kxn-lab');
  await field.fill('Nightly_Runs');
  await field.press('Enter');
  await expect(lab.getByRole('alert')).toHaveText('Namespace must be a DNS label: lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters');
  await expectAccessible(page, 'Engines, a namespace refused');
  await field.fill('kxn-nightly');
  await lab.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('.toast').filter({ hasText: 'New jobs on kubernetes:kxn-lab go to namespace kxn-nightly' })).toBeVisible();
  await expect(lab.getByTestId('engine-namespace')).toHaveAttribute('data-namespace', 'kxn-nightly');
  await expect(lab.getByTestId('engine-namespace')).toContainText('kubeconfig: kxn-team');
  await expect(lab.getByTestId('engine-state')).toHaveText('reachable');
  await page.locator('.toast').evaluateAll((els) => els.forEach((e) => (e as unknown as { click(): void }).click()));
  await page.screenshot({ path: 'docs/screenshots/k8s-engines.png' });
  await expectAccessible(page, 'Engines with Kubernetes contexts');

  // The host restarts on the same data dir: the namespace is Jobdeck's setting, still chosen.
  await stopHost(host!.child);
  host = await startHost(root, { dataDir, env: env(), timeoutMs: 240_000 });
  await openEngines(page);
  await expect(card(page, 'kubernetes:kxn-lab').getByLabel('Namespace on kubernetes:kxn-lab')).toHaveValue('kxn-nightly');
  await expect(card(page, 'kubernetes:kxn-lab').getByTestId('engine-state')).toHaveText('reachable');
  // Emptied: back to the kubeconfig's namespace.
  const again = card(page, 'kubernetes:kxn-lab').getByLabel('Namespace on kubernetes:kxn-lab');
  await again.fill('');
  await again.press('Enter');
  await expect(card(page, 'kubernetes:kxn-lab').getByTestId('engine-namespace')).toHaveAttribute('data-namespace', 'kxn-team');
  await expect(again).toHaveValue('kxn-team');
  expect(readFileSync(kubeconfig, 'utf8')).toBe(before);
  await expectAccessible(page, 'Engines after the namespace went back to the kubeconfig\'s');
});
