// Health alerts as a person meets them (issue 13, items 6 and 7): a backlog alert of 1 set in
// Settings, the queue paused, two jobs queued: the banner says so, its link opens the list; the
// queue resumed: the banner goes and the history keeps the alert, cleared. The Dashboard shows
// each template's queue wait beside its durations. Templates: `hl-`. Settings are left as found.
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { expectAccessible } from './support/a11y';
import { dropFiles, go, openApp, runTemplate } from './support/app';
import { deleteTemplate, docShot, templateRow } from './support/core-journeys';
import { templateDrop } from './support/templates';

const WAIT = 'hl-waits';

test.describe.configure({ mode: 'serial' });
let context: BrowserContext;
let page: Page;

const panel = (p: Page) => p.getByTestId('alerts-panel');
const banner = (p: Page) => p.getByTestId('alert-banner');
const toggle = (p: Page) => p.getByTestId('pause-toggle');

async function setPaused(paused: boolean): Promise<void> {
  await go(page, 'Queue');
  if ((await toggle(page).innerText()).includes(paused ? 'Pause' : 'Resume')) await toggle(page).click();
  await expect(toggle(page)).toHaveText(paused ? 'Resume queue' : 'Pause queue');
}

test.beforeAll(async ({ browser }) => {
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  await openApp(page);
  await dropFiles(page, [templateDrop(WAIT, 'echo hl-done')]);
  const preview = page.getByTestId('import-preview');
  await preview.getByTestId('import-save').click();
  await expect(preview).toBeHidden();
  await go(page, 'Templates');
  await expect(templateRow(page, WAIT)).toBeVisible();
});

test.afterAll(async () => {
  // As found: no alert rule of ours, the queue running, our template gone.
  await go(page, 'Settings');
  const rules = panel(page).getByTestId('alert-rule').filter({ hasText: 'Queue backlog above 1 pending' });
  for (let n = await rules.count(); n > 0; n = await rules.count()) {
    await rules.first().getByRole('button', { name: /^Remove/ }).click();
    await expect(rules).toHaveCount(n - 1);
  }
  await setPaused(false);
  await deleteTemplate(page, WAIT);
  await context.close();
});

test('a backlog alert of 1: two jobs queued in a paused queue raise the banner; resumed, it clears and stays in the history', async () => {
  await go(page, 'Settings');
  const alerts = panel(page);
  await expect(alerts.getByRole('heading', { name: 'Alerts' })).toBeVisible();
  const form = alerts.getByRole('form', { name: 'Add an alert rule' });
  await form.getByLabel('Alert when').selectOption({ label: 'the queue backlog is above a count' });
  // Nothing typed yet: the form says what it needs instead of saving a rule.
  await form.getByRole('button', { name: 'Add rule' }).click();
  await expect(form.getByText('Queue backlog must be a whole number of pending jobs from 0 to 1000000')).toBeVisible();
  await form.getByLabel('Pending jobs above').fill('1');
  await form.getByRole('button', { name: 'Add rule' }).click();
  await expect(alerts.getByTestId('alert-rule').filter({ hasText: 'Queue backlog above 1 pending' })).toHaveCount(1);
  await expect(form.getByLabel('Pending jobs above')).toHaveValue('');

  await setPaused(true);
  await runTemplate(page, WAIT);
  await expect(banner(page)).toBeHidden();
  await runTemplate(page, WAIT);
  await expect(banner(page)).toBeVisible();
  await expect(banner(page)).toHaveAttribute('role', 'alert');
  await expect(banner(page)).toContainText('Queue backlog above 1');
  await expect(banner(page)).toContainText('2 jobs pending (alert above 1)');
  await expect(page.getByTestId('nav-queue')).toContainText('2');

  // The banner's link opens the list, where the alert is active.
  await banner(page).getByRole('button', { name: 'Show alerts' }).click();
  await expect(page.getByTestId('settings-view')).toBeVisible();
  await expect(alerts.getByRole('heading', { name: 'Alerts' })).toBeFocused();
  const row = alerts.getByTestId('alert-history-row').first();
  await expect(row).toHaveAttribute('data-state', 'active');
  await expect(row).toContainText('Queue backlog above 1');
  await expect(row).toContainText('2 jobs pending (alert above 1)');
  await docShot(page, 'alerts');
  await expectAccessible(page, 'Settings with an active alert');

  await setPaused(false);
  await expect(banner(page)).toBeHidden();
  await go(page, 'Settings');
  await expect(row).toHaveAttribute('data-state', 'cleared');
  await expect(row).toContainText('2 jobs pending (alert above 1) → 0 jobs pending (alert above 1)');
  await expect(row.getByText('cleared', { exact: true })).toBeVisible();
  await expectAccessible(page, 'Settings with the alert cleared');
});

test('the Dashboard shows the queue wait of each template beside its durations', async () => {
  await go(page, 'Dashboard');
  const table = page.getByTestId('dashboard-view').locator('table');
  await expect(table.getByRole('columnheader', { name: 'Queue wait' })).toBeVisible();
  await expect(table.getByRole('columnheader', { name: 'Duration' })).toBeVisible();
  const ours = table.getByRole('row').filter({ has: page.getByRole('button', { name: WAIT, exact: true }) });
  await expect(ours).toHaveCount(1);
  // Two runs, both waited out the pause: a figure, not the dash of "none yet".
  await expect(ours.getByRole('cell').nth(1)).toHaveText('2');
  await expect(ours.getByTestId('template-wait-mean')).toHaveText(/^\d+ (ms|s)$|^\d+ m \d+ s$/);
  await expect(page.getByTestId('dashboard-view').getByText('Mean queue wait')).toBeVisible();
  await expect(page.getByTestId('dashboard-view').getByText('p95 queue wait')).toBeVisible();
  await docShot(page, 'dashboard-queue-wait');
  await expectAccessible(page, 'Dashboard with queue waits');
});
