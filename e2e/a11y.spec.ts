// axe on every view and dialog (WCAG 2 A/AA, no serious or critical violation), reached as a
// user reaches them. Templates made here are named a11y-… (all specs share one host).
import { expect, test } from '@playwright/test';
import { expectAccessible } from './support/a11y';
import { dropFiles, go, jobBadge, jobDetail, logText } from './support/app';
import { useAppPage } from './support/appPage';
import { screenshot, templateDrop } from './support/shell';

const HELLO = 'a11y-hello';

test.describe('accessibility of every view', () => {
  test.describe.configure({ mode: 'serial' });
  const page = useAppPage({ colorScheme: 'dark' });

  test('Queue', async () => {
    await go(page(), 'Queue');
    await expect(page().getByRole('heading', { name: 'Queue', level: 1 })).toBeVisible();
    await expectAccessible(page(), 'Queue');
  });

  test('Templates and the import preview', async () => {
    await go(page(), 'Templates');
    await expect(page().getByRole('heading', { name: 'Templates', level: 1 })).toBeVisible();
    await expectAccessible(page(), 'Templates');
    await dropFiles(page(), [templateDrop(HELLO, 'echo a11y-line-1; echo a11y-line-2 >&2')]);
    const preview = page().getByTestId('import-preview');
    await expect(preview).toContainText(HELLO);
    await expectAccessible(page(), 'the import preview');
    await preview.getByTestId('import-save').click();
    await expect(page().getByTestId('template-row').filter({ hasText: HELLO })).toHaveCount(1);
    await expectAccessible(page(), 'Templates with a template');
  });

  test('the template editor', async () => {
    await page().getByRole('button', { name: 'New template' }).click();
    await expect(page().getByTestId('template-editor')).toBeVisible();
    await expectAccessible(page(), 'the template editor');
    await page().getByTestId('template-editor').getByRole('button', { name: /cancel/i }).click();
  });

  test('the run dialog, and a job page with a log', async () => {
    await page().getByTestId('template-row').filter({ hasText: HELLO }).getByRole('button', { name: 'Run', exact: true }).click();
    await expect(page().getByRole('dialog', { name: 'Run template' })).toBeVisible();
    await expectAccessible(page(), 'the run dialog');
    await page().getByTestId('run-submit').click();
    await expect(jobDetail(page())).toContainText(HELLO);
    await expect(logText(page())).toContainText('a11y-line-2');
    await expect(jobBadge(page())).toHaveAttribute('data-tone', 'success');
    await expectAccessible(page(), 'a job page with a log');
    await screenshot(page(), 'a11y-job');
  });

  test('History', async () => {
    await go(page(), 'History');
    await expect(page().getByTestId('history-row').filter({ hasText: HELLO }).first()).toBeVisible();
    await expectAccessible(page(), 'History');
  });

  test('Engines, Dashboard, Settings', async () => {
    await go(page(), 'Engines');
    await expect(page().getByTestId('engine-card').first()).toBeVisible();
    await expectAccessible(page(), 'Engines');
    await go(page(), 'Dashboard');
    await expect(page().getByTestId('dashboard-view')).toBeVisible();
    await expectAccessible(page(), 'Dashboard');
    await go(page(), 'Settings');
    await expect(page().getByLabel('Concurrent jobs')).toBeVisible();
    await expectAccessible(page(), 'Settings');
  });

  test('the shortcuts dialog', async () => {
    await page().locator('body').press('?');
    await expect(page().getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
    await expectAccessible(page(), 'the shortcuts dialog');
    await page().keyboard.press('Escape');
    await expect(page().getByRole('dialog')).toHaveCount(0);
  });
});
