// The template editor as a person uses it: every section filled and read back after reopening,
// the YAML tab (an error at its line, fixed, seen in the form), duplicate, export all as one file,
// and the list sorted and filtered. Every template here is named ted-… (one shared host).
import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { parseAllDocuments } from 'yaml';
import { expectAccessible } from './support/a11y';
import { dropFiles, go } from './support/app';
import { useAppPage } from './support/appPage';
import { templateDrop } from './support/templates';
import { TEST_IMAGE } from './support/env';
import { field, newTemplate, openEditor, openSection, screenshot, templateRow } from './support/templates-journeys';

test.describe.configure({ mode: 'serial' });
const page = useAppPage({ acceptDownloads: true });

const FULL = 'ted-full';
const toast = (p: Page, text: string | RegExp) => p.locator('.toast').filter({ hasText: text });

async function save(editor: Locator): Promise<void> {
  await editor.getByTestId('template-save').click();
  await expect(editor).toBeHidden();
}

/** The YAML editor's text, as a person reads it on screen. */
const yamlEditor = (editor: Locator) => editor.getByTestId('template-yaml').locator('.cm-content');

test('create a template with fields from every section, reopen it and see every value', async () => {
  const editor = await newTemplate(page());
  // Basics
  await field(editor, 'Name').fill(FULL);
  await field(editor, 'Image').fill(TEST_IMAGE);
  await field(editor, 'Description').fill('every section');
  await editor.getByLabel('arguments, one per line').check();
  await field(editor, 'Command arguments').fill('sh\n-c\necho "$GREETING from $HOSTNAME"');
  await field(editor, 'Engine').selectOption('docker');
  await field(editor, 'Priority').selectOption('2');
  await field(editor, 'Network').selectOption('none');
  await screenshot(page(), 'template-editor-basics');
  // Environment & mounts
  await openSection(editor, 'Environment & mounts');
  await editor.getByRole('button', { name: '+ Variable' }).click();
  await editor.getByLabel('Variable 1 name').fill('GREETING');
  await editor.getByLabel('Variable 1 value').fill('hello');
  await editor.getByRole('button', { name: '+ Variable' }).click();
  await editor.getByLabel('Variable 2 name').fill('TOKEN');
  await editor.getByLabel('Variable 2 value').fill('t0ps3cret');
  await editor.getByTestId('env-editor').getByLabel('secret').nth(1).check();
  await editor.getByRole('button', { name: '+ Mount' }).click();
  await editor.getByLabel('Mount 1 host path').fill('/tmp');
  await editor.getByLabel('Mount 1 container path').fill('/data');
  await field(editor, 'Artifacts dir').fill('/out');
  // Limits & retry
  await openSection(editor, 'Limits & retry');
  await field(editor, 'Memory limit').fill('128Mi');
  await field(editor, 'CPUs').fill('0.5');
  await field(editor, 'Timeout (s)').fill('600');
  await field(editor, 'Retries').fill('2');
  await field(editor, 'First retry delay (s)').fill('5');
  await field(editor, 'Backoff factor').fill('3');
  await field(editor, 'Longest retry delay (s)').fill('90');
  await field(editor, 'Exit codes that never retry').fill('2, 125');
  // Parallel
  await openSection(editor, 'Parallel');
  await field(editor, 'Parallelism').fill('2');
  await field(editor, 'Completions').fill('4');
  await field(editor, 'Completion mode').selectOption('Indexed');
  // Schedule
  await openSection(editor, 'Schedule');
  const schedule = editor.getByTestId('schedule-field');
  await schedule.getByLabel(/^Cron/).fill('15 2 * * *');
  await schedule.getByTestId('schedule-zone').selectOption('Europe/Paris');
  await schedule.getByLabel('If still running').selectOption('Forbid');
  await schedule.getByLabel('Missed runs').selectOption('CatchUpOnce');
  await schedule.getByLabel('schedule on').uncheck();
  await expect(schedule.getByTestId('schedule-words')).toHaveText('At 02:15');
  // Advanced
  await openSection(editor, 'Advanced');
  await field(editor, 'Entrypoint').fill('/bin/sh\n-e');
  await field(editor, 'Working directory').fill('/work');
  await field(editor, 'User').fill('1000:1000');
  await field(editor, 'Pull policy').selectOption('Never');
  await field(editor, 'Labels').fill('team=data\ntier=batch');
  await editor.getByLabel('tty (a terminal: one raw stream, colours)').check();
  await editor.getByLabel('keep the container after it ends').check();
  await expect(editor.locator('.field-error')).toHaveCount(0);
  await screenshot(page(), 'template-editor-form');
  await save(editor);
  await expect(toast(page(), `Saved ${FULL}`)).toBeVisible();

  // Reopened: every section that holds values opens by itself, each value as typed.
  const again = await openEditor(page(), FULL);
  await expect(field(again, 'Name')).toHaveValue(FULL);
  await expect(field(again, 'Image')).toHaveValue(TEST_IMAGE);
  await expect(field(again, 'Description')).toHaveValue('every section');
  await expect(again.getByLabel('arguments, one per line')).toBeChecked();
  await expect(field(again, 'Command arguments')).toHaveValue('sh\n-c\necho "$GREETING from $HOSTNAME"');
  await expect(field(again, 'Engine')).toHaveValue('docker');
  await expect(field(again, 'Priority')).toHaveValue('2');
  await expect(field(again, 'Network')).toHaveValue('none');
  await expect(again.getByLabel('Variable 1 name')).toHaveValue('GREETING');
  await expect(again.getByLabel('Variable 1 value')).toHaveValue('hello');
  await expect(again.getByLabel('Variable 2 name')).toHaveValue('TOKEN');
  // The secret is masked, never sent back to the window; the box says it is secret.
  await expect(again.getByLabel('Variable 2 value')).toHaveAttribute('type', 'password');
  await expect(again.getByLabel('Variable 2 value')).not.toHaveValue('t0ps3cret');
  await expect(again.getByTestId('env-editor').getByLabel('secret').nth(1)).toBeChecked();
  await expect(again.getByLabel('Mount 1 host path')).toHaveValue('/tmp');
  await expect(again.getByLabel('Mount 1 container path')).toHaveValue('/data');
  await expect(again.getByTestId('mount-row').getByLabel('read-only')).toBeChecked();
  await expect(field(again, 'Artifacts dir')).toHaveValue('/out');
  for (const [label, value] of [
    ['Memory limit', '128Mi'],
    ['CPUs', '0.5'],
    ['Timeout (s)', '600'],
    ['Retries', '2'],
    ['First retry delay (s)', '5'],
    ['Backoff factor', '3'],
    ['Longest retry delay (s)', '90'],
    ['Exit codes that never retry', '2, 125'],
    ['Parallelism', '2'],
    ['Completions', '4'],
    ['Completion mode', 'Indexed'],
    ['Entrypoint', '/bin/sh\n-e'],
    ['Working directory', '/work'],
    ['User', '1000:1000'],
    ['Pull policy', 'Never'],
    ['Labels', 'team=data\ntier=batch'],
  ] as const) {
    await expect(field(again, label), label).toHaveValue(value);
  }
  const s2 = again.getByTestId('schedule-field');
  await expect(s2.getByLabel(/^Cron/)).toHaveValue('15 2 * * *');
  await expect(s2.getByTestId('schedule-zone')).toHaveValue('Europe/Paris');
  await expect(s2.getByLabel('If still running')).toHaveValue('Forbid');
  await expect(s2.getByLabel('Missed runs')).toHaveValue('CatchUpOnce');
  await expect(s2.getByLabel('schedule on')).not.toBeChecked();
  await expect(again.getByLabel('tty (a terminal: one raw stream, colours)')).toBeChecked();
  await expect(again.getByLabel('keep the container after it ends')).toBeChecked();
  await expect(again.getByTestId('editor-unsaved')).toHaveCount(0);
  await expectAccessible(page(), 'the template editor with every section open');
  await again.getByRole('button', { name: 'Cancel' }).click();
  await expect(again).toBeHidden();
});

