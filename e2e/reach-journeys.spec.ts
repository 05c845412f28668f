// Issue 11, what a user reaches without writing a file: a Dashboard chart bar opens History on the
// jobs it counts; bulk retry of failed jobs from History; select all in the Queue; templates
// exported a file each (one archive); one engine chosen by id in the editor and the run dialog.
// Templates here start with `reach-`.
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { expectAccessible } from './support/a11y';
import { go, runTemplate } from './support/app';
import { docShot, expectEnded, importTemplate, templateYaml } from './support/core-journeys';

const RUN = Date.now().toString(36);
const T = { ok: `reach-ok-${RUN}`, fail: `reach-fail-${RUN}` };

test.describe('everything the engine can do, a user can reach', () => {
  test.describe.configure({ mode: 'serial' });
  let context: BrowserContext;
  let page: Page;

  test.beforeAll(async ({ browser }) => {
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
    await page.goto(process.env.JOBDECK_E2E_URL!);
    await expect(page.locator('nav')).toBeVisible();
    await go(page, 'Templates');
    await importTemplate(page, T.ok, templateYaml(T.ok, 'echo reach-ok'));
    await importTemplate(page, T.fail, templateYaml(T.fail, 'echo reach-fail; exit 4'));
  });
  test.afterAll(async () => {
    await context.close();
  });

  test('a bar of the durations chart opens History on the jobs of its hour and status, as many as it counts', async () => {
    for (const name of [T.ok, T.ok, T.fail]) {
      await runTemplate(page, name);
      await expectEnded(page);
    }
    await go(page, 'Dashboard');
    await page.getByRole('group', { name: 'Range' }).getByRole('button', { name: '24h' }).click();
    await expect(page.getByTestId('chart-range')).toContainText('a bar per 1 h');
    // This hour's bars are the last ones drawn; they count every spec's jobs of the hour.
    for (const status of ['failed', 'completed'] as const) {
      const bar = page.getByTestId('chart-bar').and(page.locator(`[data-status="${status}"]`)).last();
      await expect(bar).toBeVisible();
      const count = Number(await bar.getAttribute('data-count'));
      expect(count).toBeGreaterThanOrEqual(status === 'failed' ? 1 : 2);
      await expect(bar).toHaveAccessibleName(new RegExp(`^${count} ${status}, finished .+: show them in History$`));
      if (status === 'failed') await docShot(page, 'dashboard-chart-bars');
      // The completed bar stands behind the narrower failed one: a person clicks its own edge.
      const box = (await bar.boundingBox())!;
      await page.mouse.click(box.x + (status === 'completed' ? 2 : box.width / 2), box.y + box.height - 3);
      await expect(page.getByTestId('history-view')).toBeVisible();
      await expect(page.getByTestId('filter-status')).toHaveValue(status);
      await expect(page.getByTestId('filter-finished')).toContainText(/^Finished .+ – .+/);
      await expect(page.getByTestId('history-total')).toHaveText(`${count} jobs`);
      const row = page.getByTestId('history-row').filter({ hasText: status === 'failed' ? T.fail : T.ok }).first();
      await expect(row).toBeVisible();
      // A job of a few ms has a duration too (Docker stamps its end before its start): never "–".
      await expect(row.locator('span.mono').last()).toHaveText(/^\d+ (ms|s)$/);
      if (status === 'failed') {
        await docShot(page, 'history-from-chart-bar');
        await expectAccessible(page, 'History opened from a chart bar');
      }
      await page.goBack();
      await expect(page.getByTestId('dashboard-view')).toBeVisible();
      await expect(page.getByRole('button', { name: '24h' })).toHaveAttribute('aria-pressed', 'true');
    }
    // The chip clears the bucket and leaves the rest of the filter.
    await page.getByTestId('chart-bar').and(page.locator('[data-status="failed"]')).last().click();
    await page.getByRole('button', { name: 'Clear the finished-between filter' }).click();
    await expect(page.getByTestId('filter-finished')).toHaveCount(0);
    await expect(page).not.toHaveURL(/finished_from/);
    await go(page, 'Dashboard');
    await expectAccessible(page, 'Dashboard with chart bars');
  });
});
