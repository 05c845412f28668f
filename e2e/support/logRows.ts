// The log pane's rows as a person reads them: the gutter beside the terminal (line number, stream
// mark, time) and the terminal's own row, side by side.
import { expect, type Locator, type Page } from '@playwright/test';

export async function paneRows(page: Page): Promise<string[]> {
  const pane = page.getByTestId('job-detail');
  const text = await pane.getByTestId('log-pane').locator('.xterm-rows > div').allTextContents();
  const gutter = await pane.getByTestId('log-gutter-row').allTextContents();
  return text.map((t, i) => `${gutter[i] ?? ''}${t}`.trimEnd());
}

/** The rows in view, one a line. */
export const paneText = async (page: Page): Promise<string> => (await paneRows(page)).join('\n');

/** Waits until the rows in view read `want` (a string they contain, or a pattern they match). */
export async function expectPaneShows(page: Page, want: string | RegExp, timeout?: number): Promise<void> {
  const poll = expect.poll(() => paneText(page), { ...(timeout ? { timeout } : {}), message: `the log pane shows ${String(want)}` });
  await (typeof want === 'string' ? poll.toContain(want) : poll.toMatch(want));
}

/** As a person drags the pane's scrollbar thumb to the top. */
export async function dragScrollbarToTop(page: Page, pane: Locator): Promise<void> {
  await pane.hover();
  const bar = pane.locator('.xterm-scrollable-element > .scrollbar.vertical');
  const t = await bar.locator('.slider').boundingBox();
  const b = await bar.boundingBox();
  if (!t || !b) throw new Error('the log pane has no scrollbar');
  await page.mouse.move(t.x + t.width / 2, t.y + t.height / 2);
  await page.mouse.down();
  await page.mouse.move(t.x + t.width / 2, b.y - 40, { steps: 4 });
  await page.mouse.up();
}
