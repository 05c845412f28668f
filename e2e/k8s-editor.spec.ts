// The Kubernetes policies in the template editor's form, as a person uses them: a FailJob rule
// added as a row (a wrong exit code refused under it, then fixed), saved, run, and the job seen
// ending for that rule. Every template here is named k8se-… (one shared host).
import { expect, test } from '@playwright/test';
import { expectAccessible } from './support/a11y';
import { dropFiles, go, jobBadge, jobDetail, runTemplate } from './support/app';
import { useAppPage } from './support/appPage';
import { TEST_IMAGE } from './support/env';
import { field, newTemplate, openEditor, openSection, savePreview, screenshot, yamlFile } from './support/templates-journeys';

test.describe.configure({ mode: 'serial' });
const page = useAppPage();

const NAME = 'k8se-fail-on-3';

test('a FailJob rule made in the form ends the job with reason PodFailurePolicy, the rule shown', async () => {
  const editor = await newTemplate(page());
  await field(editor, 'Name').fill(NAME);
  await field(editor, 'Image').fill(TEST_IMAGE);
  await field(editor, 'Command').fill('echo checking; exit 3');
  await openSection(editor, 'Limits & retry');
  await field(editor, 'Retries').fill('4');

  const section = await openSection(editor, 'Kubernetes policies');
  await section.getByRole('button', { name: 'Add rule' }).click();
  const rule = section.getByTestId('pfp-rule');
  await expect(rule).toHaveCount(1);
  await expect(rule.getByLabel('Rule 0: action')).toHaveValue('FailJob');
  await expect(rule.getByLabel('operator')).toHaveValue('In');
  // Exit code 0 is success: a rule cannot fail the job on it, and says so under the row.
  await rule.getByLabel('exit codes').fill('0');
  await expect(rule.getByTestId('error-podFailurePolicy.rules[0].onExitCodes.values')).toHaveText('Pod failure policy: exit code 0 cannot be In a rule (it is success)');
  await rule.getByLabel('exit codes').fill('3, 4');
  await expect(rule.getByTestId('error-podFailurePolicy.rules[0].onExitCodes.values')).toHaveCount(0);
  await rule.getByLabel('container').fill('main');
  // A per-index limit without Indexed is refused by the same rule as the import's, naming the field.
  await field(section, 'Backoff limit per index').fill('2');
  await expect(section.getByTestId('error-backoffLimitPerIndex')).toHaveText('Backoff limit per index (backoffLimitPerIndex) needs completion mode Indexed');
  await field(section, 'Backoff limit per index').fill('');
  await field(section, 'TTL after finished (s)').fill('3600');
  await expect(section.locator('summary')).toContainText('podFailurePolicy, ttlSecondsAfterFinished');
  await section.scrollIntoViewIfNeeded();
  await screenshot(page(), 'k8s-editor');
  await expectAccessible(page(), 'template editor, Kubernetes policies as form fields');

  await editor.getByTestId('template-save').click();
  await expect(editor).toBeHidden();

  // Reopened, the rule reads back as it was typed.
  const again = await openEditor(page(), NAME);
  const back = (await openSection(again, 'Kubernetes policies')).getByTestId('pfp-rule');
  await expect(back.getByLabel('Rule 0: action')).toHaveValue('FailJob');
  await expect(back.getByLabel('container')).toHaveValue('main');
  await expect(back.getByLabel('exit codes')).toHaveValue('3, 4');
  await again.getByRole('button', { name: 'Cancel' }).click();
  await expect(again).toBeHidden();

  await runTemplate(page(), NAME);
  const detail = jobDetail(page());
  await expect(detail).toHaveAttribute('data-status', 'failed');
  await expect(jobBadge(page())).toHaveText('3 Policy');
  await expect(detail.locator('.notice')).toHaveText('container main failed with exit code 3, matching FailJob rule 0 of the pod failure policy');
  // One attempt: the rule ended the job although 4 retries were allowed.
  await expect(detail.getByTestId('attempt')).toHaveCount(1);
  await expect(detail.getByTestId('job-policy')).toContainText('rule 0: FailJob when main exits with 3, 4');
  await expectAccessible(page(), 'job page of a job failed by a rule made in the form');
});

test('while an init container runs, the queue and the job page say which, not only "starting"', async () => {
  const name = 'k8se-init-phase';
  await dropFiles(page(), [
    yamlFile(`${name}.yaml`, [
      'apiVersion: batch/v1',
      'kind: Job',
      `metadata: { name: ${name} }`,
      'spec:',
      '  backoffLimit: 0',
      '  template:',
      '    spec:',
      '      restartPolicy: Never',
      '      initContainers:',
      '        - name: wait-for-db',
      `          image: ${TEST_IMAGE}`,
      `          command: [sh, -c, "trap 'exit 143' TERM; echo waiting; sleep 60 & wait"]`,
      '      containers:',
      '        - name: main',
      `          image: ${TEST_IMAGE}`,
      '          imagePullPolicy: IfNotPresent',
      '          command: [sh, -c, "echo main never runs"]',
    ]),
  ]);
  await savePreview(page());
  await runTemplate(page(), name);
  const detail = jobDetail(page());
  await expect(detail.getByTestId('attempt').first().getByTestId('attempt-phase')).toHaveText('Init: wait-for-db running');
  await expect(detail.locator('[data-testid="attempt-step"][data-step="wait-for-db"]')).toHaveAttribute('data-status', 'running');
  const jobId = await detail.getAttribute('data-job-id');
  await go(page(), 'Queue');
  const row = page().locator(`[data-testid="running-row"][data-job-id="${jobId}"]`);
  await expect(row.getByTestId('attempt-phase')).toHaveText('Init: wait-for-db running');
  await screenshot(page(), 'k8s-init-phase-queue');
  await expectAccessible(page(), 'queue with a job in its init container');
  await row.getByRole('button', { name: 'Cancel' }).click();
  await expect(row).toHaveCount(0);
});
