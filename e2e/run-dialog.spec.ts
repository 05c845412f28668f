// The run dialog as a person uses it: it opens on the template's own values, env and memory are
// changed for this run, the run waits for a running job and fans out to three copies; the Queue
// says why each copy waits, the reason follows the upstream's end, and a priority is set from
// the row's menu and with the keyboard.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { expectAccessible } from './support/a11y';
import { dropFiles, go, jobBadge, jobDetail, logText, resumeQueue, runTemplate } from './support/app';
import { useAppPage } from './support/appPage';
import { screenshot } from './support/shell';
import { templateDrop } from './support/templates';

test.describe.configure({ mode: 'serial' });
const page = useAppPage({ beforeClose: resumeQueue });

const UP = 'rd-upstream';
const MAIN = 'rd-main';
// The upstream runs until the test says so: a file in a host directory it mounts (no timing guess).
const signal = mkdtempSync(join(tmpdir(), 'rd-signal-'));
chmodSync(signal, 0o755);

test.afterAll(() => {
  rmSync(signal, { recursive: true, force: true });
});

const pendingRows = (p: Page, name: string): Locator => p.getByTestId('pending-row').filter({ hasText: name });

test('prefilled run with overrides, after a running job, three copies; wait reasons and priorities in the Queue', async () => {
  await dropFiles(page(), [
    templateDrop(UP, 'while [ ! -e /signal/go ]; do sleep 0.2; done; echo rd-upstream-done', [
      'mounts: [{ hostPath: "' + signal + '", containerPath: /signal, readOnly: true }]',
      'timeoutSeconds: 600',
    ]),
    templateDrop(MAIN, 'echo rd-main mode=$RD_MODE token-length=${#RD_TOKEN}', [
      'env:',
      '  RD_MODE: slow',
      '  RD_TOKEN: { value: abc, secret: true }',
      'limits: { memory: 64Mi }',
      'timeoutSeconds: 120',
    ]),
  ]);
  const preview = page().getByTestId('import-preview');
  await preview.getByTestId('import-mounts-confirm').check();
  await preview.getByTestId('import-save').click();
  await expect(preview).toBeHidden();

  await runTemplate(page(), UP);
  await expect(jobBadge(page())).toHaveText('running');
  const upId = (await jobDetail(page()).getAttribute('data-job-id'))!;

  await go(page(), 'Templates');
  await page().getByTestId('template-row').filter({ hasText: MAIN }).getByRole('button', { name: 'Run', exact: true }).click();
  const dialog = page().getByRole('dialog', { name: 'Run template' });
  // The template's values, not "keep the template's".
  await expect(dialog.getByLabel('Command')).toHaveValue('echo rd-main mode=$RD_MODE token-length=${#RD_TOKEN}');
  await expect(dialog.getByLabel('Memory limit')).toHaveValue('64Mi');
  await expect(dialog.getByLabel('Timeout (s)', { exact: true })).toHaveValue('120');
  await expect(dialog.getByRole('combobox', { name: 'Priority' })).toHaveValue('3');
  await expect(dialog.getByLabel('Value of RD_MODE')).toHaveValue('slow');
  const secret = dialog.getByLabel('Value of RD_TOKEN');
  await expect(secret).toHaveAttribute('type', 'password');
  await expect(secret).toHaveValue('••••••••');

  await dialog.getByLabel('Value of RD_MODE').fill('fast');
  await dialog.getByLabel('Memory limit').fill('1Mi');
  await expect(dialog.getByTestId('error-run-memory')).toHaveText("Memory limit 1Mi is below the engines' minimum of 6Mi");
  await expect(dialog.getByTestId('run-submit')).toBeDisabled();
  await dialog.getByLabel('Memory limit').fill('96Mi');
  await expect(dialog.getByTestId('error-run-memory')).toHaveCount(0);

  // Run after the running upstream job, found by its name.
  await dialog.getByLabel('Find a job or template to run after').fill(UP);
  const option = dialog.getByTestId('dep-option').filter({ hasText: upId.slice(0, 8) });
  await expect(option).toContainText('running');
  await option.click();
  await expect(dialog.getByTestId('dep-chosen')).toHaveText(new RegExp(`job ${UP} ${upId.slice(0, 8)}\\s*\\(running\\)`));
  await dialog.getByLabel('Copies').fill('3');
  await expect(dialog.getByTestId('run-submit')).toHaveText('Run 3 copies');
  await dialog.getByLabel('Find a job or template to run after').fill('');
  await screenshot(page(), 'run-dialog');
  await expectAccessible(page(), 'the run dialog, filled in');

  // Enter runs it.
  await dialog.getByLabel('Copies').press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page().getByTestId('queue-view')).toBeVisible();
  const rows = pendingRows(page(), MAIN);
  await expect(rows).toHaveCount(3);
  for (const row of await rows.all()) {
    await expect(row.getByTestId('wait-reason')).toHaveText(`waiting for job ${UP} ${upId.slice(0, 8)} (running)`);
  }
  // Paused before the upstream ends, the copies stay pending: their reason follows it.
  await page().getByTestId('pause-toggle').click();
  await expect(page().getByTestId('pause-toggle')).toHaveText('Resume queue');
  writeFileSync(join(signal, 'go'), '');
  await expect(page().getByTestId('running-row').filter({ hasText: UP })).toHaveCount(0);
  for (const row of await rows.all()) await expect(row.getByTestId('wait-reason')).toHaveText('queue paused');

  // Set the last copy's priority from its menu: it moves to the top of the queue.
  const ids = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-job-id')));
  const last = page().locator(`[data-testid="pending-row"][data-job-id="${ids[2]}"]`);
  await last.getByTestId('priority-menu').click();
  const menu = page().getByRole('menu', { name: `Set priority of ${MAIN}` });
  await expect(menu.getByRole('menuitemradio', { checked: true })).toHaveText('✓ 3');
  await menu.getByRole('menuitemradio', { name: '1 (highest)' }).click();
  await expect(menu).toBeHidden();
  await expect(last.getByTestId('priority-menu')).toHaveText('P1 ▾');
  await expect(page().getByTestId('pending-row').first()).toHaveAttribute('data-job-id', ids[2]!);
  // And with the keyboard: + on the focused row raises it one step.
  const first = page().locator(`[data-testid="pending-row"][data-job-id="${ids[0]}"]`);
  await first.focus();
  await page().keyboard.press('+');
  await expect(first.getByTestId('priority-menu')).toHaveText('P2 ▾');
  await expect(page().getByTestId('pending-row').nth(1)).toHaveAttribute('data-job-id', ids[0]!);
  await screenshot(page(), 'queue-waits');
  await expectAccessible(page(), 'the queue with wait reasons and priority menus');

  // Resumed, the copies run with this run's values; the template is unchanged.
  await page().getByTestId('pause-toggle').click();
  await expect(rows).toHaveCount(0);
  await go(page(), 'History');
  await page().locator(`[data-testid="history-row"][data-job-id="${ids[2]}"]`).click();
  await expect(jobDetail(page())).toHaveAttribute('data-job-id', ids[2]!);
  await expect(logText(page())).toContainText('rd-main mode=fast token-length=3');
  await expect(jobBadge(page())).toHaveText('0');
});
