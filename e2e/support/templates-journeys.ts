// Template files and steps for the templates journeys; every name starts with tpl- (one shared host).
import { expect, type Locator, type Page } from '@playwright/test';
import { clearToasts, go } from './app';
import { TEST_IMAGE } from './env';
import { templateDrop, type DropFile } from './templates';

export const yamlFile = (name: string, lines: string[]): DropFile => ({
  name,
  mimeType: 'application/yaml',
  buffer: Buffer.from(lines.join('\n')),
});

/** A Jobdeck template on Docker with no network (the test engines have no bridge). */
export const templateFile = templateDrop;

/** A batch/v1 Job whose pod mounts a host directory, as kubectl would take it. */
export function hostPathManifest(name: string, hostDir: string): DropFile {
  return yamlFile(`${name}.yaml`, [
    'apiVersion: batch/v1',
    'kind: Job',
    `metadata: { name: ${name} }`,
    'spec:',
    '  backoffLimit: 0',
    '  template:',
    '    spec:',
    '      restartPolicy: Never',
    `      volumes: [ { name: data, hostPath: { path: ${hostDir} } } ]`,
    '      containers:',
    '        - name: main',
    `          image: ${TEST_IMAGE}`,
    '          command: [sh, -c, "cat /data/hello.txt"]',
    '          volumeMounts: [ { name: data, mountPath: /data } ]',
  ]);
}

export const preview = (page: Page): Locator => page.getByTestId('import-preview');
export const templateRow = (page: Page, name: string): Locator => page.getByTestId('template-row').and(page.locator(`[data-template="${name}"]`));

/** Drop-free path for files already previewed: press the preview's save and wait for it to close. */
export async function savePreview(page: Page): Promise<void> {
  await preview(page).getByTestId('import-save').click();
  await expect(preview(page)).toBeHidden();
}

export async function openEditor(page: Page, name: string): Promise<Locator> {
  await go(page, 'Templates');
  await templateRow(page, name).getByRole('button', { name: 'Edit', exact: true }).click();
  const editor = page.getByTestId('template-editor');
  await expect(editor).toBeVisible();
  return editor;
}

export async function newTemplate(page: Page): Promise<Locator> {
  await go(page, 'Templates');
  await page.getByRole('button', { name: 'New template', exact: true }).click();
  const editor = page.getByTestId('template-editor');
  await expect(editor).toBeVisible();
  return editor;
}

/** Opens one of the editor's disclosure sections (Environment & mounts, Limits & retry…) as a person does: a click on its title. */
export async function openSection(editor: Locator, title: string): Promise<Locator> {
  const section = editor.locator('details.editor-section').filter({ has: editor.page().locator('summary', { hasText: title }) });
  if ((await section.getAttribute('open')) === null) await section.locator('summary').click();
  await expect(section).toHaveAttribute('open', '');
  return section;
}

/** A field of the editor by its visible label. */
export const field = (editor: Locator, label: string): Locator => editor.getByLabel(label, { exact: true });

/** The end state as a person would look at it: toasts read and dismissed (they close on a click), then the picture. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await clearToasts(page);
  await page.screenshot({ path: `docs/screenshots/${name}.png`, fullPage: false });
}
