// Templates as a person uses them: edit one that has run, re-import a changed file and replace it,
// read a schedule before saving it, confirm a manifest's host mount, get a dropped secret into a
// container, and see bad values refused in plain words only after typing them.
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './support/a11y';
import { dropFiles, go, jobBadge, jobDetail, logText, runTemplate } from './support/app';
import { useAppPage } from './support/appPage';
import { field, hostPathManifest, newTemplate, openEditor, openSection, preview, savePreview, screenshot, templateFile, templateRow } from './support/templates-journeys';

test.describe.configure({ mode: 'serial' });
const page = useAppPage();

const toast = (p: Page, text: string | RegExp) => p.locator('.toast').filter({ hasText: text });

test('edit a template that has run: change its command, turn its schedule off, save', async () => {
  const name = 'tpl-edit';
  await dropFiles(page(), [templateFile(name, 'echo first-version', ['schedule: { cron: "0 3 * * *", timeZone: UTC }']), templateFile('tpl-spare', 'true')]);
  await savePreview(page());
  await runTemplate(page(), name);
  await expect(jobBadge(page())).toHaveText('0');
  await go(page(), 'Templates');
  // "Last result" shows the run without a reload.
  await expect(templateRow(page(), name).getByTestId('template-last').getByTestId('exit-badge')).toHaveText('0');

  const editor = await openEditor(page(), name);
  await field(editor, 'Command').fill('echo second-version');
  await editor.getByLabel('schedule on').uncheck();
  await editor.getByTestId('template-save').click();
  await expect(editor).toBeHidden();
  await expect(toast(page(), `Saved ${name}`)).toBeVisible();
  const row = templateRow(page(), name);
  await expect(row).toContainText('0 3 * * * (off)');
  await expect(row.getByTestId('template-last').getByTestId('exit-badge')).toHaveText('0');

  // The count says what the filter shows.
  await page().getByLabel('Filter templates').fill('tpl-spare');
  await expect(page().getByTestId('template-row')).toHaveCount(1);
  await expect(page().getByTestId('template-count')).toHaveText(/^1 of \d+$/);
  await page().getByLabel('Filter templates').fill(name);
  const reopened = await openEditor(page(), name);
  await expect(field(reopened, 'Command')).toHaveValue('echo second-version');
  await expect(reopened.getByLabel('schedule on')).not.toBeChecked();
  await expect(reopened.getByTestId('schedule-preview')).toContainText('Off: no runs until it is turned on');
  await expectAccessible(page(), 'template editor of a template that has run');
  await reopened.getByRole('button', { name: 'Cancel' }).click();
  await expect(row).toContainText('0 3 * * * (off)');
  await screenshot(page(), 'templates-edit-after-run');
  await expectAccessible(page(), 'templates list, filtered');
  await page().getByLabel('Filter templates').fill('');
});

test('re-import a changed file and replace the template: its earlier run stays its own', async () => {
  const name = 'tpl-replace';
  await dropFiles(page(), [templateFile(name, 'echo replace-v1')]);
  await savePreview(page());
  await runTemplate(page(), name);
  await expect(jobBadge(page())).toHaveText('0');
  const firstJob = page().url();

  await dropFiles(page(), [templateFile(name, 'echo replace-v2', ['priority: 2'])]);
  const p = preview(page());
  await expect(p.getByTestId('import-existing')).toContainText(`Replaces the existing template ${name}: 2 changes`);
  const command = p.getByTestId('import-change').filter({ hasText: 'command' });
  await expect(command).toContainText('echo replace-v1');
  await expect(command).toContainText('echo replace-v2');
  await expect(p.getByTestId('import-change').filter({ hasText: 'priority' })).toContainText(/3\s*2/);
  // Nothing is saved before the user chooses.
  await expect(p.getByTestId('import-save')).toBeDisabled();
  await expect(p.getByTestId('import-save')).toHaveText('Choose for 1 template');
  await p.getByRole('radio', { name: 'Replace' }).check();
  await expect(p.getByTestId('import-save')).toHaveText('Save 1 template');
  await screenshot(page(), 'templates-reimport-replace');
  await expectAccessible(page(), 'import preview replacing a template');
  await savePreview(page());
  await expect(toast(page(), `Replaced ${name}`)).toBeVisible();
  await expect(page().locator('.toast-error')).toHaveCount(0);

  await expect(templateRow(page(), name)).toHaveCount(1);
  // Same template, so its last result is still the run made before the replace.
  await templateRow(page(), name).getByTestId('template-last').click();
  await expect(jobDetail(page())).toContainText(name);
  expect(page().url()).toBe(firstJob);
  const editor = await openEditor(page(), name);
  await expect(field(editor, 'Command')).toHaveValue('echo replace-v2');
  await editor.getByRole('button', { name: 'Cancel' }).click();
});

