// The default Kubernetes context (what a template with engine "kubernetes" runs on), chosen in the
// Engines view as a person does it: a headless host of this spec's own whose KUBECONFIG (written
// here) has two contexts on the test API server (test/support/k8sApiServer.ts), kxd-a the current
// one (namespace kxd-one) and kxd-b (namespace kxd-two). The marker moves with "Make default", stays
// over a host restart, a template made in the editor for engine "kubernetes" runs on the chosen
// context, and the way back follows the kubeconfig's current context again; a chosen context the
// kubeconfig lost is said above the cards.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './support/a11y';
import { clearToasts, jobBadge, jobDetail, logText } from './support/app';
import { TEST_IMAGE } from './support/env';
import { field, newTemplate } from './support/templates-journeys';
import { startHost, stopHost, type RunningHost } from '../test/support/headlessHost';
import { startK8sApiServer, type K8sApiServer } from '../test/support/k8sApiServer';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NAME = 'kxd-where-am-i';
const DEFAULT_OPTION = 'kubernetes (the default context, as the Engines view says)';
let api: K8sApiServer;
let dir = '';
let kubeconfig = '';
let kubeconfigText = '';
let host: RunningHost | undefined;
let dataDir = '';

test.beforeAll(async () => {
  test.setTimeout(300_000);
  dir = mkdtempSync(join(tmpdir(), 'jobdeck-e2e-kxd-'));
  api = await startK8sApiServer({ dir, namespace: 'kxd-two' });
  kubeconfig = join(dir, 'kubeconfig');
  const context = (name: string, ns: string) => [`- name: ${name}`, '  context:', '    cluster: lab', '    user: me', `    namespace: ${ns}`];
  kubeconfigText = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: lab',
    '  cluster:',
    `    server: ${api.url}`,
    '    insecure-skip-tls-verify: true',
    'users:',
    '- name: me',
    '  user:',
    '    token: kxd-token',
    'contexts:',
    ...context('kxd-a', 'kxd-one'),
    ...context('kxd-b', 'kxd-two'),
    'current-context: kxd-a',
    '',
  ].join('\n');
  writeFileSync(kubeconfig, kubeconfigText);
  dataDir = mkdtempSync(join(tmpdir(), 'jobdeck-e2e-kxd-data-'));
  host = await startHost(root, { dataDir, env: { KUBECONFIG: kubeconfig }, timeoutMs: 240_000 });
});

