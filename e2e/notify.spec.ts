// Issue 13 (notifications), as a person uses them: Settings → Notifications to add a webhook to a
// receiver this spec runs on loopback and send it a test; a template's own failure rule in the
// editor's Notifications group; a run that fails; the delivery on the job page.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { expectAccessible } from './support/a11y';
import { go, jobDetail, openApp, runTemplate } from './support/app';
import { expectEnded, importTemplate, templateRow, templateYaml } from './support/core-journeys';

const RUN = Date.now().toString(36);
const TPL = `notify-fail-${RUN}`;
const HOOK = `notify-hook-${RUN}`;

interface Got {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let server: Server;
const got: Got[] = [];
let url = '';

test.beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
test.afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

test('a webhook: added, tested (delivered 200), a template\'s failure rule sends to it, the job page lists the delivery', async ({ page }) => {
  await openApp(page);
  await go(page, 'Settings');
  const settings = page.getByTestId('notify-settings');
  await settings.getByRole('button', { name: 'Add webhook' }).click();
  const form = settings.getByTestId('channel-form');
  await form.getByLabel('Name').fill(HOOK);
  // Plain http to another host is refused in words; loopback is fine.
  await form.getByLabel('URL').fill('http://example.com/hook');
  await form.getByRole('button', { name: 'Save channel' }).click();
  await expect(form.getByTestId('channel-error')).toContainText('use https, or tick "Allow plain http"');
  await form.getByLabel('URL').fill(url);
  await form.getByLabel('Signing secret').fill('e2e-secret');
  await form.getByRole('button', { name: 'Save channel' }).click();
  await expect(form).toBeHidden();
  const row = settings.getByTestId('channel-row').filter({ hasText: HOOK });
  await expect(row).toContainText(url);
  await row.getByRole('button', { name: `Send test to ${HOOK}` }).click();
  await expect(row.getByTestId('channel-test-result')).toHaveText('delivered 200');
  expect(got).toHaveLength(1);
  expect(JSON.parse(got[0]!.body)).toMatchObject({ event: 'test' });
  expect(String(got[0]!.headers['x-jobdeck-signature'])).toMatch(/^sha256=[0-9a-f]{64}$/);
  await expect(settings.getByTestId('deliveries').getByTestId('delivery-row').filter({ hasText: HOOK }).first()).toContainText('delivered 200');
  await expectAccessible(page, 'Settings → Notifications');

  // A template of its own rules: failure, after the last retry, to the webhook only.
  await go(page, 'Templates');
  await importTemplate(page, TPL, templateYaml(TPL, 'echo notify-e2e; exit 6'));
  await templateRow(page, TPL).getByRole('button', { name: 'Edit', exact: true }).click();
  const editor = page.getByTestId('template-editor');
  await editor.getByTestId('section-notifications').locator('summary').click();
  await editor.getByLabel(/Use rules of its own/).check();
  const rule = editor.getByTestId('rule-row').first();
  await expect(rule.getByLabel('Notify on')).toHaveValue('failure');
  await expect(rule.getByLabel('Attempts')).toHaveValue('last');
  await rule.getByRole('checkbox', { name: 'Desktop' }).uncheck();
  await rule.getByRole('checkbox', { name: HOOK }).check();
  await expectAccessible(page, 'template editor, Notifications group');
  await editor.getByTestId('template-save').click();
  await expect(editor).toBeHidden();

  await runTemplate(page, TPL);
  await expectEnded(page);
  const deliveries = jobDetail(page).getByTestId('job-deliveries');
  await expect(deliveries.getByTestId('delivery-row')).toHaveCount(1);
  await expect(deliveries.getByTestId('delivery-row')).toContainText(HOOK);
  await expect(deliveries.getByTestId('delivery-row')).toContainText('failed');
  await expect(deliveries.getByTestId('delivery-result')).toHaveText('delivered 200');
  const body = JSON.parse(got.at(-1)!.body) as { event: string; job: { template: string; exitCode: number; status: string } };
  expect(body).toMatchObject({ event: 'failure', job: { template: TPL, exitCode: 6, status: 'failed' } });
  await expectAccessible(page, 'job page with deliveries');

  // The picture: Settings → Notifications with the channel, the rules and the log.
  await go(page, 'Settings');
  const toasts = page.getByRole('status').locator('.toast');
  for (let n = await toasts.count(); n > 0; n = await toasts.count()) await toasts.first().click();
  await expect(page.getByTestId('notify-settings').getByTestId('delivery-row')).toHaveCount(2);
  await page.getByTestId('notify-settings').screenshot({ path: 'docs/screenshots/notifications.png' });

  // Leave the shared host as found: the channel removed.
  await page.getByTestId('channel-row').filter({ hasText: HOOK }).getByRole('button', { name: `Remove ${HOOK}` }).click();
  await expect(page.getByTestId('channel-row').filter({ hasText: HOOK })).toHaveCount(0);
});
