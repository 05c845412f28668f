// What `npm run serve` remembers between starts of one data directory: its port and token, so
// its URL stays the same (a bookmark keeps working). Mode 0600: the token opens the app.
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { HostMemory } from '../../shared/dataDir';

export const HOST_MEMORY_FILE = 'headless.json';

export function readHostMemory(dataDir: string): HostMemory | undefined {
  try {
    const r = HostMemory.safeParse(JSON.parse(readFileSync(join(dataDir, HOST_MEMORY_FILE), 'utf8')));
    return r.success ? r.data : undefined;
  } catch {
    return undefined; // none yet, or damaged: a new port and token, remembered afresh
  }
}

export function writeHostMemory(dataDir: string, memory: HostMemory): void {
  const file = join(dataDir, HOST_MEMORY_FILE);
  const temp = `${file}.tmp`;
  writeFileSync(temp, JSON.stringify(memory), { mode: 0o600 });
  renameSync(temp, file);
}

export const newToken = (): string => randomBytes(24).toString('base64url');

/** Whether 127.0.0.1:port can be listened on now (the server then takes it at once). */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

export interface HostAddressChoice {
  port: number;
  token: string;
  /** One line for the user when the remembered port could not be had. */
  notice?: string;
}

/**
 * The port and token to start with: `--port` wins (0 = any free port); else the remembered
 * port, unless some other program has it now; the remembered token unless `--new-token`.
 */
export async function chooseHostAddress(
  memory: HostMemory | undefined,
  args: { port: number | undefined; newToken: boolean },
  isFree: (port: number) => Promise<boolean> = portFree,
): Promise<HostAddressChoice> {
  const token = !args.newToken && memory ? memory.token : newToken();
  if (args.port !== undefined) return { port: args.port, token };
  if (!memory) return { port: 0, token };
  if (await isFree(memory.port)) return { port: memory.port, token };
  return { port: 0, token, notice: `port ${memory.port} is in use by another program; using another port (the address changes)` };
}
