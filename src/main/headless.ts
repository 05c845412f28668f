// Composition root without Electron: the same core behind a WebSocket on 127.0.0.1, serving the
// built renderer. `npm run serve`, and the host the end-to-end tests drive.
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createJobdeck } from './core/jobdeck';
import { startHeadless } from './headless/server';

function defaultDataDir(): string {
  const base = process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'jobdeck');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
    },
  });
  const dataDir = resolve(values['data-dir'] ?? process.env.JOBDECK_DATA_DIR ?? defaultDataDir());
  const port = Number(values.port ?? process.env.JOBDECK_PORT ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got ${values.port}`);
  const here = dirname(fileURLToPath(import.meta.url));
  const core = await createJobdeck({ dataDir });
  const host = await startHeadless({ core, staticDir: resolve(here, '../renderer'), port });
  process.stdout.write(`Jobdeck headless: ${host.url}\n`);
  process.stdout.write(`data: ${dataDir}\n`);
  let closing = false;
  const stop = async () => {
    if (closing) return;
    closing = true;
    await host.close();
    // Jobs keep running in their containers; the next start follows them again.
    await core.close({ stopRunning: false });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`jobdeck: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
