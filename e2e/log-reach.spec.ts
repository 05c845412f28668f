// The whole log and the artifacts are reachable (issue 11, items 7–9): a person scrolls a 30,000
// line log up to its first line, searches it in the host, filters stderr, downloads it whole;
// previews and downloads an artifact; reads the container's name and the quoted argv. Templates: `reach-`.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { expectAccessible } from './support/a11y';
import { go, jobBadge, jobDetail, logText, openApp, runTemplate } from './support/app';
import { useAppPage } from './support/appPage';
import { deleteTemplate, docShot, expectEnded, importTemplate, runToSuccess, templateYaml } from './support/core-journeys';
import { dragScrollbarToTop, expectPaneShows } from './support/logRows';

const LOG = 'reach-lines';
const ART = 'reach-artifacts';
const LINES = 30_000;
// 30,000 numbered lines on stdout and two on stderr (where those land among them is the engine's to say).
const LOG_COMMAND = `echo err-alpha >&2; seq -w 1 ${LINES} | sed 's/^/row-/'; echo err-omega >&2`;
const ART_COMMAND = 'mkdir -p /out && echo artifact line one > /out/report.txt && echo second line >> /out/report.txt && echo made it';
const rows = Array.from({ length: LINES }, (_, i) => `row-${String(i + 1).padStart(5, '0')}`);

test.describe('the whole log and the artifacts, reachable', () => {
  test.describe.configure({ mode: 'serial' });
  const kept: string[] = [];
  // Opened by the first test (openApp).
  const page = useAppPage({
    open: false,
    acceptDownloads: true,
    permissions: ['clipboard-read', 'clipboard-write'],
    beforeClose: async (p) => {
      // The kept container is this spec's own: removed by its id.
      for (const id of kept) execFileSync('docker', ['rm', '-f', id], { stdio: 'ignore' });
      await deleteTemplate(p, LOG);
      await deleteTemplate(p, ART);
    },
  });

  test('a 30,000-line log: up to line 1, search, stderr only, the whole file downloaded', async () => {
    await openApp(page());
    await runToSuccess(page(), LOG, LOG_COMMAND);
    const pane = jobDetail(page()).getByTestId('log-pane');
    const bar = jobDetail(page()).getByTestId('log-window');
    await expect(logText(page())).toContainText('row-30000');
    // The pane holds the tail and says so.
    await expect(bar).toContainText(/Showing the last lines [\d,]+–30,00\d of 30,00\d/);

    // Scrolling up past the top (the scrollbar dragged up, a wheel nudge at the top) brings the
    // earlier lines, a window at a time, down to line 1.
    await expect(async () => {
      await dragScrollbarToTop(page(), pane);
      await page().mouse.wheel(0, -300);
      await expectPaneShows(page(), /^\s*1 [│┃] /, 2000);
    }).toPass({ timeout: 90_000 });
    await expect(jobDetail(page()).getByRole('checkbox', { name: 'Follow' })).not.toBeChecked();
    await expectPaneShows(page(), '│ row-00001');
    await expect(bar).toContainText(/Showing earlier lines 1–8,000 of 30,00\d/);

    // Search runs over the whole log: one match, far from what the pane holds, brought into view.
    const search = jobDetail(page()).getByRole('textbox', { name: 'Search the whole log' });
    await search.fill('row-12345');
    await search.press('Enter');
    await expect(jobDetail(page()).getByTestId('log-match-count')).toHaveText('1 of 1');
    await expectPaneShows(page(), /\d{5} │ row-12345/);
    await docShot(page(), 'log-reach');

    // stderr only: its lines, from the tail, and none of stdout's.
    await jobDetail(page()).getByRole('combobox', { name: 'Streams shown' }).selectOption('stderr');
    // Each a line of its own, wherever the engine put it among stdout's 4 KiB blocks.
    await expectPaneShows(page(), '┃ err-alpha');
    await expectPaneShows(page(), '┃ err-omega');
    await expect(logText(page())).not.toContainText('row-');
    await jobDetail(page()).getByRole('combobox', { name: 'Streams shown' }).selectOption('all');
    await expect(logText(page())).toContainText('row-30000');

    // The whole log as a file: every line, in order.
    const [download] = await Promise.all([page().waitForEvent('download'), jobDetail(page()).getByRole('button', { name: 'Download', exact: true }).click()]);
    expect(download.suggestedFilename()).toMatch(/^reach-lines-[0-9a-f]{8}-1\.log$/);
    // Lines are kept per stream: stdout's are all there, in order, and stderr's whole among them.
    const text = readFileSync(await download.path(), 'utf8').split('\n');
    expect(text.filter((l) => l.startsWith('row-'))).toEqual(rows);
    expect(text.filter((l) => l.startsWith('err-'))).toEqual(['err-alpha', 'err-omega']);
    await expectAccessible(page(), 'job view with a long log');
  });

  test('an artifact previews and downloads; the spec names the container and quotes the argv', async () => {
    await go(page(), 'Templates');
    await importTemplate(page(), ART, templateYaml(ART, ART_COMMAND, ['outputDir: /out', 'keepContainer: true']));
    await runTemplate(page(), ART);
    await expectEnded(page());
    await expect(jobBadge(page())).toHaveText('0');

    const artifact = jobDetail(page()).getByTestId('artifact').filter({ has: page().getByText('report.txt', { exact: true }) });
    await artifact.getByRole('button', { name: 'Preview report.txt' }).click();
    await expect(artifact.getByTestId('artifact-preview')).toHaveText('artifact line one\nsecond line\n');
    const [download] = await Promise.all([page().waitForEvent('download'), artifact.getByRole('button', { name: 'Download report.txt' }).click()]);
    expect(download.suggestedFilename()).toBe('report.txt');
    expect(readFileSync(await download.path(), 'utf8')).toBe('artifact line one\nsecond line\n');

    const spec = jobDetail(page()).getByTestId('job-spec');
    await expect(spec.getByTestId('spec-argv')).toHaveText(`sh -c '${ART_COMMAND}'`);
    await expect(spec.getByTestId('spec-origin')).toHaveText('run by hand');
    const name = spec.getByTestId('spec-container-name');
    await expect(name).toHaveText(/^jobdeck-reach-artifacts-[0-9a-f]{8}-1$/);
    const id = await spec.getByTestId('spec-container-id').getAttribute('title');
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    kept.push(id!);
    // `docker ps -a` says which job it is: the same name, on the engine itself.
    expect(execFileSync('docker', ['inspect', '--format', '{{.Name}}', id!], { encoding: 'utf8' }).trim()).toBe(`/${await name.textContent()}`);
    await expect(spec).toContainText('/out');
    await docShot(page(), 'artifacts');
    await expectAccessible(page(), 'job view with an artifact preview');
  });
});
