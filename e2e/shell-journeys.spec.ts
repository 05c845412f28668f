// The shell as a person uses it: settings that keep what they do not show, a host that goes away
// and comes back, every view by keyboard alone, Back and Forward. Templates made here are shell-….
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import type { Settings } from '../src/shared/settings';
import { expectAccessible } from './support/a11y';
import { go, jobDetail, logText, openApp } from './support/app';
import { hostUrl } from './support/env';
import { startHost, stopHost, type RunningHost } from '../test/support/headlessHost';
import { sentCalls, tile } from './support/polish';
import { focused, hostClient, screenshot, TcpProxy, templateDrop, type HostClient } from './support/shell';
import { TEST_IMAGE } from './support/env';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ENGINE = 'shell-remote';
const KBD = 'shell-kbd';
const KBD_NEW = 'shell-kbd-made';
const KBD_IMPORTED = 'shell-kbd-imported';

async function newPage(browser: import('@playwright/test').Browser): Promise<Page> {
  // axe's Playwright runner needs a page of a context made with browser.newContext().
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  return page;
}

test.describe('shell journeys', () => {
  test.describe.configure({ mode: 'serial' });
  let api: HostClient;
  let before: Settings;
  const jobs: string[] = [];

  test.beforeAll(async () => {
    api = await hostClient(hostUrl());
    before = await api.call('settings.get', {});
    // Two finished jobs for the keyboard journey (setup only: the journeys use the UI).
    const t = await api.call('templates.save', {
      spec: { name: KBD, image: TEST_IMAGE, engine: 'docker', network: 'none', command: 'echo shell-kbd-line' },
    });
    for (let i = 0; i < 2; i++) jobs.push((await api.call('jobs.create', { templateId: t.id })).id);
    // And one the search leaves out, so the filtered list is seen to be filtered.
    const other = await api.call('templates.save', {
      spec: { name: 'shell-other', image: TEST_IMAGE, engine: 'docker', network: 'none', command: 'true' },
    });
    jobs.push((await api.call('jobs.create', { templateId: other.id })).id);
    for (const id of jobs) await expect.poll(async () => (await api.call('jobs.get', { id })).status, { timeout: 60_000 }).toBe('completed');
  });

  test.afterAll(async () => {
    // Leave the shared host as it was: queue running, no remote engine, the settings of before.
    await api.call('queue.resume', {}).catch(() => undefined);
    await api.call('engines.remove', { id: ENGINE }).catch(() => undefined);
    // The keyboard journey deletes the template it makes; one a failed run left behind goes too.
    for (const t of await api.call('templates.list', {})) if (t.template.name === KBD_NEW || t.template.name === KBD_IMPORTED) await api.call('templates.delete', { id: t.template.id });
    await api.call('settings.update', { concurrency: before.concurrency, stopGraceSeconds: before.stopGraceSeconds, queuePaused: before.queuePaused, engines: before.engines });
    api.close();
  });

  test('save settings with a remote engine and a paused queue', async ({ browser }) => {
    const page = await newPage(browser);
    await openApp(page);
    // A remote engine that answers nothing: it is listed, as unavailable.
    await go(page, 'Engines');
    await page.getByRole('button', { name: 'Add remote host' }).click();
    await page.getByLabel('Id').fill(ENGINE);
    await page.getByLabel('Host').fill('tcp://127.0.0.1:9');
    await page.getByRole('button', { name: 'Add engine' }).click();
    const card = page.locator(`[data-testid="engine-card"][data-engine="${ENGINE}"]`);
    await expect(card).toContainText('unavailable');
    // Pause the queue.
    await go(page, 'Queue');
    await page.getByTestId('pause-toggle').click();
    await expect(page.getByTestId('pause-toggle')).toHaveText('Resume queue');

    await go(page, 'Settings');
    const concurrency = page.getByLabel('Concurrent jobs');
    const next = String(before.concurrency === 7 ? 6 : 7);
    await concurrency.fill(next);
    await expect(page.getByTestId('settings-unsaved')).toBeVisible();
    // Leaving asks first: a nav click and Back both keep the change until the user decides.
    await go(page, 'Queue');
    const leave = page.getByRole('dialog', { name: 'Unsaved changes' });
    await expect(leave).toBeVisible();
    await expectAccessible(page, 'the leave dialog');
    await leave.getByRole('button', { name: 'Keep editing' }).click();
    await expect(page.getByTestId('settings-view')).toBeVisible();
    await expect(concurrency).toHaveValue(next);
    await page.goBack();
    await expect(leave).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(leave).toBeHidden();
    await expect(concurrency).toHaveValue(next);
    expect(page.url()).toMatch(/#\/settings$/);
    // Closing or reloading the page would ask too (the browser's own dialog).
    expect(await page.evaluate(() => !window.dispatchEvent(new Event('beforeunload', { cancelable: true })))).toBe(true);

    await page.getByTestId('settings-save').click();
    await expect(page.getByText('Settings saved')).toBeVisible();
    await expect(page.getByTestId('settings-unsaved')).toBeHidden();
    // Saved and nothing else lost: after a reload the engine is listed, the queue still paused.
    await page.reload();
    await expect(page.getByLabel('Concurrent jobs')).toHaveValue(next);
    await expect(page.locator('nav')).toContainText('queue paused');
    await go(page, 'Engines');
    await expect(card).toContainText('unavailable');
    await expect(card).toContainText('tcp://127.0.0.1:9');

    // Save from the leave dialog: the change is kept and the user lands where they were going.
    await go(page, 'Settings');
    const grace = page.getByLabel('Stop grace (s)');
    const graceNext = String(before.stopGraceSeconds === 12 ? 11 : 12);
    await grace.fill(graceNext);
    await go(page, 'Queue');
    await leave.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByTestId('queue-view')).toBeVisible();
    await expect(page.getByTestId('pause-toggle')).toHaveText('Resume queue');
    await go(page, 'Settings');
    await expect(grace).toHaveValue(graceNext);
    await expect(page.getByLabel('Concurrent jobs')).toHaveValue(next);
    await screenshot(page, 'shell-settings-saved');
    await expectAccessible(page, 'Settings after saving');
    // The next journeys run jobs: resume the queue as a user would.
    await go(page, 'Queue');
    await page.getByTestId('pause-toggle').click();
    await expect(page.getByTestId('pause-toggle')).toHaveText('Pause queue');
    await page.context().close();
  });

  test('lose the host and get it back', async ({ browser }) => {
    // A host of this test's own, behind a proxy the test can cut.
    const host: RunningHost = await startHost(root);
    const direct = new URL(host.url);
    const proxy = new TcpProxy(Number(direct.port));
    await proxy.start();
    const page = await newPage(browser);
    const statsCalls = sentCalls(page, 'stats.get');
    try {
      const url = `${proxy.url}/?token=${direct.searchParams.get('token')}`;
      // A job that prints for a while, open on its page: the log pane must follow it across the cut.
      const other = await hostClient(host.url);
      const ticker = await other.call('jobs.create', {
        spec: { name: 'shell-ticker', image: TEST_IMAGE, engine: 'docker', network: 'none', command: 'for i in $(seq 1 80); do echo tick-$i; sleep 0.25; done' },
      });
      await page.goto(`${url}#/jobs/${ticker.id}`);
      await expect(logText(page)).toContainText('tick-2');
      const lastTick = async () => Math.max(0, ...[...(await logText(page).innerText()).matchAll(/tick-(\d+)/g)].map((m) => Number(m[1])));
      const pause = page.getByTestId('pause-toggle');
      await expect(page.getByTestId('connection-banner')).toHaveCount(0);

      await proxy.cut();
      const banner = page.getByTestId('connection-banner');
      await expect(banner).toContainText('Not connected to Jobdeck — retrying…');
      await expect(page.getByTestId('job-cancel')).toBeDisabled();
      const atCut = await lastTick();
      await proxy.restore();
      await expect(banner).toHaveCount(0);
      // New lines arrive while the job still runs: the pane subscribed again.
      await expect.poll(lastTick).toBeGreaterThan(atCut + 4);
      await expect(jobDetail(page)).toHaveAttribute('data-status', 'running');
      await other.call('jobs.cancel', { id: ticker.id });

      await go(page, 'Queue');
      await expect(pause).toBeEnabled();
      await proxy.cut();
      await expect(banner).toContainText('Not connected to Jobdeck — retrying…');
      await expect(pause).toBeDisabled();
      await expect(page.getByRole('button', { name: 'New run' }).first()).toBeDisabled();
      // The page still moves between views; their actions stay disabled.
      await go(page, 'Settings');
      await expect(page.getByRole('button', { name: 'Save settings' })).toBeDisabled();
      await screenshot(page, 'shell-host-lost');
      await expectAccessible(page, 'the banner of a lost host');
      // Meanwhile the host changes (its queue is paused by someone else): the page learns it on return.
      await other.call('queue.pause', {});

      await proxy.restore();
      await expect(banner).toHaveCount(0);
      await go(page, 'Queue');
      await expect(page.locator('nav')).toContainText('queue paused');

      // And it works again.
      await pause.click();
      await expect(pause).toHaveText('Pause queue');
      await expect(page.locator('nav')).not.toContainText('queue paused');

      // The Dashboard learns on return what finished while the host was away, at once (not at its
      // next periodic refresh): a job that completed during the cut is counted.
      await go(page, 'Dashboard');
      await expect(tile(page, 'Cancelled')).toHaveText('1');
      await expect(tile(page, 'Completed')).toHaveText('0');
      // Its load on opening and the refresh that follows the job events are both sent before the cut.
      await expect.poll(statsCalls).toBeGreaterThanOrEqual(2);
      await proxy.cut();
      await expect(banner).toBeVisible();
      const quick = await other.call('jobs.create', { spec: { name: 'shell-offline', image: TEST_IMAGE, engine: 'docker', network: 'none', command: 'true' } });
      await expect.poll(async () => (await other.call('jobs.get', { id: quick.id })).status, { timeout: 60_000 }).toBe('completed');
      await proxy.restore();
      await expect(banner).toHaveCount(0);
      // Sooner than the Dashboard's own periodic refresh (2 s after the reconnect's reload).
      await expect(tile(page, 'Completed')).toHaveText('1', { timeout: 1500 });
      other.close();
      await screenshot(page, 'shell-host-back');
      await expectAccessible(page, 'the app after the host came back');

      // An address with a wrong token says so, instead of retrying forever.
      await page.goto(`${proxy.url}/?token=not-the-token#/queue`);
      await expect(banner).toContainText('The token in this address is wrong — open the URL the host printed');
      await expect(page.getByTestId('pause-toggle')).toBeDisabled();
      await screenshot(page, 'shell-wrong-token');
      await expectAccessible(page, 'the wrong-token banner');
    } finally {
      await page.context().close();
      await proxy.cut();
      await stopHost(host.child);
    }
  });

  test('use every view with the keyboard only', async ({ browser }) => {
    const page = await newPage(browser);
    await openApp(page);
    const kb = page.keyboard;
    const views = [
      ['q', 'Queue'],
      ['h', 'History'],
      ['t', 'Templates'],
      ['e', 'Engines'],
      ['d', 'Dashboard'],
      ['s', 'Settings'],
    ] as const;
    for (const [key, name] of views) {
      await kb.press('g');
      await kb.press(key);
      await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    }
    // `/` focuses the view's search.
    await kb.press('g');
    await kb.press('h');
    await kb.press('/');
    await expect(page.getByTestId('history-search')).toBeFocused();
    await kb.type(KBD);
    const rows = page.getByTestId('history-row');
    await expect(rows).toHaveCount(2);
    await expect(rows.filter({ hasText: KBD })).toHaveCount(2);
    // Tab into the list, Arrow keys between rows, Enter opens the row.
    for (let i = 0; i < 20 && (await focused(page)).testId !== 'history-row'; i++) await kb.press('Tab');
    await expect(rows.first()).toBeFocused();
    await kb.press('ArrowDown');
    await expect(rows.nth(1)).toBeFocused();
    const second = await rows.nth(1).getAttribute('data-job-id');
    await kb.press('Enter');
    await expect(jobDetail(page)).toHaveAttribute('data-job-id', second!);
    await expect(logText(page)).toContainText('shell-kbd-line');
    // On a job page, `/` is the log's search.
    await kb.press('/');
    await expect(page.getByLabel('Search the whole log')).toBeFocused();
    await kb.press('Tab');
    const opener = await focused(page);
    // The next stop of the log's toolbar: its regular-expression toggle.
    expect(opener).toMatchObject({ tag: 'INPUT', label: 'Regular expression' });
    // `n` opens the run dialog; Escape closes it and the focus is back where it was.
    await kb.press('n');
    const run = page.getByRole('dialog', { name: 'Run template' });
    await expect(run).toBeVisible();
    await expectAccessible(page, 'the run dialog');
    // Tab stays inside the dialog.
    for (let i = 0; i < 12; i++) {
      await kb.press('Tab');
      expect(await run.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    }
    await kb.press('Escape');
    await expect(run).toBeHidden();
    expect(await focused(page)).toEqual(opener);
    // `?` lists the shortcuts.
    await kb.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(help).toContainText('Go to History');
    await expect(help).toContainText('New run');
    await kb.press('Escape');
    await expect(help).toBeHidden();
    // Enter in the run dialog runs it.
    await kb.press('n');
    await expect(run).toBeVisible();
    await page.getByRole('combobox', { name: 'Template' }).focus();
    await page.getByRole('combobox', { name: 'Template' }).selectOption({ label: KBD });
    await page.getByLabel('Command').focus();
    await kb.type('echo run-by-enter');
    await kb.press('Enter');
    await expect(run).toBeHidden();
    await expect(jobDetail(page)).not.toHaveAttribute('data-job-id', second!);
    await expect(logText(page)).toContainText('run-by-enter');
    // The queue's rows are reached the same way: pause it, queue a run, Tab to its row, Enter.
    const tabTo = async (testId: string) => {
      for (let i = 0; i < 20 && (await focused(page)).testId !== testId; i++) await kb.press('Tab');
      expect((await focused(page)).testId).toBe(testId);
    };
    await kb.press('g');
    await kb.press('q');
    await expect(page.getByRole('heading', { level: 1, name: 'Queue' })).toBeVisible();
    await tabTo('pause-toggle');
    await kb.press('Enter');
    await expect(page.getByTestId('pause-toggle')).toHaveText('Resume queue');
    await kb.press('n');
    await page.getByRole('combobox', { name: 'Template' }).selectOption({ label: KBD });
    await kb.press('Enter');
    await expect(jobDetail(page)).toHaveAttribute('data-status', 'pending');
    const queued = await jobDetail(page).getAttribute('data-job-id');
    await kb.press('g');
    await kb.press('q');
    await tabTo('pending-row');
    await expect(page.getByTestId('pending-row').first()).toHaveAttribute('data-job-id', queued!);
    await screenshot(page, 'shell-keyboard');
    await expectAccessible(page, 'Queue, by keyboard');
    await kb.press('Enter');
    await expect(jobDetail(page)).toHaveAttribute('data-job-id', queued!);
    await kb.press('g');
    await kb.press('q');
    await tabTo('pause-toggle');
    await kb.press('Enter');
    await expect(page.getByTestId('pause-toggle')).toHaveText('Pause queue');

    // Templates: the editor and the delete confirmation are dialogs, used by keyboard alone.
    const tabToText = async (text: string, within?: import('@playwright/test').Locator) => {
      for (let i = 0; i < 40; i++) {
        const f = await focused(page);
        if (f.text === text && (!within || (await within.evaluate((el) => el.contains(document.activeElement))))) return;
        await kb.press('Tab');
      }
      throw new Error(`Tab never reached ${text}`);
    };
    await kb.press('g');
    await kb.press('t');
    await expect(page.getByRole('heading', { level: 1, name: 'Templates' })).toBeVisible();
    await tabToText('New template');
    await kb.press('Enter');
    const editor = page.getByRole('dialog', { name: 'New template' });
    await expect(editor).toBeVisible();
    await expect(editor.getByLabel('Name', { exact: true })).toBeFocused();
    await kb.type(KBD_NEW);
    await kb.press('Tab');
    await expect(editor.getByLabel('Image', { exact: true })).toBeFocused();
    await kb.type(TEST_IMAGE);
    // Enter in a field saves: the dialog closes, the list has the template, focus is back on the opener.
    await kb.press('Enter');
    await expect(editor).toBeHidden();
    await expect(page.locator('.toasts')).toContainText(`Saved ${KBD_NEW}`);
    expect((await focused(page)).text).toBe('New template');
    await kb.press('/');
    await kb.type(KBD_NEW);
    const row = page.getByTestId('template-row');
    await expect(row).toHaveCount(1);
    await expect(row).toHaveAttribute('data-template', KBD_NEW);
    // Reopen, change, Escape: the unsaved change is asked about, not dropped.
    await tabToText('Edit', row);
    await kb.press('Enter');
    const edit = page.getByRole('dialog', { name: `Edit ${KBD_NEW}` });
    await expect(edit).toBeVisible();
    await expect(edit.getByLabel('Image', { exact: true })).toHaveValue(TEST_IMAGE);
    await kb.press('Tab');
    await kb.press('Tab');
    await expect(edit.getByLabel('Description')).toBeFocused();
    await kb.type('typed by keyboard');
    await screenshot(page, 'shell-keyboard-editor');
    await expectAccessible(page, 'the template editor dialog');
    await kb.press('Escape');
    const leave = page.getByRole('dialog', { name: 'Unsaved changes' });
    await expect(leave).toContainText(`Your changes to the template ${KBD_NEW} are not saved yet.`);
    await expectAccessible(page, 'the leave dialog over the editor');
    // Escape again keeps editing: the text is still there.
    await kb.press('Escape');
    await expect(leave).toBeHidden();
    await expect(edit.getByLabel('Description')).toHaveValue('typed by keyboard');
    await expect(edit.getByLabel('Description')).toBeFocused();
    // Then Escape, and Discard: the dialog closes, the template is as it was.
    await kb.press('Escape');
    await expect(leave).toBeVisible();
    await tabToText('Discard', leave);
    await kb.press('Enter');
    await expect(leave).toBeHidden();
    await expect(edit).toBeHidden();
    await expect(row).not.toContainText('typed by keyboard');
    // Delete asks in the app, naming the template and what happens to its past jobs; Escape keeps it.
    await tabToText('Delete', row);
    await kb.press('Enter');
    const del = page.getByRole('dialog', { name: `Delete template ${KBD_NEW}?` });
    await expect(del).toContainText(`Its past jobs stay in History under the name ${KBD_NEW}`);
    expect((await focused(page)).text).toBe('Cancel');
    await screenshot(page, 'shell-keyboard-delete');
    await expectAccessible(page, 'the delete confirmation');
    await kb.press('Escape');
    await expect(del).toBeHidden();
    await expect(row).toHaveCount(1);
    expect((await focused(page)).text).toBe('Delete');
    await kb.press('Enter');
    await expect(del).toBeVisible();
    await tabToText('Delete template', del);
    await kb.press('Enter');
    await expect(del).toBeHidden();
    await expect(row).toHaveCount(0);
    await expect(page.locator('.toasts')).toContainText(`Deleted template ${KBD_NEW}`);

    // Import files…: the preview is a dialog too. Escape drops it (nothing saved), focus returns.
    const chooseFile = async () => {
      const chooser = page.waitForEvent('filechooser');
      await kb.press('Enter');
      const file = templateDrop(KBD_IMPORTED, 'echo imported');
      await (await chooser).setFiles({ name: file.name, mimeType: file.mimeType, buffer: file.buffer });
    };
    await tabToText('Import files…');
    await chooseFile();
    const importing = page.getByRole('dialog', { name: 'Import 1 file' });
    await expect(importing).toContainText(`${KBD_IMPORTED}.yaml`);
    expect(await importing.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    await kb.press('Escape');
    await expect(importing).toBeHidden();
    expect((await focused(page)).text).toBe('Import files…');
    await chooseFile();
    await expect(importing).toBeVisible();
    await expectAccessible(page, 'the import dialog');
    await tabToText('Save 1 template', importing);
    await kb.press('Enter');
    await expect(importing).toBeHidden();
    await expect(page.locator('.toasts')).toContainText('Saved 1 new template');
    await kb.press('/');
    await kb.press('ControlOrMeta+a');
    await kb.type(KBD_IMPORTED);
    await expect(row).toHaveAttribute('data-template', KBD_IMPORTED);
    await page.context().close();
  });

  test('Back and Forward move between views; a view has an address', async ({ browser }) => {
    const page = await newPage(browser);
    await openApp(page);
    await go(page, 'Queue');
    await go(page, 'History');
    await go(page, 'Templates');
    await expect(page).toHaveURL(/\?token=[\w-]+#\/templates$/);
    await page.goBack();
    await expect(page.getByRole('heading', { level: 1, name: 'History' })).toBeVisible();
    await expect(page).toHaveURL(/#\/history$/);
    await page.goBack();
    await expect(page.getByRole('heading', { level: 1, name: 'Queue' })).toBeVisible();
    await page.goForward();
    await expect(page.getByRole('heading', { level: 1, name: 'History' })).toBeVisible();
    // A job page has its own address, and a reload keeps the place (and the token).
    await page.getByPlaceholder(/Search/).first().fill(KBD);
    await page.getByTestId('history-row').filter({ hasText: KBD }).first().click();
    const id = await jobDetail(page).getAttribute('data-job-id');
    await expect(page).toHaveURL(new RegExp(`\\?token=[\\w-]+#/jobs/${id}$`));
    await page.reload();
    await expect(jobDetail(page)).toHaveAttribute('data-job-id', id!);
    await page.goBack();
    await expect(page.getByRole('heading', { level: 1, name: 'History' })).toBeVisible();
    await page.goForward();
    await expect(jobDetail(page)).toHaveAttribute('data-job-id', id!);
    await screenshot(page, 'shell-back-forward');
    await expectAccessible(page, 'a job page reached by Forward');
    await page.context().close();
  });
});
