// A finished job's long log opens on its tail (issue 9, renderer speed; issue 11, item 7): a
// person opens a 50,000-line log from History and sees its last line at once, numbered as the
// file numbers it, with a plain word that the pane holds the last lines; scrolling up brings the
// earlier ones, and "Back to the end" the tail again. The page is sent the tail, not the whole log.
// Templates: `tail-`.
import { expect, test } from '@playwright/test';
import { expectAccessible } from './support/a11y';
import { go, jobDetail, openApp } from './support/app';
import { useAppPage } from './support/appPage';
import { deleteTemplate, docShot, runToSuccess } from './support/core-journeys';
import { countLogTraffic } from './support/log-once';
import { dragScrollbarToTop, expectPaneShows } from './support/logRows';

const T = 'tail-lines';
const LINES = 50_000;
const COMMAND = `seq -w 1 ${LINES} | sed 's/^/tailrow-/'; echo tail-done`;
/** The terminal's scrollback (TERMINAL_OPTIONS): the lines the pane opens on. */
const TAIL = 10_000;
const fmt = (n: number) => n.toLocaleString('en-US');

test.describe('a long log opens on its tail', () => {
  test.describe.configure({ mode: 'serial' });
  const page = useAppPage({ open: false, beforeClose: (p) => deleteTemplate(p, T) });

  test('opened from History: the last line at once, numbered; earlier lines on scrolling up', async () => {
    // Counted from the page's first socket on; what the tail brought is the difference at the reopen.
    const traffic = countLogTraffic(page(), 'tailrow-');
    await openApp(page());
    await runToSuccess(page(), T, COMMAND);
    const id = /#\/jobs\/([0-9a-f-]{36})/.exec(page().url())?.[1];
    expect(id, 'the job view has the job in its address').toBeTruthy();

    // Opened afresh from History, as a person comes back to a finished job.
    await go(page(), 'History');
    const before = traffic.read + traffic.live;
    const row = page().locator(`[data-testid="history-row"][data-job-id="${id}"]`);
    await row.click();
    const total = LINES + 1;
    await expectPaneShows(page(), new RegExp(`${LINES} │ tailrow-${LINES}\\n\\s*${total} │ tail-done`));
    const bar = jobDetail(page()).getByTestId('log-window');
    await expect(bar).toContainText(`Showing the last lines ${fmt(total - TAIL + 1)}–${fmt(total)} of ${fmt(total)}`);
    // Only the tail crossed to the page: its lines, not the 50,000.
    expect(traffic.read + traffic.live - before).toBe(TAIL - 1);

    // Scrolled up past the top of what the pane holds: the lines before it, with their numbers.
    const pane = jobDetail(page()).getByTestId('log-pane');
    const first = total - TAIL + 1;
    await expect(async () => {
      await dragScrollbarToTop(page(), pane);
      await page().mouse.wheel(0, -300);
      await expect(bar).toContainText('Showing earlier lines', { timeout: 2000 });
    }).toPass({ timeout: 60_000 });
    await expect(bar).toContainText(`Showing earlier lines ${fmt(first - 4000)}–${fmt(first + 3999)} of ${fmt(total)}`);
    await expectPaneShows(page(), `${first} │ tailrow-${String(first).padStart(5, '0')}`);
    await expect(jobDetail(page()).getByRole('checkbox', { name: 'Follow' })).not.toBeChecked();
    await docShot(page(), 'log-tail');

    // Back to the end: the tail again, its last line in view.
    await bar.getByRole('button', { name: 'Back to the end' }).click();
    await expectPaneShows(page(), `${total} │ tail-done`);
    await expect(bar).toContainText('Showing the last lines');
    await expectAccessible(page(), 'job view opened on a long log\'s tail');
  });
});
