import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CallContext, Handlers } from '../../src/shared/ipc';
import { LockHolder } from '../../src/shared/dataDir';
import { LOCK_FILE } from '../../src/main/core/dataDirLock';
import { MAX_SOCKET_PATH_BYTES, socketPlace } from '../../src/main/socket/socketPath';
import { privateDir, startSocket } from '../../src/main/socket/socketServer';
import { connectSocket } from '../../src/cli/client';
import { findApp } from '../../src/cli/connect';
import { startFakeCore, type FakeCore } from '../support/fakeCore';
import { tempDirs } from '../support/tmp';

const tmp = tempDirs('jobdeck-sock-');
const at = (env: Record<string, string | undefined> = {}) => ({ platform: 'linux' as const, env, tmpdir: '/tmp', uid: 1000 });

/** The core's handlers, with each call's context kept: what the transport says about its client. */
function recording(fake: FakeCore): { core: FakeCore['core']; seen: CallContext[] } {
  const seen: CallContext[] = [];
  const handlers = new Proxy(fake.core.handlers, {
    get(target, name: string) {
      const h = target[name as keyof Handlers] as (a: unknown, c: CallContext) => Promise<unknown>;
      return (args: unknown, ctx: CallContext) => {
        seen.push(ctx);
        return h(args, ctx);
      };
    },
  });
  return { core: { ...fake.core, handlers }, seen };
}

describe('where the socket lives', () => {
  it('is <data dir>/run/jobdeck.sock when that fits a socket address', () => {
    expect(socketPlace('/home/ann/.local/share/jobdeck', at())).toEqual({
      path: '/home/ann/.local/share/jobdeck/run/jobdeck.sock',
      dir: '/home/ann/.local/share/jobdeck/run',
    });
  });

  it('moves to $XDG_RUNTIME_DIR (or the temp dir) under a hash of the data dir when the path is too long', () => {
    const long = `/home/ann/${'very-long-directory-name/'.repeat(5)}jobdeck`;
    const a = socketPlace(long, at({ XDG_RUNTIME_DIR: '/run/user/1000' }));
    expect(a.path).toMatch(/^\/run\/user\/1000\/jobdeck-1000-[0-9a-f]{16}\/jobdeck\.sock$/);
    expect(Buffer.byteLength(a.path)).toBeLessThanOrEqual(MAX_SOCKET_PATH_BYTES);
    const b = socketPlace(long, at());
    expect(b.path.startsWith('/tmp/jobdeck-1000-')).toBe(true);
    // Same data dir, same place; another data dir, another.
    expect(socketPlace(long, at()).path).toBe(b.path);
    expect(socketPlace(`${long}2`, at()).path).not.toBe(b.path);
  });

  it('is a named pipe on Windows (path logic only: not run here)', () => {
    expect(socketPlace('C:\\Users\\ann\\AppData\\Roaming\\Jobdeck', { ...at(), platform: 'win32' }).path).toMatch(/^\\\\\.\\pipe\\jobdeck-[0-9a-f]{16}$/);
  });

  it('refuses a directory that is a link', () => {
    const dir = tmp();
    const link = join(dir, 'link');
    spawnSync('ln', ['-s', dir, link]);
    expect(() => privateDir(link)).toThrow(/must be a directory, not a link/);
  });
});

