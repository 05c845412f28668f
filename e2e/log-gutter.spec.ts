// The log pane's gutter (issue 9, renderer speed): line numbers, stream marks and times drawn
// beside the terminal, as a person reads them: a number on the row a line starts on, the stream's
// mark on each of its rows, times on demand, and the copied log without any of them. Templates: `gutter-`.
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './support/a11y';
import { jobDetail, openApp } from './support/app';
import { useAppPage } from './support/appPage';
import { deleteTemplate, docShot, runToSuccess } from './support/core-journeys';
import { paneRows } from './support/logRows';

const T = 'gutter-marks';
const LONG = `gutter-long-${'0123456789'.repeat(30)}`;
// stdout, then (after a pause, so the order is the engine's as well) stderr, a line longer than the pane is wide, stdout again.
const COMMAND = `echo gutter-out-1; echo gutter-out-2; sleep 0.3; echo gutter-err >&2; sleep 0.3; L=gutter-long-; i=0; while [ $i -lt 30 ]; do L="\${L}0123456789"; i=$((i+1)); done; echo $L; echo gutter-last`;

/** The rows in view, once they read as `check` wants. */
async function rowsWhen(page: Page, check: (rows: string[]) => boolean, message: string): Promise<string[]> {
  let rows: string[] = [];
  await expect
    .poll(
      async () => {
        rows = await paneRows(page);
        return check(rows);
      },
      { message },
    )
    .toBe(true);
  return rows;
}

test.describe('the log gutter', () => {
  test.describe.configure({ mode: 'serial' });
  // Opened by the first test (openApp), after it starts listening.
  const page = useAppPage({ open: false, permissions: ['clipboard-read', 'clipboard-write'], beforeClose: (p) => deleteTemplate(p, T) });

  test('numbers, stream marks, wrapped rows and times beside the log; copy takes the text alone', async () => {
    await openApp(page());
    await runToSuccess(page(), T, COMMAND);

    // Each line with its number and its stream's mark: a thin bar for stdout, a heavy one for stderr.
    let rows = await rowsWhen(page(), (r) => r.some((l) => l.endsWith('gutter-last')), 'the last line shows');
    expect(rows[0]).toMatch(/^\s+1 │ gutter-out-1$/);
    expect(rows[1]).toMatch(/^\s+2 │ gutter-out-2$/);
    expect(rows[2]).toMatch(/^\s+3 ┃ gutter-err$/);
    // The long line wraps: its number on its first row only, its mark on every row.
    expect(rows[3]).toMatch(/^\s+4 │ gutter-long-0123/);
    const last = rows.findIndex((l) => l.endsWith('gutter-last'));
    expect(last).toBeGreaterThan(4);
    for (const cont of rows.slice(4, last)) {
      expect(cont).toMatch(/^\s+│ [0-9]+$/);
      // The marks stay in one column, the wrapped rows' too.
      expect(cont.indexOf('│')).toBe(rows[3]!.indexOf('│'));
    }
    expect(rows[last]).toMatch(/^\s+5 │ gutter-last$/);
    expect(rows.slice(3, last).map((l) => l.replace(/^\s*\d*\s*│ /, '')).join('')).toBe(LONG);

    // Times: each line's time, in the gutter after its mark (on the row the line starts on).
    await jobDetail(page()).getByRole('checkbox', { name: 'Times' }).check();
    rows = await rowsWhen(page(), (r) => /\d\d:\d\d:\d\d\.\d{3} gutter-out-1$/.test(r[0] ?? ''), 'times beside the lines');
    expect(rows[0]).toMatch(/^\s+1 │ \d\d:\d\d:\d\d\.\d{3} gutter-out-1$/);
    expect(rows[2]).toMatch(/^\s+3 ┃ \d\d:\d\d:\d\d\.\d{3} gutter-err$/);
    await docShot(page(), 'log-gutter');

    // Without wrapping the long line is one row (it scrolls sideways), and the numbers stay put.
    await jobDetail(page()).getByRole('checkbox', { name: 'Wrap' }).uncheck();
    rows = await rowsWhen(page(), (r) => r[4]?.endsWith('gutter-last') === true, 'the long line on one row');
    expect(rows[3]).toMatch(new RegExp(`^    4 │ \\d\\d:\\d\\d:\\d\\d\\.\\d{3} ${LONG}$`));

    // stdout only: stderr's line left out, the numbers kept (as grep -n).
    await jobDetail(page()).getByRole('combobox', { name: 'Streams shown' }).selectOption('stdout');
    rows = await rowsWhen(page(), (r) => r.some((l) => l.endsWith('gutter-last')) && !r.some((l) => l.includes('gutter-err')), 'stderr left out');
    expect(rows[2]).toMatch(/^\s+4 │ \d\d:\d\d:\d\d\.\d{3} gutter-long-/);
    await jobDetail(page()).getByRole('combobox', { name: 'Streams shown' }).selectOption('all');
    await jobDetail(page()).getByRole('checkbox', { name: 'Times' }).uncheck();
    await jobDetail(page()).getByRole('checkbox', { name: 'Wrap' }).check();

    // Copy: the log's own text, without numbers or marks.
    await jobDetail(page()).getByRole('button', { name: 'Copy', exact: true }).click();
    await expect.poll(() => page().evaluate(() => navigator.clipboard.readText())).toContain(`gutter-out-1\ngutter-out-2\n`);
    const copied = await page().evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain(`${LONG}\ngutter-last\n`);
    expect(copied).not.toMatch(/[│┃]/);
    await expectAccessible(page(), 'job view with the log gutter');
  });
});
