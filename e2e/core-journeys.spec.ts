// Journeys through the core's fixes, as a person takes them in the browser host (Docker engine):
// retry an old job that has a timeout; filter History by a template deleted and made again; a
// job that prints its secret shows the mask, never the value. Templates here start with `core-`.
import { expect, test } from '@playwright/test';
import { expectAccessible } from './support/a11y';
import { go, jobBadge, jobDetail, logText, runTemplate } from './support/app';
import { useAppPage } from './support/appPage';
import { deleteTemplate, docShot, expectEnded, importTemplate, templateYaml } from './support/core-journeys';

const T = { retry: 'core-retry-timeout', recreated: 'core-recreated', secret: 'core-secret-print' };
const SECRET = 'core-s3cr3t-token-42';

test.describe('core journeys', () => {
  test.describe.configure({ mode: 'serial' });
  const page = useAppPage();

  test('retry an old job with a timeout: the retry runs and its log shows its output', async () => {
    await go(page(), 'Templates');
    await importTemplate(page(), T.retry, templateYaml(T.retry, 'echo core-retry-output; exit 1', ['timeoutSeconds: 5', 'retry:', '  limit: 0']));
    await runTemplate(page(), T.retry);
    await expectEnded(page());
    await expect(jobBadge(page())).toHaveAttribute('title', /reason: Error/);
    await expect(logText(page())).toContainText('core-retry-output');
    // The first run must be older than the 5 s timeout: only time passing shows the bug.
    await page().waitForTimeout(5_500);
    await jobDetail(page()).getByTestId('job-retry').click();
    const attempts = jobDetail(page()).getByTestId('attempt');
    await expect(attempts).toHaveCount(2);
    await expect(attempts.nth(1).getByTestId('exit-badge')).toHaveAttribute('title', /reason: Error/, { timeout: 60_000 });
    await expect(attempts.nth(1).getByTestId('exit-badge')).not.toHaveAttribute('title', /DeadlineExceeded/);
    await expect(jobBadge(page())).toHaveAttribute('title', /reason: Error\nexit code 1/);
    await expect(jobDetail(page()).getByRole('button', { name: 'Attempt 2', exact: true })).toHaveClass(/active/);
    await expect(logText(page())).toContainText('core-retry-output');
    await docShot(page(), 'core-retry-timeout');
    await expectAccessible(page(), 'job page after a retry');
  });

  test('filter History by a template deleted and made again: both runs are listed', async () => {
    const yaml = templateYaml(T.recreated, 'echo core-recreated-ran');
    await go(page(), 'Templates');
    await importTemplate(page(), T.recreated, yaml);
    await runTemplate(page(), T.recreated);
    await expectEnded(page());
    const first = await jobDetail(page()).getAttribute('data-job-id');
    await deleteTemplate(page(), T.recreated);
    await importTemplate(page(), T.recreated, yaml);
    await runTemplate(page(), T.recreated);
    await expectEnded(page());
    const second = await jobDetail(page()).getAttribute('data-job-id');
    expect(second).not.toBe(first);

    await go(page(), 'History');
    const filter = page().getByTestId('filter-template');
    await filter.selectOption({ label: T.recreated });
    await expect(page().getByTestId('history-total')).toHaveText('2 jobs');
    const rows = page().getByTestId('history-row');
    await expect(rows).toHaveCount(2);
    await expect(rows.filter({ hasText: T.recreated })).toHaveCount(2);
    await expect(page().locator(`[data-testid="history-row"][data-job-id="${first}"]`)).toBeVisible();
    await expect(page().locator(`[data-testid="history-row"][data-job-id="${second}"]`)).toBeVisible();
    await docShot(page(), 'core-history-recreated');
    await expectAccessible(page(), 'History filtered by template');
    await filter.selectOption('');
  });

  test('a job printing its secret shows the mask in the log pane, never the value', async () => {
    await go(page(), 'Templates');
    await page().getByRole('button', { name: 'New template', exact: true }).click();
    const editor = page().getByTestId('template-editor');
    // Fields by their labels' first words: a label also carries its field's error while one shows.
    await editor.getByRole('textbox', { name: /^Name/ }).fill(T.secret);
    await editor.getByRole('textbox', { name: /^Image/ }).fill('jobdeck-test:latest');
    // Whole, then split across two writes a second apart (two chunks for certain).
    await editor
      .getByRole('textbox', { name: /^Command/ })
      .fill('echo "token=$API_TOKEN"; printf "half=%s" "${API_TOKEN%??????????}"; sleep 1; echo "${API_TOKEN#??????????} end"');
    await editor.getByRole('combobox', { name: /^Engine/ }).selectOption('docker');
    await editor.locator('summary', { hasText: 'Environment & mounts' }).click();
    await editor.getByRole('button', { name: '+ Variable' }).click();
    await editor.getByPlaceholder('NAME').fill('API_TOKEN');
    await editor.getByPlaceholder('value').fill(SECRET);
    await editor.getByLabel('secret').check();
    await editor.getByTestId('template-save').click();
    await expect(editor).toBeHidden();
    await runTemplate(page(), T.secret);
    await expectEnded(page());
    await expect(jobBadge(page())).toHaveAttribute('data-tone', 'success');
    const log = logText(page());
    await expect(log).toContainText('token=••••••••');
    await expect(log).toContainText('half=•••••••• end');
    for (const part of [SECRET, SECRET.slice(0, 10), SECRET.slice(10)]) await expect(page().locator('body')).not.toContainText(part);
    await docShot(page(), 'core-secret-masked');
    await expectAccessible(page(), 'job page of a job that printed its secret');
  });
});
