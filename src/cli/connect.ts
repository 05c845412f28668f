// Finding the app: the data dir (--data-dir, JOBDECK_DATA_DIR, the app's default), the lock of
// whoever holds it, and the socket the lock names. No holder: the core starts in this process.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { LOCK_KIND_LABEL, LockHolder } from '../shared/dataDir';
import { connectSocket, type Client } from './client';
import { debug } from './debug';

/** The lock's file name in the data dir (the core's LOCK_FILE; a test keeps the two equal). */
export const LOCK_FILE_NAME = 'jobdeck.lock';

export interface Place {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  home: string;
}
export const herePlace = (): Place => ({ platform: process.platform, env: process.env, home: homedir() });

/** The headless host's default ($XDG_DATA_HOME/jobdeck), then the desktop app's (Electron's userData). */
export function defaultDataDirs(p: Place): string[] {
  const headless = join(p.env.XDG_DATA_HOME || join(p.home, '.local', 'share'), 'jobdeck');
  if (p.platform === 'darwin') return [headless, join(p.home, 'Library', 'Application Support', 'Jobdeck')];
  if (p.platform === 'win32') return [headless, join(p.env.APPDATA || join(p.home, 'AppData', 'Roaming'), 'Jobdeck')];
  const config = p.env.XDG_CONFIG_HOME || join(p.home, '.config');
  return [headless, join(config, 'Jobdeck'), join(config, 'jobdeck')];
}

export function readLock(dataDir: string): LockHolder | undefined {
  try {
    const r = LockHolder.safeParse(JSON.parse(readFileSync(join(dataDir, LOCK_FILE_NAME), 'utf8')));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

export interface Found {
  dataDir: string;
  client: Client;
}

export interface FindOptions {
  dataDir?: string;
  place?: Place;
  /** Starts the core here (localCore.ts); given by the entry so this file needs no core. */
  startLocal(dataDir: string): Promise<Client>;
  onLost?(why: string): void;
  /** How long a holder that does not answer yet (starting up) is waited for. */
  patienceMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A named data dir is used as named. Without one, the first default whose holder answers on its
 * socket; none answering, the headless default with a core of our own.
 */
export async function findApp(o: FindOptions): Promise<Found> {
  const place = o.place ?? herePlace();
  const named = o.dataDir ?? place.env.JOBDECK_DATA_DIR;
  const dirs = named ? [resolve(named)] : defaultDataDirs(place);
  for (const dir of dirs) {
    const holder = readLock(dir);
    debug(`${dir}: ${holder ? `held by ${holder.kind} pid ${holder.pid}, socket ${holder.socket ?? 'none'}` : 'no lock'}`);
    if (!holder?.socket) continue;
    try {
      return { dataDir: dir, client: await connectSocket(holder.socket, o.onLost) };
    } catch {
      // a lock left by a process that is gone, or one not listening yet: see below
    }
  }
  const dataDir = dirs[0]!;
  const deadline = Date.now() + (o.patienceMs ?? 10_000);
  for (;;) {
    try {
      debug(`starting a core on ${dataDir}`);
      return { dataDir, client: await o.startLocal(dataDir) };
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'DATA_DIR_IN_USE') throw error;
      // A live holder: it may be starting (its socket comes a moment after its lock).
      const holder = readLock(dataDir);
      if (holder?.socket) {
        try {
          return { dataDir, client: await connectSocket(holder.socket, o.onLost) };
        } catch {
          // not yet
        }
      }
      if (Date.now() > deadline) {
        const who = holder ? `${LOCK_KIND_LABEL[holder.kind]}, pid ${holder.pid}` : 'another process';
        throw new Error(`${dataDir} is held by ${who}, which does not answer on its socket${holder?.socket ? ` ${holder.socket}` : ''}`, { cause: error });
      }
      await sleep(100);
    }
  }
}
