import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirInUseError, DataDirLock, LOCK_FILE, systemProbe, type ProcessProbe } from '../../src/main/core/dataDirLock';
import { createJobdeck } from '../../src/main/core/jobdeck';
import { LockHolder } from '../../src/shared/dataDir';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'jobdeck-lock-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Processes as the test says they are: pid → start time (absent = dead). */
const probeOf = (procs: Record<number, string>): ProcessProbe => ({
  alive: (pid) => pid in procs,
  startTime: (pid) => procs[pid],
});

describe('data directory lock', () => {
  it('is taken with the holder written down, mode 0600, and released on close', () => {
    const dir = tmp();
    const lock = DataDirLock.acquire(dir, { kind: 'headless' });
    const file = join(dir, LOCK_FILE);
    const held = LockHolder.parse(JSON.parse(readFileSync(file, 'utf8')));
    expect(held).toMatchObject({ pid: process.pid, kind: 'headless' });
    expect(held.procStart).toBe(systemProbe.startTime(process.pid));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    lock.setUrl('http://127.0.0.1:5173/?token=abc');
    expect(JSON.parse(readFileSync(file, 'utf8')).url).toBe('http://127.0.0.1:5173/?token=abc');
    lock.release();
    expect(existsSync(file)).toBe(false);
    DataDirLock.acquire(dir, { kind: 'cli' }).release(); // free again
  });

  it('refuses a second holder with a message naming the first (kind, pid, URL without token)', () => {
    const dir = tmp();
    const first = DataDirLock.acquire(dir, { kind: 'headless', pid: 1234, probe: probeOf({ 1234: '99' }) });
    first.setUrl('http://127.0.0.1:5173/?token=secret-token');
    let error: unknown;
    try {
      DataDirLock.acquire(dir, { kind: 'headless', pid: 5678, probe: probeOf({ 1234: '99', 5678: '100' }) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataDirInUseError);
    const message = (error as Error).message;
    expect(message).toBe(`another Jobdeck (headless host, pid 1234, http://127.0.0.1:5173/…) is using ${dir}; stop it or use --data-dir`);
    expect(message).not.toContain('secret-token');
    first.release();
  });

  it('takes over a stale lock whose pid is gone', () => {
    const dir = tmp();
    DataDirLock.acquire(dir, { kind: 'headless', pid: 1234, probe: probeOf({ 1234: '99' }) }); // never released: a crash
    const next = DataDirLock.acquire(dir, { kind: 'electron', pid: 42, probe: probeOf({ 42: '7' }) });
    expect(next.info).toMatchObject({ pid: 42, kind: 'electron' });
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(42);
    next.release();
  });

  it('takes over a lock whose pid was reused by another process (other start time)', () => {
    const dir = tmp();
    DataDirLock.acquire(dir, { kind: 'headless', pid: 1234, probe: probeOf({ 1234: '99' }) });
    // 1234 is alive again, but started at another time: not the holder.
    const next = DataDirLock.acquire(dir, { kind: 'headless', pid: 42, probe: probeOf({ 1234: '5000', 42: '7' }) });
    expect(next.info.pid).toBe(42);
    next.release();
  });

  it('takes over a damaged lock file (not a lock anyone holds)', () => {
    const dir = tmp();
    writeFileSync(join(dir, LOCK_FILE), '{"pid": 12');
    const lock = DataDirLock.acquire(dir, { kind: 'cli' });
    expect(lock.info.pid).toBe(process.pid);
    lock.release();
  });

  it('release leaves a lock that is not its own in place', () => {
    const dir = tmp();
    const a = DataDirLock.acquire(dir, { kind: 'headless', pid: 1234, probe: probeOf({ 1234: '99' }) });
    const b = DataDirLock.acquire(dir, { kind: 'headless', pid: 42, probe: probeOf({ 42: '7' }) }); // a was stale
    a.release();
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(42);
    b.release();
  });

  it('createJobdeck takes it before the store opens, refuses a second core, and frees it on close', async () => {
    const dir = tmp();
    const opts = { dataDir: dir, env: {}, socketCandidates: ['docker=unix:///tmp/jobdeck-no-engine-here.sock'], engineProbeIntervalMs: 60_000 };
    const core = await createJobdeck({ ...opts, kind: 'headless' });
    await expect(createJobdeck(opts)).rejects.toThrow(new RegExp(`another Jobdeck \\(headless host, pid ${process.pid}\\) is using`));
    await core.close();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    const again = await createJobdeck(opts);
    await again.close();
  });
});
