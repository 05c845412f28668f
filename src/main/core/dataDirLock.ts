// One writer per data directory. The lock is a file created atomically (written under a temp
// name, then hard-linked into place, so it is never seen half-written) and removed on close. A
// lock whose holder is gone (its pid dead, or reused by a process with another start time) is
// stale: the next start moves it aside and takes over.
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCK_KIND_LABEL, LockHolder, type LockKind } from '../../shared/dataDir';

export const LOCK_FILE = 'jobdeck.lock';

/** Thrown when another live process holds the data directory; the message is for the user. */
export class DataDirInUseError extends Error {
  readonly code = 'DATA_DIR_IN_USE';
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    // The URL without its token: the message lands in terminals and dialogs.
    const where = holder.url ? `, ${urlWithoutToken(holder.url)}` : '';
    super(`another Jobdeck (${LOCK_KIND_LABEL[holder.kind]}, pid ${holder.pid}${where}) is using ${dataDir}; stop it or use --data-dir`);
    this.name = 'DataDirInUseError';
  }
}

function urlWithoutToken(url: string): string {
  try {
    const u = new URL(url);
    return u.search ? `${u.origin}${u.pathname}…` : url;
  } catch {
    return url;
  }
}

/** How the lock sees processes; /proc and kill(0) in the app, fakes in tests. */
export interface ProcessProbe {
  alive(pid: number): boolean;
  /** Start time of a process (Linux /proc/<pid>/stat field 22), undefined where not known. */
  startTime(pid: number): string | undefined;
}

export const systemProbe: ProcessProbe = {
  alive(pid) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
    }
  },
  startTime(pid) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Field 2 (comm) is in parentheses and may hold spaces: count fields after the last ')'.
      return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    } catch {
      return undefined;
    }
  },
};

export interface LockOptions {
  kind: LockKind;
  pid?: number;
  probe?: ProcessProbe;
  now?: () => Date;
}

export class DataDirLock {
  private released = false;
  private readonly onExit = () => this.releaseSync();

  private constructor(
    readonly file: string,
    private holder: LockHolder,
  ) {
    // A process that exits without close() (an uncaught error) still leaves no lock behind.
    process.once('exit', this.onExit);
  }

  get info(): LockHolder {
    return this.holder;
  }

  /** Take the lock of `dataDir`, or throw DataDirInUseError naming the live holder. */
  static acquire(dataDir: string, opts: LockOptions): DataDirLock {
    const probe = opts.probe ?? systemProbe;
    const pid = opts.pid ?? process.pid;
    const file = join(dataDir, LOCK_FILE);
    mkdirSync(dataDir, { recursive: true });
    const procStart = probe.startTime(pid);
    const holder: LockHolder = {
      pid,
      kind: opts.kind,
      startedAt: (opts.now?.() ?? new Date()).toISOString(),
      ...(procStart ? { procStart } : {}),
      nonce: randomBytes(8).toString('hex'),
    };
    const temp = `${file}.${holder.nonce}.tmp`;
    writeFileSync(temp, JSON.stringify(holder), { mode: 0o600 });
    try {
      // A few rounds: each either takes the lock, meets a live holder, or clears a stale one.
      for (let round = 0; round < 5; round++) {
        try {
          linkSync(temp, file);
          return new DataDirLock(file, holder);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        }
        const raw = readOrUndefined(file);
        if (raw === undefined) continue; // released meanwhile
        const current = parseHolder(raw);
        if (current && isLive(current, probe)) throw new DataDirInUseError(dataDir, current);
        clearStale(file, raw, holder.nonce);
      }
      throw new Error(`could not take the lock ${file}: it keeps changing`);
    } finally {
      try {
        unlinkSync(temp);
      } catch {
        // already gone
      }
    }
  }

  /** Say where the holder listens (the headless host, once its server is up). */
  setUrl(url: string): void {
    this.update({ url });
  }

  /** Say where the holder's local socket is (what the CLI connects to). */
  setSocket(socket: string): void {
    this.update({ socket });
  }

  private update(patch: Partial<Pick<LockHolder, 'url' | 'socket'>>): void {
    if (this.released) return;
    this.holder = { ...this.holder, ...patch };
    const temp = `${this.file}.${this.holder.nonce}.tmp`;
    writeFileSync(temp, JSON.stringify(this.holder), { mode: 0o600 });
    renameSync(temp, this.file); // atomic replace: readers see the old or the new, whole
  }

  /** Remove the lock if it is still ours. */
  release(): void {
    this.releaseSync();
    process.removeListener('exit', this.onExit);
  }

  private releaseSync(): void {
    if (this.released) return;
    this.released = true;
    const raw = readOrUndefined(this.file);
    if (raw !== undefined && parseHolder(raw)?.nonce === this.holder.nonce) {
      try {
        unlinkSync(this.file);
      } catch {
        // gone already
      }
    }
  }
}

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parseHolder(raw: string): LockHolder | undefined {
  try {
    const r = LockHolder.safeParse(JSON.parse(raw));
    return r.success ? r.data : undefined;
  } catch {
    return undefined; // not JSON: not a lock anyone can hold
  }
}

function isLive(h: LockHolder, probe: ProcessProbe): boolean {
  if (!probe.alive(h.pid)) return false;
  // The pid is taken; by the same process only if its start time matches (where both are known).
  const now = probe.startTime(h.pid);
  return !(h.procStart && now && now !== h.procStart);
}

/**
 * Move a stale lock aside. Two starters may both judge it stale: the one whose rename moved
 * something else (a lock just taken by the other) puts that back and goes round again.
 */
function clearStale(file: string, staleRaw: string, nonce: string): void {
  const aside = `${file}.stale-${nonce}`;
  try {
    renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = readOrUndefined(aside);
  if (moved !== staleRaw) {
    try {
      linkSync(aside, file); // theirs, back in place (fails only if yet another took it)
    } catch {
      // that one holds it now; ours goes round and meets it
    }
  }
  unlinkSync(aside);
}
