// Export a template as a Kubernetes manifest, as a person does: the K8s button on a row of the
// Templates list (a Job), and "Export for Kubernetes" in the editor (a CronJob for a scheduled
// template). The downloaded file is read: kind, image, command, limits, and the secret as a
// secretKeyRef, never its value; where kubectl is installed it takes the file
// (`kubectl create --dry-run=client -f`, its discovery answered by the test API server).
// Every template here is named kxe-… (one shared host).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Download } from '@playwright/test';
import { parse } from 'yaml';
import { expectAccessible } from './support/a11y';
import { go } from './support/app';
import { useAppPage } from './support/appPage';
import { deleteTemplate, importTemplate, templateRow, templateYaml } from './support/core-journeys';
import { TEST_IMAGE } from './support/env';
import { openEditor, screenshot } from './support/templates-journeys';
import { startK8sApiServer, type K8sApiServer } from '../test/support/k8sApiServer';

const JOB = 'kxe-report';
const CRON = 'kxe-nightly';
const SECRET = 'kxe-t0p-s3cret';

test.describe.configure({ mode: 'serial' });
const page = useAppPage({
  acceptDownloads: true,
  beforeClose: async (p) => {
    await deleteTemplate(p, JOB);
    await deleteTemplate(p, CRON);
  },
});

const kubectl = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => existsSync(p));
let api: K8sApiServer | undefined;
let apiDir = '';

test.beforeAll(async () => {
  await go(page(), 'Templates');
  await importTemplate(
    page(),
    JOB,
    templateYaml(JOB, 'echo "$MODE report"', [
      'env:',
      '  - { name: MODE, value: weekly }',
      `  - { name: API_TOKEN, value: ${SECRET}, secret: true }`,
      'limits: { memory: 64Mi, cpus: 0.5 }',
      'timeoutSeconds: 300',
      'retry: { limit: 2 }',
    ]),
  );
  await importTemplate(page(), CRON, templateYaml(CRON, 'date', ['schedule: { cron: "0 3 * * *", timeZone: UTC, concurrencyPolicy: Forbid, enabled: false }']));
  if (kubectl) {
    apiDir = mkdtempSync(join(tmpdir(), 'jobdeck-e2e-kxe-'));
    api = await startK8sApiServer({ dir: apiDir });
  }
});

test.afterAll(async () => {
  await api?.close();
  if (apiDir) rmSync(apiDir, { recursive: true, force: true });
});

interface Container {
  name: string;
  image: string;
  args?: string[];
  env?: Record<string, unknown>[];
  resources?: { limits: Record<string, string> };
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: { schedule?: string; backoffLimit?: number; activeDeadlineSeconds?: number; template?: { spec: { containers: Container[] } }; jobTemplate?: { spec: { template: { spec: { containers: Container[] } } } } };
}

async function read(download: Download): Promise<string> {
  return readFileSync((await download.path())!, 'utf8');
}

/**
 * What `kubectl create --dry-run=<client|server> -f FILE` says (its status and the kind it would
 * create). Asynchronous: the test API server answers from this process. The test server has no
 * OpenAPI document for kubectl's own validation; its server-side dry run checks the body with
 * kubernetes-models' OpenAPI validators instead.
 */
function kubectlTakes(file: string, dryRun: 'client' | 'server'): Promise<{ status: number | null; stderr: string; kind?: string }> {
  return new Promise((resolve) => {
    const child = spawn(kubectl!, ['create', `--dry-run=${dryRun}`, '--validate=false', '-o', 'json', '-f', file], { env: { ...process.env, KUBECONFIG: api!.kubeconfig } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stderr, ...(status === 0 ? { kind: (JSON.parse(stdout) as { kind: string }).kind } : {}) }));
  });
}

