// Remote engines through the Engines view: a TLS engine added with its certificate files after
// "Test connection" said what was wrong and then what answered, its concurrency set on its card,
// and a Docker context imported. Against a real private dockerd with --tlsverify on loopback
// (test/support/remoteEngines.ts), on a headless host of this spec's own (its DOCKER_CONFIG holds the context).
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { expectAccessible } from './support/a11y';
import { startHost, stopHost, type RunningHost } from '../test/support/headlessHost';
import { startTlsDockerd, type TlsDockerd } from '../test/support/remoteEngines';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let tls: TlsDockerd | undefined;
let host: RunningHost | undefined;
let dockerConfig = '';
let why = '';

test.beforeAll(async () => {
  test.setTimeout(360_000);
  try {
    tls = await startTlsDockerd();
  } catch (error) {
    why = `the private TLS dockerd could not start here: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
    return;
  }
  // A Docker CLI config with one context for the TLS engine, as `docker context create` leaves it.
  dockerConfig = mkdtempSync(join(tmpdir(), 'jobdeck-e2e-docker-config-'));
  const hash = createHash('sha256').update('rj-ctx').digest('hex');
  mkdirSync(join(dockerConfig, 'contexts', 'meta', hash), { recursive: true });
  writeFileSync(
    join(dockerConfig, 'contexts', 'meta', hash, 'meta.json'),
    JSON.stringify({ Name: 'rj-ctx', Metadata: { Description: 'the build box' }, Endpoints: { docker: { Host: tls.host, SkipTLSVerify: false } } }),
  );
  const tlsDir = join(dockerConfig, 'contexts', 'tls', hash, 'docker');
  mkdirSync(tlsDir, { recursive: true });
  copyFileSync(tls.pki.ca, join(tlsDir, 'ca.pem'));
  copyFileSync(tls.pki.clientCert, join(tlsDir, 'cert.pem'));
  copyFileSync(tls.pki.clientKey, join(tlsDir, 'key.pem'));
  // A loaded machine can take minutes to start a host (its engines answer slowly): wait for it.
  host = await startHost(root, { env: { DOCKER_CONFIG: dockerConfig }, timeoutMs: 240_000 });
});

test.afterAll(async () => {
  if (host) await stopHost(host.child);
  if (host) rmSync(host.dataDir, { recursive: true, force: true });
  await tls?.dispose();
  if (dockerConfig) rmSync(dockerConfig, { recursive: true, force: true });
});

test('add a TLS engine after testing the connection, limit it, and import a Docker context', async ({ page }) => {
  // Skipped only where the TLS dockerd or the host could not start here; `why` says which.
  test.skip(!host || !tls, why);
  test.setTimeout(180_000);
  const t = tls!;
  await page.goto(host!.url);
  await page.locator('nav').getByRole('button', { name: /^Engines/ }).click();
  await page.getByRole('button', { name: 'Add remote host' }).click();
  const form = page.getByRole('form', { name: 'Add a remote engine' });
  await form.getByLabel('Id').fill('rj-tls');
  await form.getByLabel('Host').fill(t.host);
  await form.getByLabel('CA certificate file').fill(t.pki.ca);
  // First with a client certificate that has expired: the engine refuses it, and the form says so.
  await form.getByLabel('Client certificate file').fill(t.pki.expiredClientCert);
  await form.getByLabel('Client key file').fill(t.pki.leafKey);
  await form.getByRole('button', { name: 'Test connection' }).click();
  const result = form.getByTestId('engine-test-result');
  await expect(result).toContainText("Could not connect: The engine refused Jobdeck's client certificate");
  await form.getByLabel('Client certificate file').fill(t.pki.clientCert);
  // Editing clears the old verdict; the next test shows what answered.
  await expect(result).toHaveText('');
  await form.getByRole('button', { name: 'Test connection' }).click();
  await expect(result).toContainText(/Connected: docker \d+\.\d+\S* · API \d+\.\d+/);
  await form.getByLabel('Concurrent jobs here').fill('2');
  await page.screenshot({ path: 'docs/screenshots/remote-engines-add.png' });
  await expectAccessible(page, 'the add-engine form after a test connection');
  await form.getByRole('button', { name: 'Add engine' }).click();
  await expect(form).toBeHidden();

  const card = page.locator('[data-testid="engine-card"][data-engine="rj-tls"]');
  await expect(card).toHaveAttribute('data-status', 'available');
  await expect(card).toContainText(t.host);
  await expect(card).toContainText(/Version\s*\d+\.\d+/);
  const limit = card.getByLabel('Concurrent jobs on rj-tls');
  await expect(limit).toHaveValue('2');
  await limit.fill('1');
  await limit.press('Enter');
  await expect(page.getByText('rj-tls runs at most 1 at once')).toBeVisible();
  await page.reload();
  await expect(page.locator('[data-testid="engine-card"][data-engine="rj-tls"]').getByLabel('Concurrent jobs on rj-tls')).toHaveValue('1');

  // The Docker CLI's context: offered, imported into the form, tested, added.
  await page.getByRole('button', { name: 'Import Docker context' }).click();
  const contexts = page.getByRole('region', { name: 'Docker contexts' });
  const row = contexts.getByTestId('docker-context').filter({ hasText: 'rj-ctx' });
  await expect(row).toContainText(t.host);
  await expect(row).toContainText('the build box');
  await row.getByRole('button', { name: 'Import rj-ctx' }).click();
  await expect(form.getByLabel('Id')).toHaveValue('rj-ctx');
  await expect(form.getByLabel('Host')).toHaveValue(t.host);
  await expect(form.getByLabel('Or a certificate directory')).toHaveValue(/contexts\/tls\/[0-9a-f]{64}\/docker$/);
  await form.getByRole('button', { name: 'Test connection' }).click();
  await expect(result).toContainText('Connected: docker');
  await form.getByRole('button', { name: 'Add engine' }).click();
  await expect(page.locator('[data-testid="engine-card"][data-engine="rj-ctx"]')).toHaveAttribute('data-status', 'available');
  await page.screenshot({ path: 'docs/screenshots/remote-engines.png', fullPage: true });
  await expectAccessible(page, 'Engines with two remote engines');
});
