// Issue 11, what a user reaches without writing a file: a Dashboard chart bar opens History on the
// jobs it counts; bulk retry of failed jobs from History; select all in the Queue; templates
// exported a file each (one archive); one engine chosen by id in the editor and the run dialog.
// Templates here start with `reach-`.
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { extract } from 'tar-stream';
import { parse } from 'yaml';
import { expectAccessible } from './support/a11y';
import { go, jobDetail, resumeQueue, runTemplate } from './support/app';
import { useAppPage } from './support/appPage';
import { docShot, expectEnded, importTemplate, templateYaml } from './support/core-journeys';
import { TEST_IMAGE } from './support/env';
import { field, newTemplate } from './support/templates-journeys';

const RUN = Date.now().toString(36);
const T = { ok: `reach-ok-${RUN}`, fail: `reach-fail-${RUN}`, engine: `reach-engine-${RUN}` };

/** The files of a downloaded .tar.gz, by name, as a person's archive tool lists them. */
async function untar(path: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const ex = extract();
  Readable.from(gunzipSync(readFileSync(path))).pipe(ex);
  for await (const entry of ex) {
    const parts: Buffer[] = [];
    for await (const c of entry) parts.push(c as Buffer);
    files.set(entry.header.name, Buffer.concat(parts).toString('utf8'));
  }
  return files;
}

