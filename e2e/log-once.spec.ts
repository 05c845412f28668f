// A person watches a job's log while it runs and copies it at the end: every line is there once,
// in order, and each line crossed from the host to the page about once (issue 9, item 5: the pane
// writes what the live events carry and reads the file only to fill a gap). Templates: `once-`.
import { expect, test } from '@playwright/test';
import { expectAccessible } from './support/a11y';
import { go, jobBadge, jobDetail, logText, openApp, runTemplate } from './support/app';
import { useAppPage } from './support/appPage';
import { deleteTemplate, docShot, expectEnded, importTemplate, templateYaml } from './support/core-journeys';
import { countLogTraffic } from './support/log-once';

const T = 'once-lines';
const LINES = 400;
const MARK = 'once-line-';
// Four bursts a second apart: the pane is open while most of it is printed.
const COMMAND = `for i in $(seq 1 ${LINES}); do echo ${MARK}$i; [ $((i % 100)) -eq 0 ] && sleep 1; done; true`;

test.describe('log lines cross once', () => {
  test.describe.configure({ mode: 'serial' });
  // Opened by the first test (openApp), after it starts listening.
  const page = useAppPage({ open: false, permissions: ['clipboard-read', 'clipboard-write'], beforeClose: (p) => deleteTemplate(p, T) });

  test('a running job: every line shown once, in order, and sent to the page about once', async () => {
    const traffic = countLogTraffic(page(), MARK);
    await openApp(page());
    await go(page(), 'Templates');
    await importTemplate(page(), T, templateYaml(T, COMMAND));
    await runTemplate(page(), T);
    await expect(logText(page())).toContainText(`${MARK}${LINES}`, { timeout: 60_000 });
    await expectEnded(page());
    await expect(jobBadge(page())).toHaveText('0');

    await jobDetail(page()).getByRole('button', { name: 'Copy', exact: true }).click();
    // Copy takes the whole log from the host, so the clipboard fills a moment after the click.
    const copiedLines = async () =>
      (await page().evaluate(() => navigator.clipboard.readText())).split('\n').map((l) => l.trim()).filter((l) => l.startsWith(MARK));
    await expect.poll(copiedLines).toEqual(Array.from({ length: LINES }, (_, i) => `${MARK}${i + 1}`));

    // Before: each line came in an event and again in a read (2 × LINES). Now a read fills only
    // what the pane missed before its subscription reached the host.
    console.log(`log-once: ${LINES} lines; ${traffic.live} came live, ${traffic.read} by logs.read`);
    expect(traffic.live + traffic.read).toBeGreaterThanOrEqual(LINES);
    expect(traffic.live + traffic.read).toBeLessThanOrEqual(LINES * 1.25);
    await docShot(page(), 'log-once');
    await expectAccessible(page(), 'job view with a finished log');
  });
});
