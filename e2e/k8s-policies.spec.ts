// Kubernetes Job semantics as a person meets them: drop a manifest with a podFailurePolicy and
// see its job end for the rule's reason, index by index; suspend a running job, resume it, pin it.
import { expect, test } from '@playwright/test';
import { expectAccessible } from './support/a11y';
import { dropFiles, jobBadge, jobDetail, runTemplate } from './support/app';
import { useAppPage } from './support/appPage';
import { TEST_IMAGE } from './support/env';
import type { DropFile } from './support/templates';
import { preview, savePreview, screenshot } from './support/templates-journeys';

test.describe.configure({ mode: 'serial' });
const page = useAppPage();

/** Runs until SIGTERM, then exits at once (a shell as PID 1 ignores SIGTERM otherwise). */
const LONG = "trap 'exit 143' TERM; sleep 60 & wait";

function manifest(name: string, jobSpec: string[], script: string): DropFile {
  const lines = [
    'apiVersion: batch/v1',
    'kind: Job',
    `metadata: { name: ${name} }`,
    'spec:',
    ...jobSpec.map((l) => `  ${l}`),
    '  template:',
    '    spec:',
    '      restartPolicy: Never',
    '      containers:',
    '        - name: main',
    `          image: ${TEST_IMAGE}`,
    '          imagePullPolicy: IfNotPresent',
    `          command: [sh, -c, ${JSON.stringify(script)}]`,
  ];
  return { name: `${name}.yaml`, mimeType: 'application/yaml', buffer: Buffer.from(lines.join('\n')) };
}

test('a manifest whose podFailurePolicy fails the job on exit 42 ends with that reason, the other indexes stopped', async () => {
  const name = 'k8sp-fail-on-42';
  await dropFiles(page(), [
    manifest(
      name,
      [
        'completions: 3',
        'parallelism: 3',
        'completionMode: Indexed',
        'backoffLimit: 6',
        'podFailurePolicy:',
        '  rules:',
        '    - { action: FailJob, onExitCodes: { containerName: main, operator: In, values: [42] } }',
        '    - { action: Ignore, onPodConditions: [ { type: DisruptionTarget } ] }',
      ],
      `if [ "$JOB_COMPLETION_INDEX" = 1 ]; then sleep 1; exit 42; fi; ${LONG}`,
    ),
  ]);
  // Mapped, not "not supported, ignored".
  await expect(preview(page())).toContainText(name);
  await expect(preview(page())).not.toContainText('podFailurePolicy');
  await savePreview(page());
  await runTemplate(page(), name);
  await expect(jobDetail(page())).toHaveAttribute('data-status', 'failed');
  await expect(jobBadge(page())).toHaveText('42 Policy');
  await expect(jobDetail(page()).locator('.notice')).toHaveText('container main failed with exit code 42, matching FailJob rule 0 of the pod failure policy');
  const panel = jobDetail(page()).getByTestId('job-policy');
  await expect(panel.getByTestId('index-counts')).toHaveText('0 succeeded · 1 failed · 0 running · 2 stopped · 0 waiting');
  await expect(panel.getByTestId('index-chip')).toHaveText(['0', '1', '2']);
  await expect(panel.locator('[data-testid="index-chip"][data-state="failed"]')).toHaveText('1');
  await expect(panel).toContainText('rule 0: FailJob when main exits with 42');
  await expect(panel).toContainText('rule 1: Ignore on a disruption');
  await screenshot(page(), 'k8s-pod-failure-policy-job');
  await expectAccessible(page(), 'job page of a job failed by its pod failure policy');
});

test('suspend a running job: its container stops and it waits; resume starts it again; pin it; cancel it', async () => {
  const name = 'k8sp-suspend';
  await dropFiles(page(), [manifest(name, ['backoffLimit: 0', 'ttlSecondsAfterFinished: 3600'], `echo started; ${LONG}`)]);
  await savePreview(page());
  await runTemplate(page(), name);
  const detail = jobDetail(page());
  const attempts = detail.getByTestId('attempt');
  await expect(attempts.first().getByRole('img', { name: 'running' })).toBeVisible();

  await detail.getByRole('button', { name: 'Suspend' }).click();
  await expect(detail.getByTestId('job-suspended')).toHaveText('Suspended: no container starts until it is resumed.');
  await expect(detail).toHaveAttribute('data-status', 'pending');
  await expect(attempts.first().getByTestId('exit-badge')).toContainText('Cancelled');
  await expect(attempts).toHaveCount(1);
  await expect(detail.getByTestId('job-ttl')).toHaveText('removed 3600 s after it ends');
  await screenshot(page(), 'k8s-suspended-job');
  await expectAccessible(page(), 'job page of a suspended job');

  await detail.getByRole('button', { name: 'Resume' }).click();
  await expect(attempts).toHaveCount(2);
  await expect(attempts.nth(1).getByRole('img', { name: 'running' })).toBeVisible();
  await expect(detail.getByTestId('job-suspended')).toHaveCount(0);
  await expect(detail.getByRole('button', { name: 'Suspend' })).toBeVisible();

  await detail.getByRole('button', { name: 'Pin' }).click();
  await expect(detail.getByRole('button', { name: 'Pinned' })).toHaveAttribute('aria-pressed', 'true');
  await expect(detail.getByTestId('job-ttl')).toHaveText('kept (pinned)');

  await detail.getByTestId('job-cancel').click();
  await expect(detail).toHaveAttribute('data-status', 'cancelled');
  await expect(detail.getByRole('button', { name: /Suspend|Resume/ })).toHaveCount(0);
  await expectAccessible(page(), 'job page of a pinned, cancelled job');
});
