// Page helpers: what a user does, found by role and text first, by test id where the UI gives one.
import { expect, type Locator, type Page } from '@playwright/test';
import { hostUrl } from './env';
import type { DropFile } from './templates';

export type ViewName = 'Queue' | 'History' | 'Templates' | 'Engines' | 'Dashboard' | 'Settings';

export async function openApp(page: Page): Promise<void> {
  await page.goto(hostUrl());
  await expect(page.locator('nav')).toBeVisible();
}

export async function go(page: Page, view: ViewName): Promise<void> {
  await page.locator('nav').getByRole('button', { name: new RegExp(`^${view}`) }).click();
}

/** Files dropped on the window, as the OS would (DataTransfer with File objects, no paths). */
export async function dropFiles(page: Page, files: DropFile[]): Promise<void> {
  await page.locator('main').drop({ files });
}

/**
 * The shared host's queue left running, for a block that pauses it: its clean-up (useAppPage's
 * beforeClose) runs after a failed test too, so one failure does not hold every later spec's jobs.
 */
export async function resumeQueue(page: Page): Promise<void> {
  await go(page, 'Queue');
  const toggle = page.getByTestId('pause-toggle');
  if ((await toggle.textContent()) === 'Resume queue') await toggle.click();
  await expect(toggle).toHaveText('Pause queue');
}

export function jobDetail(page: Page): Locator {
  return page.getByTestId('job-detail');
}

/** The job's own badge: the first one in the detail view's header. */
export function jobBadge(page: Page): Locator {
  return jobDetail(page).getByTestId('exit-badge').first();
}

export function logText(page: Page): Locator {
  return page.getByTestId('log-pane').locator('.xterm-rows');
}

export async function runTemplate(page: Page, name: string): Promise<void> {
  await go(page, 'Templates');
  const row = page.getByTestId('template-row').filter({ hasText: name });
  await row.getByRole('button', { name: 'Run', exact: true }).click();
  // Run opens the run dialog (overrides); running as the template says is one more click.
  await page.getByTestId('run-submit').click();
  await expect(jobDetail(page)).toBeVisible();
  await expect(jobDetail(page)).toContainText(name);
}

/**
 * Toasts read and dismissed (they close on a click) before a picture. All at once, in the page: a
 * toast also closes on its own after a few seconds, and a click aimed at one that just closed
 * would wait for ever for the next.
 */
export async function clearToasts(page: Page): Promise<void> {
  const toasts = page.locator('.toast');
  await toasts.evaluateAll((els) => els.forEach((e) => (e as unknown as { click(): void }).click()));
  await expect(toasts).toHaveCount(0);
}