test('edit as YAML: an error at its line, fixed, then seen in the form; broken YAML keeps the text and the tab', async () => {
  const name = 'ted-yaml';
  const editor = await newTemplate(page());
  await field(editor, 'Name').fill(name);
  await editor.getByRole('tab', { name: 'Edit as YAML' }).click();
  await expect(editor.getByRole('tab', { name: 'Edit as YAML' })).toHaveAttribute('aria-selected', 'true');
  const text = yamlEditor(editor);
  // The form's document, as YAML: what was typed is there.
  await expect(text).toContainText(`name: ${name}`);
  await text.click();
  await page().keyboard.press('ControlOrMeta+a');
  await page().keyboard.insertText([`name: ${name}`, `image: ${TEST_IMAGE}`, 'priority: 9', 'command: echo from-yaml', 'retry:', '  limit: 2', ''].join('\n'));
  const problems = editor.getByTestId('yaml-problem');
  await expect(problems).toHaveCount(1);
  await expect(problems.first()).toHaveText('line 3, column 11 (priority): Priority must be 1 (highest) to 5 (lowest)');
  // Underlined where it is: the 9 on line 3.
  await expect(editor.locator('.cm-lintRange-error')).toHaveText('9');
  await screenshot(page(), 'template-editor-yaml-error');
  await expectAccessible(page(), 'the template editor YAML tab with an error');

  // Fixed where it is: the end of line 3, one character back, the right value.
  await editor.locator('.cm-line').nth(2).click();
  await page().keyboard.press('End');
  await page().keyboard.press('Backspace');
  await page().keyboard.type('1');
  await expect(problems).toHaveCount(0);

  // Broken YAML: the form tab says why it stays closed, and the text is all still there.
  await page().keyboard.press('ControlOrMeta+End');
  await page().keyboard.insertText('labels: [unclosed\n');
  // The parser finds the missing ] where the text ends.
  await expect(problems.first()).toHaveText('line 8, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]');
  await editor.getByRole('tab', { name: 'Form' }).click();
  await expect(editor.getByTestId('yaml-blocked')).toContainText('Fix the YAML first (line 8, column 1: Flow sequence');
  await expect(editor.getByTestId('yaml-blocked')).toContainText('Your text is kept.');
  await expect(editor.getByRole('tab', { name: 'Edit as YAML' })).toHaveAttribute('aria-selected', 'true');
  await expect(text).toContainText('command: echo from-yaml');
  // Back in the text: the broken line goes, the line break before it too.
  await editor.locator('.cm-line').filter({ hasText: 'labels: [unclosed' }).click();
  await page().keyboard.press('End');
  await page().keyboard.press('Shift+Home');
  await page().keyboard.press('Backspace');
  await page().keyboard.press('Backspace');
  await expect(problems).toHaveCount(0);

  // The form shows what the YAML says.
  await editor.getByRole('tab', { name: 'Form' }).click();
  await expect(field(editor, 'Priority')).toHaveValue('1');
  await expect(field(editor, 'Command')).toHaveValue('echo from-yaml');
  await expect(field(editor, 'Image')).toHaveValue(TEST_IMAGE);
  await expect(editor.getByTestId('section-limits')).toHaveAttribute('open', '');
  await expect(field(editor, 'Retries')).toHaveValue('2');
  await save(editor);
  const again = await openEditor(page(), name);
  await expect(field(again, 'Priority')).toHaveValue('1');
  await expect(field(again, 'Retries')).toHaveValue('2');
  await again.getByRole('button', { name: 'Cancel' }).click();
});

