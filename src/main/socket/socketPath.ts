// Where the app's local socket lives. In the data dir when the path fits a Unix socket address
// (sun_path: 108 bytes on Linux, 104 on macOS, the NUL included); otherwise in a 0700 directory
// under $XDG_RUNTIME_DIR or the temp dir, named by a hash of the data dir, and the lock file
// records the path so the CLI finds it either way. On Windows a named pipe named the same way.
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';

/** The shorter of the two limits, so a data dir that works on one works on the other. */
export const MAX_SOCKET_PATH_BYTES = 103;
export const SOCKET_FILE = 'jobdeck.sock';

export interface SocketPlace {
  /** What net.Server.listen and net.connect take. */
  path: string;
  /** The directory made 0700 around it (none for a named pipe). */
  dir?: string;
}

export interface PlaceEnv {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  tmpdir: string;
  uid: number;
}

export const dataDirHash = (dataDir: string): string => createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16);

export function socketPlace(dataDir: string, at: PlaceEnv): SocketPlace {
  // Untested here (no Windows machine): a pipe is per user by its default ACL (creator, SYSTEM, admins).
  if (at.platform === 'win32') return { path: `\\\\.\\pipe\\jobdeck-${dataDirHash(dataDir)}` };
  const dir = join(resolve(dataDir), 'run');
  const inside = join(dir, SOCKET_FILE);
  if (Buffer.byteLength(inside) <= MAX_SOCKET_PATH_BYTES) return { path: inside, dir };
  const base = at.env.XDG_RUNTIME_DIR || at.tmpdir;
  // The uid in the name keeps two users' temp dirs apart; the hash keeps two data dirs apart.
  const short = join(base, `jobdeck-${at.uid}-${dataDirHash(dataDir)}`);
  return { path: join(short, SOCKET_FILE), dir: short };
}