test('schedule a cron and read its words and next five runs in a chosen zone; seven fields are refused', async () => {
  const editor = await newTemplate(page());
  await field(editor, 'Name').fill('tpl-cron');
  await field(editor, 'Image').fill('jobdeck-test:latest');
  await openSection(editor, 'Schedule');
  const schedule = editor.getByTestId('schedule-field');
  await schedule.getByLabel(/^Cron/).fill('30 3 * * 1-5');
  await schedule.getByTestId('schedule-zone').selectOption('Asia/Tokyo');
  await expect(schedule.getByTestId('schedule-words')).toHaveText('At 03:30, Monday through Friday');
  await expect(schedule.getByTestId('schedule-preview')).toContainText('Next 5 runs (Asia/Tokyo)');
  const runs = schedule.getByTestId('schedule-next').locator('li');
  await expect(runs).toHaveCount(5);
  for (const text of await runs.allTextContents()) expect(text).toMatch(/^(Mon|Tue|Wed|Thu|Fri) \d{4}-\d{2}-\d{2} 03:30:00$/);
  // The schedule section sits below the basics: scrolled to, as a person would, for the picture.
  await schedule.getByTestId('schedule-preview').scrollIntoViewIfNeeded();
  await screenshot(page(), 'templates-schedule');

  await schedule.getByLabel(/^Cron/).fill('* * * * * * *');
  await expect(editor.getByTestId('error-schedule.cron')).toHaveText('Schedule: expected 5 fields (minute hour day-of-month month day-of-week), got 7');
  await expect(schedule.getByTestId('schedule-preview')).toHaveCount(0);
  await editor.getByTestId('template-save').click();
  await expect(editor).toBeVisible();

  // Seconds, chosen: every 20 s needs the confirmation.
  await schedule.getByLabel(/^Cron/).fill('*/20 * * * * *');
  await schedule.getByLabel('with seconds (six fields)').check();
  await expect(editor.getByTestId('error-schedule.cron')).toContainText('fires every 20 s, more often than once a minute; confirm it to save');
  await screenshot(page(), 'templates-schedule-frequent');
  await schedule.getByLabel('Yes, start a job more often than once a minute').check();
  await expect(editor.getByTestId('error-schedule.cron')).toHaveCount(0);
  await expectAccessible(page(), 'template editor with a schedule');
  // Cancel with unsaved changes asks first; Discard drops them and nothing is saved.
  await editor.getByRole('button', { name: 'Cancel' }).click();
  const leave = page().getByRole('dialog', { name: 'Unsaved changes' });
  await expect(leave).toContainText('Your changes to the new template are not saved yet.');
  await leave.getByRole('button', { name: 'Discard' }).click();
  await expect(editor).toBeHidden();
  await expect(templateRow(page(), 'tpl-cron')).toHaveCount(0);
});

test('import a manifest with a hostPath volume: the mount is listed read-write and waits for confirmation', async () => {
  const name = 'tpl-hostpath';
  const dir = mkdtempSync(join(tmpdir(), 'tpl-hostpath-'));
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'hello.txt'), 'hello-from-the-host\n');
  try {
    await dropFiles(page(), [hostPathManifest(name, dir)]);
    const p = preview(page());
    await expect(p.getByTestId('import-mount')).toHaveText(`${name}: ${dir} → /data (read-write)`);
    await expect(p.getByTestId('import-save')).toBeDisabled();
    await p.getByTestId('import-mounts-confirm').check();
    await expect(p.getByTestId('import-save')).toBeEnabled();
    await expectAccessible(page(), 'import preview with a host mount');
    await savePreview(page());
    await expect(toast(page(), 'Saved 1 new template')).toBeVisible();

    const editor = await openEditor(page(), name);
    const mount = editor.getByTestId('mount-row');
    await expect(mount).toHaveCount(1);
    await expect(mount.getByLabel('Mount 1 host path')).toHaveValue(dir);
    await expect(mount.getByLabel('Mount 1 container path')).toHaveValue('/data');
    await expect(mount.getByLabel('read-only')).not.toBeChecked();
    await editor.getByRole('button', { name: 'Cancel' }).click();

    await runTemplate(page(), name);
    await expect(logText(page())).toContainText('hello-from-the-host');
    await expect(jobDetail(page()).getByTestId('mount')).toHaveText(`${dir}→/data(read-write)`);
    await screenshot(page(), 'templates-hostpath-job');
    await expectAccessible(page(), 'job page with a host mount');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a secret in a dropped file reaches the container', async () => {
  const name = 'tpl-secret';
  const token = 'tok-1234567890abcdef'; // 20 characters
  await dropFiles(page(), [templateFile(name, 'echo token-length=${#API_TOKEN}', ['env:', `  API_TOKEN: { value: ${token}, secret: true }`])]);
  await expect(preview(page())).not.toContainText(token);
  await savePreview(page());
  await runTemplate(page(), name);
  await expect(logText(page())).toContainText(`token-length=${token.length}`);
  await expect(jobBadge(page())).toHaveText('0');
  await expect(page().locator('body')).not.toContainText(token);
  await screenshot(page(), 'templates-secret-run');
  await expectAccessible(page(), 'job page of a template with a secret');
});

