import { rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATA_DIR_ENV, URL_ENV } from './support/env';
import { buildIfNeeded, ensureEngines, ensureTestImage, startHost, stopHost } from '../test/support/headlessHost';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Build, engines, test image, then one headless host on a fresh data dir for the whole run. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  buildIfNeeded(root);
  ensureEngines(root);
  ensureTestImage();
  // As first-steps' second host: on a loaded machine (CI's two cores, other runs beside it) the
  // host has taken more than the default 60 s to print its address.
  const host = await startHost(root, { timeoutMs: 180_000 });
  process.env[URL_ENV] = host.url;
  process.env[DATA_DIR_ENV] = host.dataDir;
  process.stdout.write(`e2e: headless host ${host.url} (data ${host.dataDir})\n`);
  return async () => {
    await stopHost(host.child);
    if (!process.env.JOBDECK_E2E_KEEP) rmSync(host.dataDir, { recursive: true, force: true });
  };
}
