// The audit trail as a person reads it (issue 12, items 6 and 7): a job run from the run dialog
// with an override, another cancelled, a failed one retried; each job page's timeline says what
// happened and who asked (you, through the browser), "Copy as issue" gives a Markdown report with
// the exit code's meaning and the log's tail, and Export downloads the events. Templates: `au-`.
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { expect, test, type Page } from '@playwright/test';
import { JobEventsFile } from '../src/shared/jobEvents';
import { expectAccessible } from './support/a11y';
import { dropFiles, go, jobBadge, jobDetail, resumeQueue, runTemplate } from './support/app';
import { useAppPage } from './support/appPage';
import { deleteTemplate, docShot, expectEnded, templateRow } from './support/core-journeys';
import { templateDrop } from './support/templates';

const OK = 'au-override';
const SLOW = 'au-slow';
const FAIL = 'au-fail';
const YOU = `by ${userInfo().username} (browser)`;

test.describe.configure({ mode: 'serial' });
const page = useAppPage({
  viewport: { width: 1280, height: 900 },
  permissions: ['clipboard-read', 'clipboard-write'],
  beforeClose: async (p) => {
    await resumeQueue(p);
    for (const t of [OK, SLOW, FAIL]) await deleteTemplate(p, t);
  },
});

test.beforeAll(async () => {
  await dropFiles(page(), [
    templateDrop(OK, 'echo au-mode=$AU_MODE', ['env:', '  AU_MODE: slow', '  AU_KEY: { value: au-secret-value, secret: true }']),
    templateDrop(SLOW, 'echo au-slow-started; sleep 300'),
    templateDrop(FAIL, 'echo au-fail-out; echo au-fail-err >&2; exit 3', ['retry:', '  limit: 0']),
  ]);
  const preview = page().getByTestId('import-preview');
  await preview.getByTestId('import-save').click();
  await expect(preview).toBeHidden();
});

const timeline = (p: Page) => jobDetail(p).getByTestId('job-timeline');
const event = (p: Page, kind: string) => timeline(p).locator(`[data-testid="timeline-event"][data-kind="${kind}"]`);

test('a run with an override: created by you in the browser, the override, started on the engine, attempt ended', async () => {
  await go(page(), 'Templates');
  await templateRow(page(), OK).getByRole('button', { name: 'Run', exact: true }).click();
  const dialog = page().getByRole('dialog', { name: 'Run template' });
  await dialog.getByLabel('Value of AU_MODE').fill('fast');
  await dialog.getByTestId('run-submit').click();
  await expect(dialog).toBeHidden();
  await expect(jobDetail(page())).toContainText(OK);
  await expectEnded(page());
  await expect(jobBadge(page())).toHaveText('0');

  const created = event(page(), 'created');
  await expect(created).toContainText(`created (manual) from template ${OK}`);
  await expect(created).toContainText(YOU);
  // What the run was given apart from the template: the override, and nothing of the secret.
  await expect(created.getByRole('list', { name: 'Inputs given apart from the template' })).toHaveText('env AU_MODE=fast');
  await expect(event(page(), 'started')).toContainText(new RegExp(`attempt 1 started on engine \\S+, container jobdeck-${OK}-`));
  await expect(event(page(), 'attemptEnded')).toContainText('attempt 1 ended: exit 0 (succeeded)');
  await expect(event(page(), 'ended')).toContainText('ended completed: exit 0 (succeeded)');
  await expect(timeline(page())).not.toContainText('au-secret-value');
});

test('a job that waited says for what; a cancelled job says who cancelled it', async () => {
  // Paused, the job waits; the timeline says so once, and the queue is left running again.
  await go(page(), 'Queue');
  const toggle = page().getByTestId('pause-toggle');
  await toggle.click();
  await expect(toggle).toHaveText('Resume queue');
  await runTemplate(page(), SLOW);
  await expect(event(page(), 'waiting')).toHaveText(/waiting: queue paused/);
  const id = (await jobDetail(page()).getAttribute('data-job-id'))!;
  await go(page(), 'Queue');
  await toggle.click();
  await expect(toggle).toHaveText('Pause queue');
  await page().locator(`[data-testid="running-row"][data-job-id="${id}"]`).click();
  await expect(jobBadge(page())).toHaveText('running');
  await expect(event(page(), 'waiting')).toHaveCount(1);
  await expect(event(page(), 'started')).toContainText('attempt 1 started on engine');
  await jobDetail(page()).getByTestId('job-cancel').click();
  await expectEnded(page());
  await expect(event(page(), 'cancelled')).toContainText('cancel requested');
  await expect(event(page(), 'cancelled')).toContainText(YOU);
  await expect(event(page(), 'ended')).toContainText('ended cancelled');
});

test('a failed job retried by you; Copy as issue and Export give what the timeline shows', async () => {
  await runTemplate(page(), FAIL);
  await expectEnded(page());
  await expect(jobBadge(page())).toHaveText('3');
  await expect(event(page(), 'attemptEnded')).toContainText('attempt 1 ended: exit 3 (failed with a non-zero exit code)');
  await jobDetail(page()).getByTestId('job-retry').click();
  const retried = event(page(), 'retried');
  await expect(retried).toContainText('retried');
  await expect(retried).toContainText(YOU);
  // The retry runs and fails the same way: its attempt is on the timeline too.
  await expect(event(page(), 'attemptEnded')).toHaveCount(2);
  await expect(event(page(), 'ended')).toHaveCount(2);
  await expect(jobBadge(page())).toHaveText('3');

  await timeline(page()).getByRole('button', { name: 'Copy as issue' }).click();
  const copied = () => page().evaluate(() => navigator.clipboard.readText());
  await expect.poll(copied).toContain(`## Job ${FAIL} `);
  const markdown = await copied();
  expect(markdown).toContain('| Exit code | 3 — failed with a non-zero exit code |');
  expect(markdown).toContain('### stderr (last 50 lines of attempt 2)');
  expect(markdown).toContain('```text\nau-fail-err\n```');
  expect(markdown).toContain('```text\nau-fail-out\n```');
  expect(markdown).toContain(`| Requested by | ${userInfo().username} (browser), manual |`);
  expect(markdown).toMatch(/\| Engine \| \S+ \(docker \d/);

  const shown = await timeline(page()).getByTestId('timeline-event').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
  const download = page().waitForEvent('download');
  await timeline(page()).getByRole('button', { name: 'Export' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(new RegExp(`^jobdeck-${FAIL}-[0-9a-f]{8}-events\\.json$`));
  const saved = JobEventsFile.parse(JSON.parse(readFileSync((await file.path())!, 'utf8')));
  expect(saved.jobId).toBe(await jobDetail(page()).getAttribute('data-job-id'));
  expect(saved.events.map((e) => e.kind)).toEqual(shown);
  expect(saved.events.find((e) => e.kind === 'retried')).toMatchObject({ automatic: false, by: { user: userInfo().username, client: 'browser' } });

  await timeline(page()).scrollIntoViewIfNeeded();
  await docShot(page(), 'job-timeline');
  await expectAccessible(page(), 'job page with its timeline');
});
