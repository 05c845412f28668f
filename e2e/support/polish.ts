// Helpers of the polish journeys (dialogs, the Dashboard after a reconnect): what the page sends
// over its WebSocket, and the template editor, import preview and delete confirmation as dialogs.
import { expect, type Locator, type Page } from '@playwright/test';

/** How many calls of `command` the page has sent so far, over every WebSocket it opens. */
export function sentCalls(page: Page, command: string): () => number {
  let n = 0;
  const needle = `"command":"${command}"`;
  page.on('websocket', (ws) => ws.on('framesent', (f) => typeof f.payload === 'string' && f.payload.includes(needle) && n++));
  return () => n;
}

/** A Dashboard tile's value by its label. */
export const tile = (page: Page, label: string): Locator =>
  page.locator('.tile').filter({ has: page.locator('.tile-label', { hasText: label }) }).locator('.tile-value');

/** The delete confirmation of a template, opened from its row; nothing is deleted until it is confirmed. */
export async function openDelete(page: Page, row: Locator, name: string): Promise<Locator> {
  await row.getByRole('button', { name: 'Delete', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `Delete template ${name}?` });
  await expect(dialog).toBeVisible();
  return dialog;
}