test('duplicate a template: the copy opens as "name (copy)" with every value, its schedule off', async () => {
  await go(page(), 'Templates');
  await page().getByLabel('Filter templates').fill('ted-');
  await templateRow(page(), FULL).getByRole('button', { name: 'Duplicate', exact: true }).click();
  const editor = page().getByRole('dialog', { name: `Edit ${FULL} (copy)` });
  await expect(editor).toBeVisible();
  await expect(toast(page(), `Saved a copy: ${FULL} (copy) (its schedule is off until you turn it on)`)).toBeVisible();
  await expect(field(editor, 'Name')).toHaveValue(`${FULL} (copy)`);
  await expect(field(editor, 'Command arguments')).toHaveValue('sh\n-c\necho "$GREETING from $HOSTNAME"');
  await expect(field(editor, 'Labels')).toHaveValue('team=data\ntier=batch');
  await expect(editor.getByLabel('Variable 2 value')).toHaveAttribute('type', 'password');
  await expect(editor.getByTestId('schedule-field').getByLabel('schedule on')).not.toBeChecked();
  // Save as: a name of its own.
  await field(editor, 'Name').fill('ted-copied');
  await save(editor);
  await expect(templateRow(page(), 'ted-copied')).toHaveCount(1);
  await expect(templateRow(page(), FULL)).toHaveCount(1);
  await expect(templateRow(page(), `${FULL} (copy)`)).toHaveCount(0);
  await expectAccessible(page(), 'Templates after a duplicate');
});

test('export all shown as one file: the downloaded file holds every template, secrets left out', async () => {
  await go(page(), 'Templates');
  await page().getByLabel('Filter templates').fill('ted-');
  await expect(page().getByTestId('template-row')).toHaveCount(3);
  await page().getByTestId('export-all').click();
  const dialog = page().getByTestId('export-dialog');
  await expect(dialog).toContainText('Export 3 templates');
  await expect(dialog.getByLabel('one file (YAML documents separated by ---)')).toBeChecked();
  await screenshot(page(), 'template-editor-export');
  await expectAccessible(page(), 'the export dialog');
  const [download] = await Promise.all([page().waitForEvent('download'), dialog.getByTestId('export-submit').click()]);
  expect(download.suggestedFilename()).toBe('jobdeck-templates.yaml');
  const content = readFileSync((await download.path())!, 'utf8');
  const docs = parseAllDocuments(content).map((d) => d.toJS() as { apiVersion: string; kind: string; name: string; env?: { name: string; value: string }[]; priority?: number });
  expect(docs.map((d) => d.name)).toEqual(['ted-copied', FULL, 'ted-yaml']);
  expect(docs.every((d) => d.apiVersion === 'jobdeck/v1' && d.kind === 'Template')).toBe(true);
  expect(docs.find((d) => d.name === FULL)!.env).toEqual([
    { name: 'GREETING', value: 'hello', secret: false },
    { name: 'TOKEN', value: '', secret: true },
  ]);
  expect(content).not.toContain('t0ps3cret');
  expect(docs.find((d) => d.name === 'ted-yaml')!.priority).toBe(1);
  await expect(toast(page(), 'Exported 3 templates to jobdeck-templates.yaml')).toBeVisible();
});

