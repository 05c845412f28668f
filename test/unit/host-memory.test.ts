import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseHostAddress, HOST_MEMORY_FILE, portFree, readHostMemory, writeHostMemory } from '../../src/main/headless/hostMemory';

describe('headless host: port and token kept across restarts', () => {
  const memory = { port: 45123, token: 'a'.repeat(32) };
  const free = async () => true;

  it('reuses the remembered port and token', async () => {
    expect(await chooseHostAddress(memory, { port: undefined, newToken: false }, free)).toEqual(memory);
  });

  it('--port wins (0 = any free port), keeping the token; --new-token makes a new one', async () => {
    expect(await chooseHostAddress(memory, { port: 0, newToken: false }, free)).toEqual({ port: 0, token: memory.token });
    expect(await chooseHostAddress(memory, { port: 9000, newToken: false }, free)).toEqual({ port: 9000, token: memory.token });
    const fresh = await chooseHostAddress(memory, { port: undefined, newToken: true }, free);
    expect(fresh.port).toBe(memory.port);
    expect(fresh.token).not.toBe(memory.token);
    expect(fresh.token.length).toBeGreaterThanOrEqual(32);
  });

  it('takes a free port and says so in one line when another program has the remembered one', async () => {
    const c = await chooseHostAddress(memory, { port: undefined, newToken: false }, async () => false);
    expect(c).toMatchObject({ port: 0, token: memory.token });
    expect(c.notice).toBe('port 45123 is in use by another program; using another port (the address changes)');
  });

  it('first start: any port, a new token', async () => {
    const c = await chooseHostAddress(undefined, { port: undefined, newToken: false }, free);
    expect(c.port).toBe(0);
    expect(c.token.length).toBeGreaterThanOrEqual(32);
  });

  it('remembers in a 0600 file and ignores a damaged one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jobdeck-hostmem-'));
    expect(readHostMemory(dir)).toBeUndefined();
    writeHostMemory(dir, memory);
    expect(readHostMemory(dir)).toEqual(memory);
    expect(statSync(join(dir, HOST_MEMORY_FILE)).mode & 0o777).toBe(0o600);
    writeFileSync(join(dir, HOST_MEMORY_FILE), '{"port": "x"}');
    expect(readHostMemory(dir)).toBeUndefined();
    rmSync(dir, { recursive: true, force: true });
  });

  it('portFree sees a port taken by another listener', async () => {
    const other = createServer();
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const port = (other.address() as { port: number }).port;
    expect(await portFree(port)).toBe(false);
    await new Promise<void>((r) => other.close(() => r()));
    expect(await portFree(port)).toBe(true);
  });
});
