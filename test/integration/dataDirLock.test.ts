import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runHost, type HostRun } from '../support/hostCli';

// Two real headless hosts on one data directory: one writer. And the URL a user bookmarks
// survives a restart of the host on the same data directory.
const dirs: string[] = [];
const hosts: HostRun[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'jobdeck-twohosts-'));
  dirs.push(d);
  return d;
};
const host = async (args: string[]) => {
  const h = await runHost(args);
  hosts.push(h);
  return h;
};
afterAll(async () => {
  for (const h of hosts) await h.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('one host per data directory (two real processes)', () => {
  it('refuses a second host naming the first (pid, URL); after SIGKILL of the first a new start takes over', async () => {
    const dataDir = tmp();
    const first = await host(['--port', '0', '--data-dir', dataDir]);
    const url = await first.url;
    const second = await host(['--port', '0', '--data-dir', dataDir]);
    const code = await second.exited;
    expect(code).not.toBe(0);
    const origin = new URL(url).origin;
    expect(second.output()).toContain(
      `another Jobdeck (headless host, pid ${first.child.pid}, ${origin}/…) is using ${dataDir}; stop it or use --data-dir`,
    );
    expect(second.output()).not.toContain(new URL(url).searchParams.get('token')!);

    first.child.kill('SIGKILL');
    await first.exited;
    const third = await host(['--port', '0', '--data-dir', dataDir]);
    expect(await third.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    expect(await third.stop()).toBe(0);
  });

  it('keeps its port and token across a restart; --new-token changes only the token', async () => {
    const dataDir = tmp();
    const a = await host(['--data-dir', dataDir]);
    const first = new URL(await a.url);
    expect(await a.stop()).toBe(0);
    const b = await host(['--data-dir', dataDir]);
    expect(await b.url).toBe(first.href);
    expect(await b.stop()).toBe(0);
    const c = await host(['--data-dir', dataDir, '--new-token']);
    const renewed = new URL(await c.url);
    expect(renewed.port).toBe(first.port);
    expect(renewed.searchParams.get('token')).not.toBe(first.searchParams.get('token'));
    expect(await c.stop()).toBe(0);
    // The new token is the one remembered from now on.
    const d = await host(['--data-dir', dataDir]);
    expect(await d.url).toBe(renewed.href);
    expect(await d.stop()).toBe(0);
  });
});