test('sort by name, last run and next run; filter by text and scheduled only; each scheduled one shows its next run', async () => {
  await go(page(), 'Templates');
  const names = () => page().getByTestId('template-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-template')));
  // Two schedules on, the hours after this one (UTC): 'ted-copied' runs next, whatever the time
  // of day (fixed hours swapped their order for the hour between them).
  const soonHour = (new Date().getUTCHours() + 1) % 24;
  const laterHour = (soonHour + 1) % 24;
  const editor = await openEditor(page(), 'ted-yaml');
  await openSection(editor, 'Schedule');
  await editor.getByTestId('schedule-field').getByLabel(/^Cron/).fill(`0 ${laterHour} * * *`);
  await editor.getByTestId('schedule-zone').selectOption('UTC');
  await save(editor);
  const soon = await openEditor(page(), 'ted-copied');
  await soon.getByTestId('schedule-field').getByLabel('schedule on').check();
  await soon.getByTestId('schedule-field').getByLabel(/^Cron/).fill(`0 ${soonHour} * * *`);
  await soon.getByTestId('schedule-zone').selectOption('UTC');
  await save(soon);

  await page().getByLabel('Filter templates').fill('ted-');
  await page().getByLabel('Sort templates by').selectOption('name');
  await expect.poll(names).toEqual(['ted-copied', FULL, 'ted-yaml']);
  await page().getByLabel('Sort templates by').selectOption('nextRun');
  // The sooner hour first; the one whose schedule is off comes last.
  await expect.poll(names).toEqual(['ted-copied', 'ted-yaml', FULL]);
  await expect(templateRow(page(), 'ted-yaml').getByTestId('template-next')).toHaveText(new RegExp(`^\\w{3} \\d{4}-\\d{2}-\\d{2} ${String(laterHour).padStart(2, '0')}:00:00 UTC$`));
  await expect(templateRow(page(), FULL).getByTestId('template-next')).toHaveText('–');
  await page().getByLabel('scheduled only').check();
  await expect.poll(names).toEqual(['ted-copied', 'ted-yaml']);
  await expect(page().getByTestId('template-count')).toHaveText(/^2 of \d+$/);
  await page().getByLabel('Filter templates').fill('ted-y');
  await expect.poll(names).toEqual(['ted-yaml']);
  await page().getByLabel('Filter templates').fill('ted-');
  await screenshot(page(), 'template-editor-list');
  await expectAccessible(page(), 'Templates sorted by next run, scheduled only');
  // Leave the list as found, and no schedule of ours firing behind the other specs.
  await page().getByLabel('scheduled only').uncheck();
  await page().getByLabel('Sort templates by').selectOption('name');
  const off = await openEditor(page(), 'ted-copied');
  await off.getByTestId('schedule-field').getByLabel('schedule on').uncheck();
  await save(off);
  await page().getByLabel('Filter templates').fill('');
});

test('the import preview shows a dropped file\'s content in the same editor, read-only', async () => {
  await go(page(), 'Templates');
  await dropFiles(page(), [templateDrop('ted-dropped', 'echo dropped', ['labels: { origin: drop }'])]);
  const preview = page().getByTestId('import-preview');
  await expect(preview).toContainText('ted-dropped');
  await preview.getByRole('button', { name: 'Show file' }).click();
  const content = preview.getByTestId('import-file-content').locator('.cm-content');
  await expect(content).toContainText('kind: Template');
  await expect(content).toContainText('labels: { origin: drop }');
  await expect(content).toHaveAttribute('contenteditable', 'false');
  await screenshot(page(), 'template-editor-import-file');
  await expectAccessible(page(), 'the import preview showing the file');
  await preview.getByRole('button', { name: 'Hide file' }).click();
  await expect(preview.getByTestId('import-file-content')).toHaveCount(0);
  await preview.getByRole('button', { name: 'Discard' }).click();
  await expect(preview).toBeHidden();
});
