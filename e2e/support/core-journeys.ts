// Helpers of the core journeys (e2e/core-journeys.spec.ts): templates made as a user makes them
// (a dropped file, or the editor), and screenshots into docs/screenshots/.
import { expect, type Page } from '@playwright/test';
import { clearToasts, dropFiles, go, jobBadge, runTemplate } from './app';
import { templateYaml } from './templates';
export { templateYaml } from './templates';

/** Drop one file on the window and save it from the preview. */
export async function importTemplate(page: Page, name: string, yaml: string): Promise<void> {
  await dropFiles(page, [{ name: `${name}.yaml`, mimeType: 'application/yaml', buffer: Buffer.from(yaml) }]);
  const preview = page.getByTestId('import-preview');
  await expect(preview).toBeVisible();
  await preview.getByTestId('import-save').click();
  await expect(preview).toBeHidden();
  await expect(templateRow(page, name)).toHaveCount(1);
}

export function templateRow(page: Page, name: string) {
  return page.getByTestId('template-row').filter({ has: page.getByText(name, { exact: true }) });
}

/** Templates → Delete, confirmed in the app's dialog, which says the past jobs stay in History. */
export async function deleteTemplate(page: Page, name: string): Promise<void> {
  await go(page, 'Templates');
  await templateRow(page, name).getByRole('button', { name: 'Delete', exact: true }).click();
  const confirm = page.getByRole('dialog', { name: `Delete template ${name}?` });
  await expect(confirm).toContainText(`Its past jobs stay in History under the name ${name}`);
  await confirm.getByRole('button', { name: 'Delete template' }).click();
  await expect(confirm).toBeHidden();
  await expect(templateRow(page, name)).toHaveCount(0);
}

/** A template made from a command, imported in Templates and run; its job page shown once it exited 0. */
export async function runToSuccess(page: Page, name: string, command: string): Promise<void> {
  await go(page, 'Templates');
  await importTemplate(page, name, templateYaml(name, command));
  await runTemplate(page, name);
  await expectEnded(page);
  await expect(jobBadge(page)).toHaveText('0');
}

/** The job on screen has ended (its badge left the running tone). */
export async function expectEnded(page: Page): Promise<void> {
  await expect(jobBadge(page)).not.toHaveAttribute('data-tone', 'info', { timeout: 60_000 });
}

/** Click the toasts away (as a person clears them off what they want to read), then the picture. */
export async function docShot(page: Page, name: string): Promise<void> {
  await clearToasts(page);
  await page.screenshot({ path: `docs/screenshots/${name}.png` });
}