test('K8s on a template row downloads its Job: image, command, limits, the secret as a secretKeyRef', async () => {
  await go(page(), 'Templates');
  const row = templateRow(page(), JOB);
  const button = row.getByRole('button', { name: `K8s: export ${JOB} as a Kubernetes manifest` });
  await expect(button).toBeVisible();
  await button.focus();
  await screenshot(page(), 'k8s-export-row');
  // The keyboard, as a person tabbing along the row's actions does.
  const [download] = await Promise.all([page().waitForEvent('download'), page().keyboard.press('Enter')]);
  expect(download.suggestedFilename()).toBe(`${JOB}.k8s.yaml`);
  const content = await read(download);
  expect(content).not.toContain(SECRET);
  expect(content).toContain(`kubectl create secret generic ${JOB}-secrets --from-literal=API_TOKEN=`);
  const doc = parse(content) as Manifest;
  expect(doc).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: JOB }, spec: { backoffLimit: 2, activeDeadlineSeconds: 300 } });
  const container = doc.spec.template!.spec.containers[0]!;
  expect(container).toMatchObject({ image: TEST_IMAGE, args: ['sh', '-c', 'echo "$MODE report"'], resources: { limits: { memory: '64Mi', cpu: '0.5' } } });
  expect(container.env).toEqual([
    { name: 'MODE', value: 'weekly' },
    { name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: `${JOB}-secrets`, key: 'API_TOKEN' } } },
  ]);
  if (kubectl) {
    for (const dryRun of ['client', 'server'] as const) expect(await kubectlTakes((await download.path())!, dryRun)).toEqual({ status: 0, stderr: '', kind: 'Job' });
  }
  await expectAccessible(page(), 'Templates, a row with its K8s export');
});

test('"Export for Kubernetes" in the editor downloads a CronJob of what the editor shows', async () => {
  const editor = await openEditor(page(), CRON);
  // An unsaved change is in the export: it is what the editor shows.
  await editor.getByLabel('Command', { exact: true }).fill('date -u');
  const button = editor.getByRole('button', { name: 'Export for Kubernetes' });
  await screenshot(page(), 'k8s-export-editor');
  const [download] = await Promise.all([page().waitForEvent('download'), button.click()]);
  expect(download.suggestedFilename()).toBe(`${CRON}.k8s.yaml`);
  const content = await read(download);
  const doc = parse(content) as Manifest;
  expect(doc).toMatchObject({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: CRON }, spec: { schedule: '0 3 * * *', timeZone: 'UTC', concurrencyPolicy: 'Forbid', suspend: true } });
  expect(doc.spec.jobTemplate!.spec.template.spec.containers[0]).toMatchObject({ image: TEST_IMAGE, args: ['sh', '-c', 'date -u'] });
  await expect(page().locator('.toast').filter({ hasText: `Exported ${CRON}.k8s.yaml` })).toBeVisible();
  if (kubectl) {
    for (const dryRun of ['client', 'server'] as const) expect(await kubectlTakes((await download.path())!, dryRun)).toEqual({ status: 0, stderr: '', kind: 'CronJob' });
  }
  await expectAccessible(page(), 'the template editor with Export for Kubernetes');
  // The change was only exported, not saved: leaving asks, and Discard drops it.
  await editor.getByRole('button', { name: 'Cancel' }).click();
  const leave = page().getByRole('dialog', { name: 'Unsaved changes' });
  await leave.getByRole('button', { name: 'Discard', exact: true }).click();
  await expect(editor).toBeHidden();
});

test('the export dialog writes every shown template as one multi-document Kubernetes file', async () => {
  await go(page(), 'Templates');
  await page().getByLabel('Filter templates').fill('kxe-');
  await expect(page().getByTestId('template-row')).toHaveCount(2);
  await page().getByTestId('export-all').click();
  const dialog = page().getByTestId('export-dialog');
  await dialog.getByLabel('Kubernetes Job / CronJob manifests').check();
  await expect(dialog.getByLabel('one file (YAML documents separated by ---)')).toBeChecked();
  await screenshot(page(), 'k8s-export-dialog');
  await expectAccessible(page(), 'the export dialog, Kubernetes chosen');
  const [download] = await Promise.all([page().waitForEvent('download'), dialog.getByTestId('export-submit').click()]);
  expect(download.suggestedFilename()).toBe('jobdeck-templates.k8s.yaml');
  const content = await read(download);
  const kinds = content
    .split(/^---$/m)
    .map((d) => parse(d) as Manifest)
    .map((d) => `${d.kind} ${d.metadata.name}`);
  expect(kinds).toEqual([`CronJob ${CRON}`, `Job ${JOB}`]);
  expect(content).not.toContain(SECRET);
  await page().getByLabel('Filter templates').fill('');
  await expectAccessible(page(), 'Templates after the Kubernetes export');
});
