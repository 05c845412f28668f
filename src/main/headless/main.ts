// Composition root without Electron: the same core behind a WebSocket on 127.0.0.1, serving the
// built renderer. `npm run serve`, and the host the end-to-end tests drive.
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createJobdeck } from '../core/jobdeck';
import { startHeadless } from './server';
import { startSocket } from '../socket/socketServer';
import { chooseHostAddress, readHostMemory, writeHostMemory } from './hostMemory';
import { onStopSignal } from './shutdown';

function defaultDataDir(): string {
  const base = process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'jobdeck');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      /** A new token (the old URL stops working); otherwise the one remembered in the data dir. */
      'new-token': { type: 'boolean', default: false },
    },
  });
  const dataDir = resolve(values['data-dir'] ?? process.env.JOBDECK_DATA_DIR ?? defaultDataDir());
  const portArg = values.port ?? process.env.JOBDECK_PORT;
  const port = portArg === undefined ? undefined : Number(portArg);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new Error(`--port must be 0..65535, got ${portArg}`);
  const here = dirname(fileURLToPath(import.meta.url));
  // Takes the data dir's lock first: a second host on it stops here with who holds it.
  const core = await createJobdeck({ dataDir, kind: 'headless' });
  const address = await chooseHostAddress(readHostMemory(dataDir), { port, newToken: values['new-token'] });
  if (address.notice) process.stdout.write(`${address.notice}\n`);
  const host = await startHeadless({ core, staticDir: resolve(here, '../renderer'), port: address.port, token: address.token, downloads: { dataDir } });
  writeHostMemory(dataDir, { port: host.port, token: host.token });
  core.setUrl(host.url);
  // The local socket (the `jobdeck` command line's way in); its path goes into the lock.
  const socket = await startSocket({ core, dataDir });
  core.setSocket(socket.path);
  const stop = onStopSignal({
    async close() {
      await socket.close();
      await host.close();
      // Jobs keep running in their containers; the next start follows them again.
      await core.close({ stopRunning: false });
    },
    exit: (code) => process.exit(code),
    log: (line) => void process.stderr.write(`${line}\n`),
  });
  // Before the URL is printed: whoever reads it may signal at once.
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.stdout.write(`Jobdeck headless: ${host.url}\ndata: ${dataDir}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`jobdeck: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
