// A Kubernetes Job with an init container and a value from a secret, as a person brings it in:
// drop the manifest, give the secret's value in the preview, run it, and read on the job page the
// init container's step and its own log beside the main container's.
import { expect, test } from '@playwright/test';
import { expectAccessible } from './support/a11y';
import { dropFiles, jobBadge, jobDetail, logText, runTemplate } from './support/app';
import { useAppPage } from './support/appPage';
import { TEST_IMAGE } from './support/env';
import { preview, savePreview, screenshot, yamlFile } from './support/templates-journeys';

test.describe.configure({ mode: 'serial' });
const page = useAppPage();

const NAME = 'k8spods-init-secret';

const manifest = yamlFile(`${NAME}.yaml`, [
  'apiVersion: batch/v1',
  'kind: Job',
  `metadata: { name: ${NAME} }`,
  'spec:',
  '  backoffLimit: 0',
  '  template:',
  '    spec:',
  '      restartPolicy: Never',
  '      volumes: [ { name: work, emptyDir: {} } ]',
  '      initContainers:',
  '        - name: prepare',
  `          image: ${TEST_IMAGE}`,
  '          command: [sh, -c, "echo prepared-by-init; echo ready > /work/state"]',
  '          volumeMounts: [ { name: work, mountPath: /work } ]',
  '      containers:',
  '        - name: main',
  `          image: ${TEST_IMAGE}`,
  '          command: [sh, -c, "echo main-read-$(cat /work/state); echo password-length-${#DB_PASSWORD}"]',
  '          env:',
  '            - name: DB_PASSWORD',
  '              valueFrom: { secretKeyRef: { name: db-creds, key: password } }',
  '          volumeMounts: [ { name: work, mountPath: /work } ]',
]);

test('drop a Job with an init container and a secretKeyRef, give the value, run it, read its steps', async () => {
  await dropFiles(page(), [manifest]);
  const p = preview(page());
  const needed = p.getByTestId('missing-values');
  await expect(needed).toContainText('Values needed');
  await expect(needed).toContainText('DB_PASSWORD from secret db-creds, key password');
  await expect(needed).toContainText(`1 still empty: a job of ${NAME} cannot start until each has a value.`);
  const input = needed.getByTestId('missing-value').and(page().locator('[data-name="DB_PASSWORD"]'));
  await expect(input).toHaveAttribute('type', 'password');
  await input.fill('s3cret-pw');
  await expect(needed).toContainText('All given.');
  await screenshot(page(), 'k8s-import-values-needed');
  await expectAccessible(page(), 'import preview with values needed');
  await savePreview(page());

  await runTemplate(page(), NAME);
  await expect(jobBadge(page())).toHaveText('0', { timeout: 60_000 });
  // The main container read what the init container wrote, and got the secret (9 characters).
  await expect(logText(page())).toContainText('main-read-ready');
  await expect(logText(page())).toContainText('password-length-9');
  await expect(logText(page())).not.toContainText('prepared-by-init');

  const step = jobDetail(page()).getByTestId('attempt-step').and(page().locator('[data-step="prepare"]'));
  await expect(step).toContainText('prepare');
  await expect(step).toContainText('init');
  await expect(step).toContainText('succeeded · exit 0');
  await step.getByRole('button', { name: 'Log' }).click();
  const stepLog = jobDetail(page()).getByTestId('step-log');
  await expect(stepLog).toHaveAccessibleName('Log of prepare');
  await expect(stepLog.locator('pre')).toHaveText('prepared-by-init\n');
  await screenshot(page(), 'k8s-job-steps');
  await expectAccessible(page(), 'job page with an init container step');
});
