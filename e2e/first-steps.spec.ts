// Issue 15: from an empty data dir to a finished first job by each path a new user has (run an
// image, paste a docker run line, an example, a new template), with no file written, on Docker and
// then each path again on Podman (the engine chosen in the path's own dialog). A host of its own on
// a fresh data dir: the shared one is never empty.
import { expect, test } from '@playwright/test';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHost, stopHost, type RunningHost } from '../test/support/headlessHost';
import { expectAccessible } from './support/a11y';
import { go, jobBadge, jobDetail, logText } from './support/app';
import { useAppPage } from './support/appPage';
import { docShot, expectEnded } from './support/core-journeys';
import { TEST_IMAGE } from './support/env';
import { hostClient, type HostClient } from './support/shell';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

test.describe('first steps', () => {
  test.describe.configure({ mode: 'serial' });
  let host: RunningHost;
  let api: HostClient;
  // Opened on its own host below, not the run's: as browser.newContext() makes it, 1280×720.
  const page = useAppPage({ open: false, viewport: { width: 1280, height: 720 } });

  test.beforeAll(async () => {
    // A second host on a machine the other specs load too: it may take a while to come up.
    test.setTimeout(240_000);
    host = await startHost(root, { timeoutMs: 180_000 });
    api = await hostClient(host.url);
    await page().goto(host.url);
    await expect(page().locator('nav')).toBeVisible();
  });
  test.afterAll(async () => {
    api?.close();
    if (host) await stopHost(host.child);
  });
  // Each journey starts where a new user does: no templates (set up outside the page).
  test.beforeEach(async () => {
    for (const t of await api.call('templates.list', {})) await api.call('templates.delete', { id: t.template.id });
    await go(page(), 'Queue');
    await expect(page().getByTestId('first-steps')).toBeVisible();
  });

  async function finished(text: string): Promise<void> {
    await expect(jobDetail(page())).toBeVisible();
    await expectEnded(page());
    await expect(jobBadge(page())).toHaveAttribute('data-tone', 'success');
    await expect(logText(page())).toContainText(text);
  }

  test('an empty Jobdeck says what to do first, and New run offers the same', async () => {
    const steps = page().getByTestId('first-steps');
    for (const title of ['Run an image now', 'Start from an example', 'Paste a docker run line', 'Create a template']) {
      await expect(steps.getByRole('button', { name: new RegExp(`^${title}`) })).toBeVisible();
    }
    await expect(steps).toContainText('drop a template file');
    await docShot(page(), 'first-steps');
    await expectAccessible(page(), 'the empty Queue');
    await page().locator('nav').getByRole('button', { name: 'New run' }).click();
    const dialog = page().getByRole('dialog', { name: 'New run' });
    await expect(dialog.getByTestId('first-steps')).toBeVisible();
    await expect(dialog.getByRole('combobox')).toHaveCount(0);
    await expectAccessible(page(), 'New run with no templates');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
  });

  test('run an image now: a local image, a command, Run; then save it as a template with every value', async () => {
    await page().getByTestId('first-steps').getByRole('button', { name: /^Run an image now/ }).click();
    const dialog = page().getByTestId('run-image-dialog');
    // The local images, with their sizes and the engines that hold them.
    const local = dialog.getByRole('radio', { name: new RegExp(TEST_IMAGE.replace(/[.:]/g, '\\$&')) });
    await expect(local).toBeVisible();
    await expect(dialog.getByText(/MiB · (docker, podman|podman, docker)/).first()).toBeVisible();
    await local.check();
    await expect(dialog.getByTestId('run-image-image')).toHaveValue(TEST_IMAGE);
    await dialog.getByTestId('run-image-command').fill('echo "first job from an image"');
    await dialog.getByRole('combobox', { name: 'Network' }).selectOption('none');
    await dialog.getByRole('combobox', { name: 'Engine' }).selectOption('docker');
    await docShot(page(), 'first-steps-run-image');
    await expectAccessible(page(), 'the Run an image dialog');
    await dialog.getByTestId('run-image-submit').click();
    await expect(dialog.getByTestId('run-image-queued')).toContainText('Queued jobdeck-test');
    await dialog.getByRole('textbox', { name: /^Template name/ }).fill('fs-from-image');
    await dialog.getByTestId('run-image-save').click();
    await expect(dialog.getByTestId('run-image-save')).toHaveText('Saved');
    await dialog.getByTestId('run-image-open').click();
    await finished('first job from an image');
    await expectAccessible(page(), 'the first job run from an image');
    // The template keeps every value the run had.
    await go(page(), 'Templates');
    const row = page().getByTestId('template-row').filter({ hasText: 'fs-from-image' });
    await row.getByRole('button', { name: 'Edit' }).click();
    const editor = page().getByTestId('template-editor');
    await expect(editor.getByRole('textbox', { name: /^Image/ })).toHaveValue(TEST_IMAGE);
    await expect(editor.getByRole('textbox', { name: /^Command/ })).toHaveValue(/first job from an image/);
    await expect(editor.getByRole('combobox', { name: /^Engine/ })).toHaveValue('docker');
    await expect(editor.getByRole('combobox', { name: /^Network/ })).toHaveValue('none');
    await editor.getByRole('button', { name: 'Cancel' }).click();
  });

  test('an image that cannot be pulled: the job page says what the registry said and what to try', async () => {
    await page().getByTestId('first-steps').getByRole('button', { name: /^Run an image now/ }).click();
    const dialog = page().getByTestId('run-image-dialog');
    await dialog.getByTestId('run-image-image').fill('jobdeck-fs-no-such-image:1');
    await dialog.getByRole('combobox', { name: 'Network' }).selectOption('none');
    await dialog.getByRole('combobox', { name: 'Engine' }).selectOption('docker');
    await dialog.getByTestId('run-image-submit').click();
    await dialog.getByTestId('run-image-open').click();
    await expect(jobDetail(page())).toBeVisible();
    await expectEnded(page());
    await expect(jobBadge(page())).toHaveAttribute('data-tone', 'error');
    await expect(jobDetail(page())).toContainText(/could not pull jobdeck-fs-no-such-image:1: .+/);
    await expect(jobDetail(page())).toContainText('use a tag this engine has (see Run an image)');
    await expect(jobDetail(page())).toContainText('set the pull policy to Never');
    await docShot(page(), 'first-steps-pull-failed');
    await expectAccessible(page(), 'the job page of a failed pull');
  });

  test('paste a docker run line: the template, its warnings, secrets marked; Save and run', async () => {
    await page().getByTestId('first-steps').getByRole('button', { name: /^Paste a docker run line/ }).click();
    const dialog = page().getByTestId('docker-run-dialog');
    await dialog
      .getByTestId('docker-run-line')
      .fill(`docker run --rm -it --name fs-pasted --network=none \\\n  -e GREETING="hello there" -e API_TOKEN=s3cr3t-value -p 8080:80 \\\n  ${TEST_IMAGE} sh -c 'echo "$GREETING from docker run"'`);
    const preview = dialog.getByTestId('docker-run-preview');
    await expect(preview).toContainText('fs-pasted');
    await expect(preview).toContainText(TEST_IMAGE);
    await expect(preview).toContainText('sh -c echo "$GREETING from docker run"');
    const warnings = dialog.getByTestId('docker-run-warnings');
    await expect(warnings).toContainText('-p 8080:80 is not supported by Jobdeck: ignored');
    await expect(warnings).toContainText('-i (keep stdin open) is ignored');
    // A name that looks like a secret is marked, and its value then shown masked.
    await expect(dialog.getByRole('checkbox', { name: /^API_TOKEN=/ })).toBeChecked();
    await expect(dialog.getByRole('checkbox', { name: /^GREETING=/ })).not.toBeChecked();
    await expect(dialog.getByRole('checkbox', { name: /^API_TOKEN=/ })).toHaveAccessibleName('API_TOKEN=•••••••• secret');
    await expect(preview).not.toContainText('s3cr3t-value');
    await docShot(page(), 'first-steps-docker-run');
    await expectAccessible(page(), 'the Paste docker run dialog');
    await dialog.getByTestId('docker-run-save-run').click();
    await finished('hello there from docker run');
    await expectAccessible(page(), 'the first job from a pasted docker run line');
  });

  test('Paste docker run is in the Templates view too, and a bad line says why', async () => {
    await go(page(), 'Templates');
    await page().getByTestId('paste-docker-run').click();
    const dialog = page().getByTestId('docker-run-dialog');
    await dialog.getByTestId('docker-run-line').fill('docker ps -a');
    await expect(dialog.getByRole('alert')).toHaveText('this is docker ps, not docker run: paste a docker run command line');
    await expect(dialog.getByTestId('docker-run-save')).toBeDisabled();
    // A good line, saved and opened in the editor to go on from there.
    await dialog.getByTestId('docker-run-line').fill(`podman run --name fs-edit-me -w /tmp -u 1000 --network none ${TEST_IMAGE} ls`);
    await expect(dialog.getByTestId('docker-run-preview')).toContainText('fs-edit-me');
    await dialog.getByTestId('docker-run-save-edit').click();
    const editor = page().getByTestId('template-editor');
    await expect(editor.getByRole('textbox', { name: /^Name/ })).toHaveValue('fs-edit-me');
    await expect(editor.getByRole('textbox', { name: /^Image/ })).toHaveValue(TEST_IMAGE);
    await expectAccessible(page(), 'the editor on a template made from a docker run line');
    await editor.getByRole('button', { name: 'Cancel' }).click();
    await expect(editor).toBeHidden();
    await expect(page().getByTestId('template-row').filter({ hasText: 'fs-edit-me' })).toBeVisible();
  });

  test('start from an example, with a local image offered where busybox is not here', async () => {
    await page().getByTestId('first-steps').getByRole('button', { name: /^Start from an example/ }).click();
    const dialog = page().getByTestId('examples-dialog');
    await expect(dialog.getByTestId('example')).toHaveCount(6);
    await expect(dialog.getByTestId('example').first()).toContainText('in colour');
    const images = await api.call('images.list', {});
    if (!images.some((i) => i.tags.includes('busybox:1.36'))) {
      await expect(dialog.getByTestId('examples-offline')).toContainText('busybox:1.36 is not on your engines');
      await expect(dialog.getByTestId('examples-image')).toHaveValue(/.+/);
    }
    await dialog.getByTestId('examples-image').selectOption(TEST_IMAGE);
    await docShot(page(), 'first-steps-examples');
    await expectAccessible(page(), 'the Examples dialog');
    await dialog.getByRole('button', { name: 'Add and run Example - hello' }).click();
    await finished('hello 3 from Jobdeck');
    await expectAccessible(page(), 'the first job from an example');
  });

  test('create a template from the first steps, then run it', async () => {
    await page().getByTestId('first-steps').getByRole('button', { name: /^Create a template/ }).click();
    const editor = page().getByTestId('template-editor');
    await editor.getByRole('textbox', { name: /^Name/ }).fill('fs-new-template');
    await editor.getByRole('textbox', { name: /^Image/ }).fill(TEST_IMAGE);
    await editor.getByRole('textbox', { name: /^Command/ }).fill('echo "my first template ran"');
    await editor.getByRole('combobox', { name: /^Engine/ }).selectOption('docker');
    await editor.getByRole('combobox', { name: /^Network/ }).selectOption('none');
    await editor.getByTestId('template-save').click();
    await expect(editor).toBeHidden();
    const row = page().getByTestId('template-row').filter({ hasText: 'fs-new-template' });
    await row.getByRole('button', { name: 'Run', exact: true }).click();
    await page().getByTestId('run-submit').click();
    await finished('my first template ran');
    await expectAccessible(page(), 'the first job from a new template');
  });

  // Each path again on Podman: the same test image is on both engines, the engine chosen where the path offers it.
  async function ranOnPodman(text: string): Promise<void> {
    await finished(text);
    await expect(jobDetail(page()).getByTestId('spec-engine')).toHaveText('podman');
    await expect(jobDetail(page())).toContainText('ran on podman');
  }

  test('on Podman: run an image now', async () => {
    await page().getByTestId('first-steps').getByRole('button', { name: /^Run an image now/ }).click();
    const dialog = page().getByTestId('run-image-dialog');
    await dialog.getByRole('radio', { name: new RegExp(TEST_IMAGE.replace(/[.:]/g, '\\$&')) }).check();
    await dialog.getByTestId('run-image-command').fill('echo "first podman job from an image"');
    await dialog.getByRole('combobox', { name: 'Network' }).selectOption('none');
    await dialog.getByRole('combobox', { name: 'Engine' }).selectOption('podman');
    await dialog.getByTestId('run-image-submit').click();
    await expect(dialog.getByTestId('run-image-queued')).toContainText('Queued jobdeck-test');
    await dialog.getByTestId('run-image-open').click();
    await ranOnPodman('first podman job from an image');
  });

  test('on Podman: paste a podman run line, the engine chosen beside it', async () => {
    await page().getByTestId('first-steps').getByRole('button', { name: /^Paste a docker run line/ }).click();
    const dialog = page().getByTestId('docker-run-dialog');
    await dialog.getByTestId('docker-run-line').fill(`podman run --rm --name fs-pasted-podman --network=none ${TEST_IMAGE} sh -c 'echo "hello from podman run"'`);
    await expect(dialog.getByTestId('docker-run-preview')).toContainText('fs-pasted-podman');
    await dialog.getByRole('combobox', { name: 'Engine' }).selectOption('podman');
    await docShot(page(), 'first-steps-docker-run-podman');
    await expectAccessible(page(), 'the Paste docker run dialog with an engine');
    await dialog.getByTestId('docker-run-save-run').click();
    await ranOnPodman('hello from podman run');
  });

  test('on Podman: start from an example', async () => {
    await page().getByTestId('first-steps').getByRole('button', { name: /^Start from an example/ }).click();
    const dialog = page().getByTestId('examples-dialog');
    await dialog.getByTestId('examples-image').selectOption(TEST_IMAGE);
    await dialog.getByRole('combobox', { name: 'Engine for the examples' }).selectOption('podman');
    await expectAccessible(page(), 'the Examples dialog with an engine');
    await dialog.getByRole('button', { name: 'Add and run Example - hello' }).click();
    await ranOnPodman('hello 3 from Jobdeck');
  });

  test('on Podman: create a template, then run it', async () => {
    await page().getByTestId('first-steps').getByRole('button', { name: /^Create a template/ }).click();
    const editor = page().getByTestId('template-editor');
    await editor.getByRole('textbox', { name: /^Name/ }).fill('fs-new-podman-template');
    await editor.getByRole('textbox', { name: /^Image/ }).fill(TEST_IMAGE);
    await editor.getByRole('textbox', { name: /^Command/ }).fill('echo "my first podman template ran"');
    await editor.getByRole('combobox', { name: /^Engine/ }).selectOption('podman');
    await editor.getByRole('combobox', { name: /^Network/ }).selectOption('none');
    await editor.getByTestId('template-save').click();
    await expect(editor).toBeHidden();
    await page().getByTestId('template-row').filter({ hasText: 'fs-new-podman-template' }).getByRole('button', { name: 'Run', exact: true }).click();
    await page().getByTestId('run-submit').click();
    await ranOnPodman('my first podman template ran');
  });
});
