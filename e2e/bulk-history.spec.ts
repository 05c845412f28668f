// Bulk work in History, as a person does it in the browser host (Docker engine): six jobs of one
// template, a Shift-click range cancelled and deleted with the count asked first, the selection
// exported as a CSV file whose rows are read back, "select all matching" acting on the filter,
// Clean up now with its count first, sorting by duration, and a Dashboard bar that opens History
// filtered. Templates here start with `bulkh-`.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { expectAccessible } from './support/a11y';
import { go, jobDetail, runTemplate } from './support/app';
import { useAppPage } from './support/appPage';
import { docShot, expectEnded, importTemplate, templateYaml } from './support/core-journeys';

const RUN = Date.now().toString(36);
const T = { six: `bulkh-six-${RUN}`, slow: `bulkh-slow-${RUN}`, fail: `bulkh-fail-${RUN}` };

test.describe('bulk work in History', () => {
  test.describe.configure({ mode: 'serial' });
  const page = useAppPage({ acceptDownloads: true });
  const rows = () => page().getByTestId('history-row');
  const ticks = () => rows().getByTestId('row-select');
  const bar = () => page().getByTestId('bulk-bar');

  async function setQueuePaused(paused: boolean) {
    await go(page(), 'Queue');
    const toggle = page().getByTestId('pause-toggle');
    if ((await toggle.innerText()).includes(paused ? 'Pause' : 'Resume')) await toggle.click();
    await expect(toggle).toHaveText(paused ? 'Resume queue' : 'Pause queue');
  }
  async function historyOf(name: string) {
    await go(page(), 'History');
    await page().getByTestId('history-search').fill(name);
    // The search is applied (the address follows the filters) before rows are picked.
    await expect(page()).toHaveURL(new RegExp(`#/history\\?q=${name}`));
    await expect(rows().first()).toContainText(name);
  }

  test.beforeAll(async () => {
    await go(page(), 'Templates');
    await importTemplate(page(), T.six, templateYaml(T.six, 'echo bulk-six'));
    await importTemplate(page(), T.slow, templateYaml(T.slow, 'sleep 2; echo bulk-slow'));
    await importTemplate(page(), T.fail, templateYaml(T.fail, 'echo bulk-fail; exit 3'));
  });

  test('six jobs: a Shift-click range is cancelled, exported as CSV and deleted, each count said first', async () => {
    // Three that finish, three that wait in a paused queue.
    for (let i = 0; i < 3; i++) {
      await runTemplate(page(), T.six);
      await expectEnded(page());
    }
    await setQueuePaused(true);
    for (let i = 0; i < 3; i++) await runTemplate(page(), T.six);
    await historyOf(T.six);
    await expect(page().getByTestId('history-total')).toHaveText('6 jobs');
    await expect(rows().filter({ hasText: 'pending' })).toHaveCount(3);

    // Newest first: the three pending ones are rows 0–2. Tick the first, Shift-click the third.
    await ticks().nth(0).click();
    await expect(page().getByTestId('bulk-count')).toHaveText('1 job selected');
    await ticks().nth(2).click({ modifiers: ['Shift'] });
    await expect(page().getByTestId('bulk-count')).toHaveText('3 jobs selected');
    await expect(rows().and(page().locator('[data-selected]'))).toHaveCount(3);
    await expect(rows().nth(3)).not.toHaveAttribute('data-selected');
    await bar().getByTestId('bulk-cancel').click();
    const confirm = page().getByRole('dialog', { name: 'Cancel 3 jobs?' });
    await expect(confirm).toBeVisible();
    await confirm.getByRole('button', { name: 'Cancel jobs' }).click();
    await expect(page().getByTestId('bulk-result')).toHaveText('Cancelled 3 jobs.');
    await expect(rows().filter({ hasText: 'cancelled' })).toHaveCount(3);
    await setQueuePaused(false);

    // Ctrl-click adds one; Shift-click from it takes the range to the last row: all six.
    await historyOf(T.six);
    await ticks().nth(0).click();
    await ticks().nth(5).click({ modifiers: ['Shift'] });
    await expect(page().getByTestId('bulk-count')).toHaveText('6 jobs selected');
    await rows().nth(1).click({ modifiers: ['Control'] });
    await expect(page().getByTestId('bulk-count')).toHaveText('5 jobs selected');
    await rows().nth(1).click({ modifiers: ['Control'] });
    await expect(page().getByTestId('bulk-count')).toHaveText('6 jobs selected');
    const ids = await rows().evaluateAll((els) => els.map((e) => e.getAttribute('data-job-id')));
    const download = page().waitForEvent('download');
    await bar().getByTestId('bulk-export-csv').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^jobdeck-jobs-.*\.csv$/);
    const lines = readFileSync((await file.path())!, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^id,template,status,reason,exitCode,origin,/);
    expect(lines).toHaveLength(7);
    const byId = new Map(lines.slice(1).map((l) => [l.split(',')[0], l.split(',')]));
    expect([...byId.keys()].sort()).toEqual([...ids].sort());
    expect(lines.slice(1).filter((l) => l.includes(`,${T.six},completed,Completed,0,manual,`))).toHaveLength(3);
    expect(lines.slice(1).filter((l) => l.includes(`,${T.six},cancelled,Cancelled,`))).toHaveLength(3);
    await expect(page().getByTestId('bulk-result')).toHaveText('Exported 6 jobs as CSV.');
    await docShot(page(), 'bulk-history');
    await expectAccessible(page(), 'History with six jobs selected');

    await bar().getByTestId('bulk-remove').click();
    const del = page().getByRole('dialog', { name: 'Delete 6 jobs and their logs?' });
    await expect(del).toBeVisible();
    await expectAccessible(page(), 'the delete confirmation');
    await del.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(page().getByTestId('bulk-result')).toHaveText('Deleted 6 jobs.');
    await expect(page().getByTestId('history-total')).toHaveText('0 jobs');
    await expect(page().getByText('No jobs match.')).toBeVisible();
  });

  test('the keyboard: Space ticks the focused row, Shift+Arrow extends, Enter still opens', async () => {
    for (let i = 0; i < 3; i++) {
      await runTemplate(page(), T.six);
      await expectEnded(page());
    }
    await historyOf(T.six);
    await expect(page().getByTestId('history-total')).toHaveText('3 jobs');
    await rows().nth(0).focus();
    await page().keyboard.press('Space');
    await expect(page().getByTestId('bulk-count')).toHaveText('1 job selected');
    await page().keyboard.press('Shift+ArrowDown');
    await page().keyboard.press('Shift+ArrowDown');
    await expect(rows().nth(2)).toBeFocused();
    await expect(page().getByTestId('bulk-count')).toHaveText('3 jobs selected');
    await page().keyboard.press('Space');
    await expect(page().getByTestId('bulk-count')).toHaveText('2 jobs selected');
    const id = await rows().nth(2).getAttribute('data-job-id');
    await page().keyboard.press('Enter');
    await expect(jobDetail(page())).toHaveAttribute('data-job-id', id!);
  });

  test('select all matching the filter: Run again acts on every match, not only the rows shown', async () => {
    await historyOf(T.six);
    await page().getByTestId('filter-status').selectOption('completed');
    await expect(page().getByTestId('history-total')).toHaveText('3 jobs');
    await ticks().nth(0).click();
    await bar().getByTestId('select-all-matching').click();
    await expect(page().getByTestId('bulk-count')).toHaveText('All 3 jobs matching');
    await bar().getByTestId('bulk-clone').click();
    await expect(page().getByTestId('bulk-result')).toHaveText('Ran again 3 jobs.');
    await page().getByTestId('filter-status').selectOption('');
    await page().getByTestId('filter-origin').selectOption({ label: 'Run again' });
    await expect(page().getByTestId('history-total')).toHaveText('3 jobs');
    await expect(page()).toHaveURL(/#\/history\?.*origin=clone/);
    await expect(rows().filter({ hasText: 'completed' })).toHaveCount(3, { timeout: 60_000 });
    await expectAccessible(page(), 'History filtered by origin');
  });

  test('the Queue: a Shift range of pending jobs runs again, then all of them are cancelled at once', async () => {
    await setQueuePaused(true);
    for (let i = 0; i < 3; i++) await runTemplate(page(), T.six);
    await go(page(), 'Queue');
    const pending = page().getByTestId('pending-row').filter({ hasText: T.six });
    await expect(pending).toHaveCount(3);
    await pending.nth(0).getByTestId('queue-select').click();
    await pending.nth(2).getByTestId('queue-select').click({ modifiers: ['Shift'] });
    await expect(page().getByTestId('bulk-count')).toHaveText('3 jobs selected');
    await expect(page().getByTestId('pending-row').and(page().locator('.selected'))).toHaveCount(3);
    await bar().getByTestId('bulk-clone').click();
    await expect(page().getByTestId('bulk-result')).toHaveText('Ran again 3 jobs.');
    await expect(pending).toHaveCount(6);
    await expectAccessible(page(), 'Queue with jobs selected');
    // By keyboard: Space on the first pending row, Shift+Arrow down over the other five.
    await bar().getByRole('button', { name: 'Clear' }).click();
    await pending.nth(0).focus();
    await page().keyboard.press('Space');
    for (let i = 0; i < 5; i++) await page().keyboard.press('Shift+ArrowDown');
    await expect(page().getByTestId('bulk-count')).toHaveText('6 jobs selected');
    await bar().getByTestId('bulk-cancel').click();
    await page().getByRole('dialog', { name: 'Cancel 6 jobs?' }).getByRole('button', { name: 'Cancel jobs' }).click();
    await expect(pending).toHaveCount(0);
    await expect(page().getByTestId('bulk-result')).toHaveText('Cancelled 6 jobs.');
    await setQueuePaused(false);
  });

  test('sort by duration: the slow job first, then last', async () => {
    await runTemplate(page(), T.slow);
    await expectEnded(page());
    await historyOf('bulkh-');
    await page().getByTestId('filter-status').selectOption('completed');
    await page().getByTestId('sort-duration').click();
    await expect(rows().first()).toContainText(T.slow);
    await page().getByTestId('sort-duration').click();
    await expect(rows().last()).toContainText(T.slow);
    await expect(rows().first()).toContainText(T.six);
    await expect(page()).toHaveURL(/sort=duration&order=asc/);
  });

  test('clean up now: the count it shows first is what it removes', async () => {
    // Two jobs cancelled while they wait: the header box picks every pending one of the template.
    await setQueuePaused(true);
    for (let i = 0; i < 2; i++) await runTemplate(page(), T.six);
    await historyOf(T.six);
    await page().getByTestId('filter-status').selectOption('pending');
    await expect(page().getByTestId('history-total')).toHaveText('2 jobs');
    await page().getByTestId('select-all').check();
    await expect(page().getByTestId('bulk-count')).toHaveText('All 2 jobs matching');
    await bar().getByTestId('bulk-cancel').click();
    await page().getByRole('dialog', { name: 'Cancel 2 jobs?' }).getByRole('button', { name: 'Cancel jobs' }).click();
    await expect(page().getByTestId('bulk-result')).toHaveText('Cancelled 2 jobs.');
    await setQueuePaused(false);

    // Every cancelled job on the host (earlier journeys' too): the count the clean-up must show.
    await go(page(), 'History');
    await page().getByTestId('filter-status').selectOption('cancelled');
    await expect(page()).toHaveURL(/#\/history\?status=cancelled$/);
    await expect.poll(() => rows().filter({ hasText: T.six }).count()).toBeGreaterThanOrEqual(2);
    await expect(rows().filter({ hasNotText: 'cancelled' })).toHaveCount(0);
    const before = Number((await page().getByTestId('history-total').innerText()).split(' ')[0]);
    await page().getByTestId('cleanup-open').click();
    const dialog = page().getByRole('dialog', { name: 'Clean up now' });
    await dialog.getByTestId('cleanup-age').fill('x');
    await expect(dialog.getByTestId('cleanup-preview')).toHaveText('Older than must be a number of days');
    await expect(dialog.getByTestId('cleanup-run')).toBeDisabled();
    await dialog.getByTestId('cleanup-age').fill('0');
    await dialog.getByTestId('cleanup-unit').selectOption('hours');
    await dialog.getByLabel('completed').uncheck();
    await dialog.getByLabel('failed').uncheck();
    await expect(dialog.getByTestId('cleanup-preview')).toHaveText(`${before} jobs would be deleted (${before} cancelled).`);
    await expect(dialog.getByTestId('cleanup-run')).toHaveText(`Delete ${before} jobs`);
    await expectAccessible(page(), 'the Clean up dialog');
    await dialog.getByTestId('cleanup-run').click();
    await expect(dialog).toBeHidden();
    await expect(page().getByTestId('history-total')).toHaveText('0 jobs');
  });

  test('a Dashboard failure bar opens History filtered to those failures, and Back returns', async () => {
    await runTemplate(page(), T.fail);
    await expectEnded(page());
    await go(page(), 'Dashboard');
    const barLink = page().getByTestId('failure-bar').filter({ hasText: T.fail });
    await expect(barLink).toContainText('1/1');
    await barLink.click();
    await expect(page().getByTestId('history-view')).toBeVisible();
    await expect(page()).toHaveURL(new RegExp(`#/history\\?status=failed&template=${T.fail}&range=7d`));
    await expect(page().getByTestId('filter-status')).toHaveValue('failed');
    await expect(page().getByTestId('filter-template')).toHaveValue(T.fail);
    await expect(page().getByTestId('history-total')).toHaveText('1 jobs');
    await expect(rows().first()).toContainText('failed');
    await expectAccessible(page(), 'History opened from the Dashboard');
    await page().goBack();
    await expect(page().getByTestId('dashboard-view')).toBeVisible();
    await page().getByTestId('tile-link').filter({ hasText: 'Failed' }).click();
    await expect(page().getByTestId('filter-status')).toHaveValue('failed');
    await expect(page().getByTestId('filter-template')).toHaveValue('');
    await go(page(), 'Dashboard');
    await expectAccessible(page(), 'Dashboard with links');
  });

  test('Settings has the same Clean up now, and Cancel there removes nothing', async () => {
    await go(page(), 'History');
    const total = await page().getByTestId('history-total').innerText();
    await go(page(), 'Settings');
    await page().getByTestId('cleanup-open').click();
    const dialog = page().getByRole('dialog', { name: 'Clean up now' });
    await dialog.getByTestId('cleanup-age').fill('10');
    await expect(dialog.getByTestId('cleanup-preview')).toHaveText('0 jobs would be deleted.');
    await expect(dialog.getByTestId('cleanup-run')).toBeDisabled();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    // The Settings form has nothing unsaved from it.
    await go(page(), 'History');
    await expect(page().getByTestId('history-total')).toHaveText(total);
  });
});