test.afterAll(async () => {
  if (host) await stopHost(host.child);
  await api?.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

const card = (page: Page, context: string) => page.locator(`[data-testid="engine-card"][data-engine="kubernetes:${context}"]`);
const marker = (page: Page, context: string) => card(page, context).getByTestId('engine-default');
const makeDefault = (page: Page, context: string) => card(page, context).getByRole('button', { name: `Make default context: ${context}` });
const follow = (page: Page, context: string) => card(page, context).getByRole('button', { name: "Follow kubeconfig's current context" });

async function openEngines(page: Page): Promise<void> {
  await page.goto(host!.url);
  await page.locator('nav').getByRole('button', { name: /^Engines/ }).click();
  await expect(card(page, 'kxd-a').getByTestId('engine-state')).toHaveText('reachable');
}

test('the default context is chosen on its card, kept over a restart, runs the job, and goes back to the kubeconfig', async ({ page }) => {
  test.setTimeout(300_000);
  await openEngines(page);
  // Following the kubeconfig: its current context is the default, said in words and by the pill.
  await expect(marker(page, 'kxd-a')).toHaveText("default (kubeconfig's current context)");
  await expect(card(page, 'kxd-a').getByTestId('engine-default-pill')).toHaveText('default');
  await expect(makeDefault(page, 'kxd-a')).toHaveCount(0);
  await expect(marker(page, 'kxd-b')).toHaveText('not default');
  await expect(card(page, 'kxd-b').getByTestId('engine-default-pill')).toHaveCount(0);

  await makeDefault(page, 'kxd-b').click();
  await expect(page.locator('.toast').filter({ hasText: 'Jobs for engine "kubernetes" now run on context kxd-b' })).toBeVisible();
  await expect(marker(page, 'kxd-b')).toHaveText('default (chosen in Jobdeck)');
  await expect(card(page, 'kxd-b').getByTestId('engine-default-pill')).toHaveText('default');
  await expect(marker(page, 'kxd-a')).toHaveText("not default (the kubeconfig's current context, but Jobdeck chose another)");
  await expect(card(page, 'kxd-a').getByTestId('engine-default-pill')).toHaveCount(0);
  await expect(makeDefault(page, 'kxd-b')).toHaveCount(0);
  await expect(makeDefault(page, 'kxd-a')).toBeVisible();
  // The focus stays on the card, on the control that took the button's place.
  await expect(follow(page, 'kxd-b')).toBeFocused();
  // The namespaces are untouched by the choice.
  await expect(card(page, 'kxd-b').getByTestId('engine-namespace')).toHaveAttribute('data-namespace', 'kxd-two');
  await expect(card(page, 'kxd-a').getByTestId('engine-namespace')).toHaveAttribute('data-namespace', 'kxd-one');
  await clearToasts(page);
  await page.screenshot({ path: 'docs/screenshots/k8s-default-context.png' });
  await expectAccessible(page, 'Engines with a default Kubernetes context chosen in Jobdeck');

  // The host restarts on the same data dir: the choice is Jobdeck's setting, still there.
  await stopHost(host!.child);
  host = await startHost(root, { dataDir, env: { KUBECONFIG: kubeconfig }, timeoutMs: 240_000 });
  await openEngines(page);
  await expect(marker(page, 'kxd-b')).toHaveText('default (chosen in Jobdeck)');
  await expect(marker(page, 'kxd-a')).toHaveText("not default (the kubeconfig's current context, but Jobdeck chose another)");

  // A template for engine "kubernetes", made in the editor, runs on the chosen context, in its namespace.
  const editor = await newTemplate(page);
  await field(editor, 'Name').fill(NAME);
  await field(editor, 'Image').fill(TEST_IMAGE);
  await field(editor, 'Command').fill('echo kxd-ran-here');
  await field(editor, 'Engine').selectOption({ label: DEFAULT_OPTION });
  await expect(field(editor, 'Engine')).toHaveValue('id:kubernetes');
  await editor.getByTestId('template-save').click();
  await expect(editor).toBeHidden();
  await page.locator('nav').getByRole('button', { name: /^Templates/ }).click();
  await page.getByTestId('template-row').filter({ hasText: NAME }).getByRole('button', { name: 'Run', exact: true }).click();
  // The run dialog starts from the template's engine, worded as the editor words it.
  const runEngine = page.getByRole('dialog', { name: /^Run / }).getByRole('combobox', { name: 'Engine' });
  await expect(runEngine).toHaveValue('id:kubernetes');
  await expect(runEngine.locator('option:checked')).toHaveText(DEFAULT_OPTION);
  await page.getByTestId('run-submit').click();
  await expect(jobDetail(page)).toContainText(NAME);
  await expect(jobBadge(page)).toHaveText('0', { timeout: 120_000 });
  await expect(logText(page)).toContainText('kxd-ran-here');
  await expect(jobDetail(page).getByTestId('spec-engine')).toHaveText('only kubernetes');
  await expect(jobDetail(page)).toContainText('ran on kubernetes:kxd-b');
  // The API server got the Job in kxd-b's namespace (Jobdeck removes it once it has ended).
  expect(api.received.filter((r) => r.method === 'POST' && r.path.endsWith('/jobs')).map((r) => r.path)).toEqual(['/apis/batch/v1/namespaces/kxd-two/jobs']);

  // Back to following the kubeconfig, by keyboard: from the namespace field, Tab reaches the button.
  await page.locator('nav').getByRole('button', { name: /^Engines/ }).click();
  await card(page, 'kxd-b').getByLabel('Namespace on kubernetes:kxd-b').click();
  await page.keyboard.press('Tab');
  await expect(follow(page, 'kxd-b')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('.toast').filter({ hasText: `Jobs for engine "kubernetes" follow the kubeconfig's current context (now kxd-a)` })).toBeVisible();
  await expect(marker(page, 'kxd-a')).toHaveText("default (kubeconfig's current context)");
  await expect(marker(page, 'kxd-b')).toHaveText('not default');
  await expect(makeDefault(page, 'kxd-b')).toBeFocused();
  await expectAccessible(page, 'Engines following the kubeconfig current context again');
});

test('a chosen context the kubeconfig no longer has is said above the cards, with the way back', async ({ page }) => {
  test.setTimeout(120_000);
  await openEngines(page);
  await makeDefault(page, 'kxd-b').click();
  await expect(marker(page, 'kxd-b')).toHaveText('default (chosen in Jobdeck)');
  // The kubeconfig is edited elsewhere (kubectl config delete-context): kxd-b goes.
  writeFileSync(kubeconfig, kubeconfigText.replace(/- name: kxd-b\n(?: {4}.*\n| {2}context:\n)+/, ''));
  expect(readFileSync(kubeconfig, 'utf8')).not.toContain('kxd-b');
  await page.getByRole('button', { name: 'Refresh', exact: true }).click();
  await expect(card(page, 'kxd-b')).toHaveCount(0);
  const missing = page.getByTestId('missing-default-context');
  await expect(missing).toHaveText(
    `Jobdeck's default Kubernetes context "kxd-b" is not in the kubeconfig: jobs for engine "kubernetes" wait until it is back.Follow kubeconfig's current context`,
  );
  await expect(marker(page, 'kxd-a')).toHaveText("not default (the kubeconfig's current context, but Jobdeck chose another)");
  await expectAccessible(page, 'Engines with a chosen context the kubeconfig lost');
  await missing.getByRole('button', { name: "Follow kubeconfig's current context" }).click();
  await expect(missing).toHaveCount(0);
  await expect(marker(page, 'kxd-a')).toHaveText("default (kubeconfig's current context)");
  writeFileSync(kubeconfig, kubeconfigText);
});