describe('the local socket transport', () => {
  it('listens 0600 in a 0700 dir, records its path in the lock, answers commands and sends events, as cli or api', async () => {
    const fake = await startFakeCore();
    const { core, seen } = recording(fake);
    const host = await startSocket({ core, dataDir: fake.dataDir });
    fake.core.setSocket(host.path);
    try {
      expect(host.path).toBe(join(fake.dataDir, 'run', 'jobdeck.sock'));
      expect(statSync(host.path).isSocket()).toBe(true);
      expect(statSync(host.path).mode & 0o777).toBe(0o600);
      expect(statSync(join(fake.dataDir, 'run')).mode & 0o777).toBe(0o700);
      const lock = LockHolder.parse(JSON.parse(readFileSync(join(fake.dataDir, LOCK_FILE), 'utf8')));
      expect(lock.socket).toBe(host.path);

      const client = await connectSocket(host.path);
      const events: string[] = [];
      client.onEvent((e) => events.push(e.name));
      const state = await client.call('queue.pause', {});
      expect(state.paused).toBe(true);
      await expect.poll(() => events).toContain('queue.state');
      await client.call('queue.resume', {});
      expect(seen.at(-1)).toMatchObject({ client: 'cli', user: expect.any(String) });
      expect(seen.at(-1)!.user!.length).toBeGreaterThan(0);
      // A refused input is the contract's typed error, as on the WebSocket.
      await expect(client.call('jobs.get', { id: '' })).rejects.toThrow();
      await client.close();

      // A client that does not say it is the CLI is an API client.
      const raw = await new Promise<string>((resolve, reject) => {
        const sock = connect(host.path);
        let got = '';
        sock.on('data', (d: Buffer) => {
          got += d.toString();
          if (got.includes('"result"')) {
            sock.end();
            resolve(got);
          }
        });
        sock.on('error', reject);
        sock.write(`${JSON.stringify({ type: 'invoke', id: 7, command: 'queue.state', input: {} })}\n`);
      });
      expect(raw.split('\n')[0]).toBe('{"type":"ready"}');
      expect(JSON.parse(raw.split('\n')[1]!)).toMatchObject({ type: 'result', id: 7, result: { ok: true } });
      expect(seen.at(-1)).toMatchObject({ client: 'api' });
    } finally {
      await host.close();
      await fake.close();
    }
    expect(existsSync(host.path)).toBe(false);
  });

  it('with a data dir too long for a socket address, listens in a hashed 0700 dir the lock names, where the CLI finds it', async () => {
    const dataDir = join(tmp(), 'a-rather-long-directory-name-for-a-data-dir'.repeat(3));
    mkdirSync(dataDir, { recursive: true });
    const fake = await startFakeCore({ dataDir });
    const host = await startSocket({ core: fake.core, dataDir });
    fake.core.setSocket(host.path);
    try {
      expect(host.path.startsWith(dataDir)).toBe(false);
      expect(Buffer.byteLength(host.path)).toBeLessThanOrEqual(MAX_SOCKET_PATH_BYTES);
      expect(statSync(dirname(host.path)).mode & 0o777).toBe(0o700);
      const found = await findApp({ dataDir, startLocal: () => Promise.reject(new Error('should have reached the app')) });
      expect(found.client.mode).toBe('app');
      expect((await found.client.call('queue.state', {})).paused).toBe(false);
      await found.client.close();
    } finally {
      await host.close();
      await fake.close();
    }
  });

  it('replaces a stale socket file (its process gone) and refuses one a live process listens on', async () => {
    const dataDir = tmp();
    const place = socketPlace(dataDir, { platform: 'linux', env: {}, tmpdir: '/tmp', uid: process.getuid!() });
    mkdirSync(place.dir!, { recursive: true, mode: 0o700 });
    // A process that dies without closing its server leaves the file behind.
    const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(place.path)}, () => console.log('up'))`]);
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    const core = { handlers: {} as Handlers, onEvent: () => () => undefined, dropClient: () => undefined };
    await expect(startSocket({ core, dataDir })).rejects.toThrow(/already listens/);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(statSync(place.path).isSocket()).toBe(true);
    const host = await startSocket({ core, dataDir });
    const client = await connectSocket(host.path);
    await client.close();
    await host.close();
  });

  it('refuses another user: the file and its directory give them no way in', async () => {
    const dataDir = tmp();
    const core = { handlers: {} as Handlers, onEvent: () => () => undefined, dropClient: () => undefined };
    const host = await startSocket({ core, dataDir });
    try {
      expect(host.path.startsWith(dataDir)).toBe(true);
      expect(statSync(host.path).mode & 0o077).toBe(0);
      expect(statSync(join(dataDir, 'run')).mode & 0o077).toBe(0);
      // Root may set the uid of a child: a real other user (nobody) tries to connect.
      if (process.getuid?.() === 0) {
        // The data dir itself open to all: only the socket's own directory and mode keep them out.
        chmodSync(dataDir, 0o755);
        const r = spawnSync(process.execPath, ['-e', `const s=require('net').connect(${JSON.stringify(host.path)});s.on('connect',()=>{console.log('CONNECTED');process.exit(0)});s.on('error',e=>{console.log(e.code);process.exit(3)})`], {
          uid: 65534,
          gid: 65534,
          encoding: 'utf8',
        });
        expect(r.stdout.trim()).toBe('EACCES');
      }
    } finally {
      await host.close();
    }
  });
});

describe('jobdeck run NAME --wait, over the socket', () => {
  it('asks for the job in its first call, naming the template as typed, and exits with the job\'s code', async () => {
    const fake = await startFakeCore();
    const called: string[] = [];
    const handlers = new Proxy(fake.core.handlers, {
      get(target, name: string) {
        const h = target[name as keyof Handlers] as (a: unknown, c: CallContext) => Promise<unknown>;
        return (args: unknown, ctx: CallContext) => (called.push(name), h(args, ctx));
      },
    });
    const host = await startSocket({ core: { ...fake.core, handlers }, dataDir: fake.dataDir });
    fake.core.setSocket(host.path);
    try {
      const t = await fake.call('templates.save', { spec: { name: 'Nightly', image: 'busybox:1.36', command: 'exit 3' } });
      const child = spawn(process.execPath, [join(process.cwd(), 'bin/jobdeck.mjs'), '--data-dir', fake.dataDir, 'run', 'nightly', '--wait'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = new Promise<number | null>((resolve) => child.once('close', resolve));
      await fake.until('the job to start', () => fake.engines.runs().length === 1, 30_000);
      const [run] = fake.engines.runs();
      await fake.finish(run!.req.jobId, { reason: 'Error', exitCode: 3 });
      expect(await code, stderr).toBe(3);
      // No templates.list first: the app finds the template, so the job is asked for at once.
      expect(called[0]).toBe('jobs.create');
      expect(called).not.toContain('templates.list');
      expect((await fake.call('jobs.get', { id: run!.req.jobId })).templateId).toBe(t.id);
    } finally {
      await host.close();
      await fake.close();
    }
  });
});