test('bad image, memory and artifacts dir: plain words, and only after typing', async () => {
  const editor = await newTemplate(page());
  await expect(editor.locator('.field-error')).toHaveCount(0);
  await field(editor, 'Image').fill('BusyBox:');
  await expect(editor.getByTestId('error-image')).toHaveText('Image has a ":" with no tag after it: write a tag (busybox:1.36) or leave the colon out');
  await field(editor, 'Image').fill('BusyBox');
  await expect(editor.getByTestId('error-image')).toHaveText('Image repository names must be lowercase: busybox, not BusyBox');
  // Name was not typed in: no error for it yet.
  await expect(editor.getByTestId('error-name')).toHaveCount(0);
  await openSection(editor, 'Limits & retry');
  await openSection(editor, 'Environment & mounts');
  await field(editor, 'Memory limit').fill('4Mi');
  await expect(editor.getByTestId('error-limits.memory')).toHaveText("Memory limit 4Mi is below the engines' minimum of 6Mi");
  await field(editor, 'Artifacts dir').fill('/proc');
  await expect(editor.getByTestId('error-outputDir')).toHaveText("Artifacts dir cannot be in /proc (the kernel's process files): use a directory such as /out");
  await expect(editor.locator('.field-error')).toHaveCount(3);
  await screenshot(page(), 'templates-validation');
  await field(editor, 'CPUs').fill('4096');
  await field(editor, 'Name').fill('tpl-bad');
  await field(editor, 'Image').fill('jobdeck-test:latest');
  await field(editor, 'Memory limit').fill('64Mi');
  await field(editor, 'Artifacts dir').fill('/out');
  // Only the core knows this machine's CPUs: its answer lands under the field.
  await editor.getByTestId('template-save').click();
  await expect(editor.getByTestId('error-limits.cpus')).toHaveText(/^CPUs 4096 is more than this machine has \(\d+ CPUs?\)$/);
  await expect(editor.locator('.field-error')).toHaveCount(1);
  await expect(editor).not.toContainText(/Too small|expected string|Invalid input/);
  await screenshot(page(), 'templates-validation-cpus');
  await expectAccessible(page(), 'template editor with errors');
  await field(editor, 'CPUs').fill('1');
  await editor.getByTestId('template-save').click();
  await expect(editor).toBeHidden();
  const row = templateRow(page(), 'tpl-bad');
  await expect(row).toHaveCount(1);
  const again = await openEditor(page(), 'tpl-bad');
  await expect(field(again, 'Memory limit')).toHaveValue('64Mi');
  await again.getByRole('button', { name: 'Cancel' }).click();

  // The run dialog's timeout follows the template's rule.
  await row.getByRole('button', { name: 'Run', exact: true }).click();
  const dialog = page().getByRole('dialog');
  await expect(dialog.getByTestId('error-run-timeout')).toHaveCount(0);
  await dialog.getByLabel('Timeout (s)', { exact: true }).fill('9999999');
  await expect(dialog.getByTestId('error-run-timeout')).toHaveText('Timeout must be a whole number of seconds from 1 to 2592000 (30 days)');
  await expect(dialog.getByTestId('run-submit')).toBeDisabled();
  await screenshot(page(), 'templates-run-timeout');
  await expectAccessible(page(), 'run dialog with a bad timeout');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
});
