// Being told when jobs end, in the browser host: a browser notification per end (the rules the
// Electron shell uses), the bell's list with its unread count, and the permission asked from a
// click. window.Notification is wrapped by an init script, so the notices the page raises are
// read back. Templates here start with `notif-`.
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { expectAccessible } from './support/a11y';
import { go, jobDetail, openApp, runTemplate } from './support/app';
import { docShot, expectEnded, importTemplate, templateYaml } from './support/core-journeys';

const RUN = Date.now().toString(36);
const T = { ok: `notif-ok-${RUN}`, fail: `notif-fail-${RUN}` };

interface Shown {
  title: string;
  body: string;
  tag: string;
}
declare global {
  interface Window {
    __notices: Shown[];
    __asked: number;
  }
}

/**
 * Records every notification the page raises. `permission`: what the browser answers; 'ask'
 * starts at 'default' and grants when requestPermission is called (the user clicking Allow).
 */
async function notifyingContext(browser: Browser, permission: 'granted' | 'ask'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    ...(permission === 'granted' ? { permissions: ['notifications'] } : {}),
  });
  await context.addInitScript((mode) => {
    const Real = window.Notification;
    let state: NotificationPermission = mode === 'granted' ? 'granted' : 'default';
    window.__notices = [];
    window.__asked = 0;
    function Captured(this: unknown, title: string, options?: NotificationOptions) {
      window.__notices.push({ title, body: options?.body ?? '', tag: options?.tag ?? '' });
      // A real one where the browser shows it; the record is what the test reads.
      try {
        return new Real(title, options);
      } catch {
        return { close() {}, onclick: null };
      }
    }
    Object.defineProperty(Captured, 'permission', { get: () => (mode === 'granted' ? Real.permission : state) });
    Object.defineProperty(Captured, 'requestPermission', {
      value: async () => {
        window.__asked++;
        state = 'granted';
        return state;
      },
    });
    (window as unknown as { Notification: unknown }).Notification = Captured;
  }, permission);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  await openApp(page);
  return { context, page };
}

const notices = (page: Page) => page.evaluate(() => window.__notices);

/** Click the toasts away first (a click outside the open list closes it, as a menu does). */
async function clearToasts(page: Page): Promise<void> {
  const toasts = page.getByRole('status').locator('.toast');
  for (let n = await toasts.count(); n > 0; n = await toasts.count()) await toasts.first().click();
}

test.describe('told when jobs end', () => {
  test.describe.configure({ mode: 'serial' });

  test('with the permission granted: an end raises a notification and shows in the bell, unread 1 until opened', async ({ browser }) => {
    const { context, page } = await notifyingContext(browser, 'granted');
    await go(page, 'Templates');
    await importTemplate(page, T.ok, templateYaml(T.ok, 'echo notif-ok'));
    await importTemplate(page, T.fail, templateYaml(T.fail, 'echo notif-fail; exit 4'));
    await expect(page.getByTestId('bell-unread')).toHaveCount(0);

    await runTemplate(page, T.ok);
    await expectEnded(page);
    const id = await jobDetail(page).getAttribute('data-job-id');
    await expect(page.getByTestId('bell-unread')).toHaveText('1');
    await expect(page.getByTestId('bell')).toHaveAccessibleName('Job ends, 1 unread');
    await expect.poll(() => notices(page)).toEqual([{ title: `${T.ok} succeeded`, body: 'Exit code 0', tag: id }]);

    await go(page, 'Queue');
    await clearToasts(page);
    await page.getByTestId('bell').click();
    const panel = page.getByTestId('bell-panel');
    await expect(panel.getByTestId('bell-item')).toHaveCount(1);
    await expect(panel.getByTestId('bell-item').first()).toContainText(`${T.ok} succeeded`);
    await expect(page.getByTestId('bell-unread')).toHaveCount(0);
    // Granted already: nothing to ask.
    await expect(panel.getByTestId('notify-ask')).toHaveCount(0);
    await docShot(page, 'notifications');
    await expectAccessible(page, 'the bell list');
    await panel.getByTestId('bell-item').first().click();
    await expect(jobDetail(page)).toHaveAttribute('data-job-id', id!);
    await expect(panel).toBeHidden();
    await context.close();
  });

  test('asked on first use: "Notify me when jobs end" asks once, then a failure is told', async ({ browser }) => {
    const { context, page } = await notifyingContext(browser, 'ask');
    await page.getByTestId('bell').click();
    const panel = page.getByTestId('bell-panel');
    await expect(panel).toContainText('No job has ended since this window opened.');
    await expect(page.evaluate(() => window.__asked)).resolves.toBe(0);
    await panel.getByTestId('notify-ask').click();
    await expect(panel.getByTestId('notify-ask')).toHaveCount(0);
    expect(await page.evaluate(() => window.__asked)).toBe(1);
    await expectAccessible(page, 'the bell list, empty');
    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();
    await expect(page.getByTestId('bell')).toBeFocused();

    await runTemplate(page, T.fail);
    await expectEnded(page);
    await expect.poll(async () => (await notices(page)).map((n) => n.title)).toEqual([`${T.fail} failed`]);
    expect((await notices(page))[0]!.body).toMatch(/^exit code 4, Error: /);
    await expect(page.getByTestId('bell-unread')).toHaveText('1');
    await page.getByTestId('bell').click();
    await expect(panel.getByTestId('bell-item').first()).toContainText(`${T.fail} failed`);
    await expect(page.getByTestId('bell-unread')).toHaveCount(0);
    await context.close();
  });
});