test.describe('everything the engine can do, a user can reach', () => {
  test.describe.configure({ mode: 'serial' });
  const page = useAppPage({ acceptDownloads: true, beforeClose: resumeQueue });

  test.beforeAll(async () => {
    await go(page(), 'Templates');
    await importTemplate(page(), T.ok, templateYaml(T.ok, 'echo reach-ok'));
    await importTemplate(page(), T.fail, templateYaml(T.fail, 'echo reach-fail; exit 4'));
  });

  test('a bar of the durations chart opens History on the jobs of its hour and status, as many as it counts', async () => {
    for (const name of [T.ok, T.ok, T.fail]) {
      await runTemplate(page(), name);
      await expectEnded(page());
    }
    await go(page(), 'Dashboard');
    await page().getByRole('group', { name: 'Range' }).getByRole('button', { name: '24h' }).click();
    await expect(page().getByTestId('chart-range')).toContainText('a bar per 1 h');
    // This hour's bars are the last ones drawn; they count every spec's jobs of the hour.
    for (const status of ['failed', 'completed'] as const) {
      const bar = page().getByTestId('chart-bar').and(page().locator(`[data-status="${status}"]`)).last();
      await expect(bar).toBeVisible();
      const count = Number(await bar.getAttribute('data-count'));
      expect(count).toBeGreaterThanOrEqual(status === 'failed' ? 1 : 2);
      await expect(bar).toHaveAccessibleName(new RegExp(`^${count} ${status}, finished .+: show them in History$`));
      if (status === 'failed') await docShot(page(), 'dashboard-chart-bars');
      // The completed bar stands behind the narrower failed one: a person clicks its own edge.
      const box = (await bar.boundingBox())!;
      await page().mouse.click(box.x + (status === 'completed' ? 2 : box.width / 2), box.y + box.height - 3);
      await expect(page().getByTestId('history-view')).toBeVisible();
      await expect(page().getByTestId('filter-status')).toHaveValue(status);
      await expect(page().getByTestId('filter-finished')).toContainText(/^Finished .+ – .+/);
      await expect(page().getByTestId('history-total')).toHaveText(`${count} jobs`);
      const row = page().getByTestId('history-row').filter({ hasText: status === 'failed' ? T.fail : T.ok }).first();
      await expect(row).toBeVisible();
      // A job of a few ms has a duration too (Docker stamps its end before its start): never "–".
      await expect(row.locator('span.mono').last()).toHaveText(/^\d+ (ms|s)$/);
      if (status === 'failed') {
        await docShot(page(), 'history-from-chart-bar');
        await expectAccessible(page(), 'History opened from a chart bar');
      }
      await page().goBack();
      await expect(page().getByTestId('dashboard-view')).toBeVisible();
      await expect(page().getByRole('button', { name: '24h' })).toHaveAttribute('aria-pressed', 'true');
    }
    // The chip clears the bucket and leaves the rest of the filter.
    await page().getByTestId('chart-bar').and(page().locator('[data-status="failed"]')).last().click();
    await page().getByRole('button', { name: 'Clear the finished-between filter' }).click();
    await expect(page().getByTestId('filter-finished')).toHaveCount(0);
    await expect(page()).not.toHaveURL(/finished_from/);
    await go(page(), 'Dashboard');
    await expectAccessible(page(), 'Dashboard with chart bars');
  });

  test('bulk retry: the failed jobs of a template, all matching, run again and fail again as attempt 2', async () => {
    await runTemplate(page(), T.fail);
    await expectEnded(page());
    await go(page(), 'History');
    await page().getByTestId('filter-template').selectOption(T.fail);
    await page().getByTestId('filter-status').selectOption('failed');
    await expect(page().getByTestId('history-total')).toHaveText('2 jobs');
    const rows = page().getByTestId('history-row');
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(0)).toContainText(/failed.*4/);
    await rows.nth(0).getByTestId('row-select').click();
    await page().getByTestId('bulk-bar').getByTestId('select-all-matching').click();
    await expect(page().getByTestId('bulk-count')).toHaveText('All 2 jobs matching');
    await page().getByTestId('bulk-bar').getByTestId('bulk-retry').click();
    await expect(page().getByTestId('bulk-result')).toHaveText('Retried 2 jobs.');
    // Retried in place: the same two rows, each with a second attempt that failed as the first did.
    await page().getByTestId('filter-status').selectOption('');
    await expect(page().getByTestId('history-total')).toHaveText('2 jobs');
    for (const i of [0, 1]) {
      await expect(rows.nth(i).locator('span.muted').nth(2)).toHaveText('2', { timeout: 60_000 });
      await expect(rows.nth(i)).toContainText('failed');
    }
    await rows.nth(0).click();
    await expect(jobDetail(page())).toContainText('Attempt 2');
    await expectAccessible(page(), 'a job retried from History');
  });

  test('the Queue: Select all takes every job it shows, and Cancel acts on them all', async () => {
    await go(page(), 'Queue');
    const toggle = page().getByTestId('pause-toggle');
    await expect(toggle).toHaveText('Pause queue');
    await toggle.click();
    await expect(toggle).toHaveText('Resume queue');
    for (let i = 0; i < 3; i++) await runTemplate(page(), T.ok);
    await go(page(), 'Queue');
    const pending = page().getByTestId('pending-row').filter({ hasText: T.ok });
    await expect(pending).toHaveCount(3);
    // Each row says why it waits, on one line: the rows keep their height as the reasons arrive.
    for (const i of [0, 1, 2]) {
      const reason = pending.nth(i).getByTestId('wait-reason');
      await expect(reason).toHaveText('queue paused');
      expect(await reason.evaluate((el) => el.getClientRects().length), 'lines the reason takes').toBe(1);
    }
    await pending.nth(1).getByTestId('queue-select').click();
    await expect(page().getByTestId('bulk-count')).toHaveText('1 job selected');
    await page().getByTestId('bulk-bar').getByTestId('select-all-matching').click();
    await expect(page().getByTestId('bulk-count')).toHaveText('3 jobs selected');
    await expect(page().getByTestId('queue-select').and(page().locator(':checked'))).toHaveCount(3);
    await docShot(page(), 'queue-select-all');
    await expectAccessible(page(), 'the Queue with all selected');
    await page().getByTestId('bulk-bar').getByTestId('bulk-cancel').click();
    await page().getByRole('dialog', { name: 'Cancel 3 jobs?' }).getByRole('button', { name: 'Cancel jobs' }).click();
    await expect(page().getByTestId('bulk-result')).toHaveText('Cancelled 3 jobs.');
    await expect(pending).toHaveCount(0);
    await toggle.click();
    await expect(toggle).toHaveText('Pause queue');
  });

  test('one engine by id: chosen in the editor, prefilled in the run dialog, overridden there; the job page says where it ran', async () => {
    const editor = await newTemplate(page());
    await field(editor, 'Name').fill(T.engine);
    await field(editor, 'Image').fill(TEST_IMAGE);
    await field(editor, 'Command').fill('echo reach on $HOSTNAME');
    await field(editor, 'Network').selectOption('none');
    const engine = field(editor, 'Engine');
    await engine.selectOption({ label: (await engine.locator('option', { hasText: /^only podman \(podman/ }).innerText()).trim() });
    await expect(engine).toHaveValue('id:podman');
    await editor.getByTestId('template-save').click();
    await expect(editor).toBeHidden();
    // The list says which engine, and Run's dialog starts from it.
    await go(page(), 'Templates');
    await expect(page().getByTestId('template-row').filter({ hasText: T.engine }).getByRole('cell', { name: 'only podman', exact: true })).toBeVisible();
    await page().getByTestId('template-row').filter({ hasText: T.engine }).getByRole('button', { name: 'Run', exact: true }).click();
    const dialog = page().getByRole('dialog', { name: /^Run / });
    const runEngine = dialog.getByRole('combobox', { name: 'Engine' });
    await expect(runEngine).toHaveValue('id:podman');
    await dialog.getByTestId('run-submit').click();
    await expectEnded(page());
    await expect(page().getByTestId('spec-engine')).toHaveText('only podman');
    await expect(jobDetail(page())).toContainText('ran on podman');
    // Again, on the Docker engine for this run only.
    await go(page(), 'Templates');
    await page().getByTestId('template-row').filter({ hasText: T.engine }).getByRole('button', { name: 'Run', exact: true }).click();
    await runEngine.selectOption('id:docker');
    await expect(runEngine.locator('option:checked')).toHaveText(/^only docker \(docker, .+\)/);
    await docShot(page(), 'run-dialog-engine-by-id');
    await expectAccessible(page(), 'the run dialog with an engine chosen by id');
    await dialog.getByTestId('run-submit').click();
    await expectEnded(page());
    await expect(page().getByTestId('spec-engine')).toHaveText('only docker');
    await expect(jobDetail(page())).toContainText('ran on docker');
    await expectAccessible(page(), 'the job page of a job run on an engine chosen by id');
  });

  test('export a file per template: one .tar.gz download holding a YAML file for each, secrets left out', async () => {
    await go(page(), 'Templates');
    await page().getByLabel('Filter templates').fill(`-${RUN}`);
    await expect(page().getByTestId('template-row')).toHaveCount(3);
    await page().getByTestId('export-all').click();
    const dialog = page().getByTestId('export-dialog');
    await expect(dialog).toContainText('Export 3 templates');
    await dialog.getByLabel('a file per template (in one .tar.gz)').check();
    await docShot(page(), 'export-file-per-template');
    await expectAccessible(page(), 'the export dialog, a file per template');
    const [download] = await Promise.all([page().waitForEvent('download'), dialog.getByTestId('export-submit').click()]);
    expect(download.suggestedFilename()).toBe('jobdeck-templates.tar.gz');
    const files = await untar((await download.path())!);
    expect([...files.keys()].sort()).toEqual([`${T.engine}.yaml`, `${T.fail}.yaml`, `${T.ok}.yaml`]);
    const doc = parse(files.get(`${T.fail}.yaml`)!) as { kind: string; name: string; command: string };
    expect(doc).toMatchObject({ kind: 'Template', name: T.fail, command: 'echo reach-fail; exit 4' });
    expect(parse(files.get(`${T.engine}.yaml`)!)).toMatchObject({ engineId: 'podman' });
    await expect(page().locator('.toast').filter({ hasText: 'Exported 3 templates to jobdeck-templates.tar.gz' })).toBeVisible();
  });
});
