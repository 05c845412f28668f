// The headless transport against a fake core: token, origin, framing and errors, no engine needed.
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AppError } from '../../src/shared/errors';
import { COMMAND_NAMES, type AppEvent, type Handlers } from '../../src/shared/ipc';
import { WRONG_TOKEN_CLOSE, type WsServerMessage } from '../../src/shared/wsProtocol';
import { startHeadless, type HeadlessHost } from '../../src/main/headless/server';

const TOKEN = 'test-token-0123456789abcdefghij';

/** Every command answers NOT_FOUND except queue.state; records who asked. */
function fakeCore() {
  const listeners = new Map<string, (e: AppEvent) => void>();
  const dropped: string[] = [];
  const calls: { command: string; clientId: string }[] = [];
  const handlers = Object.fromEntries(
    COMMAND_NAMES.map((name) => [
      name,
      async (_args: unknown, ctx: { clientId: string }) => {
        calls.push({ command: name, clientId: ctx.clientId });
        throw new AppError('NOT_FOUND', `${name} is not in the fake`);
      },
    ]),
  ) as unknown as Handlers;
  handlers['queue.state'] = async (_args, ctx) => {
    calls.push({ command: 'queue.state', clientId: ctx.clientId });
    return { paused: false, running: 1, pending: 2, concurrency: 4 };
  };
  return {
    listeners,
    dropped,
    calls,
    core: {
      handlers,
      onEvent(clientId: string, listener: (e: AppEvent) => void) {
        listeners.set(clientId, listener);
        return () => listeners.delete(clientId);
      },
      dropClient(clientId: string) {
        dropped.push(clientId);
      },
    },
  };
}

let host: HeadlessHost;
let fake: ReturnType<typeof fakeCore>;
let staticDir: string;

beforeAll(async () => {
  staticDir = mkdtempSync(join(tmpdir(), 'jobdeck-headless-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Jobdeck</title>');
  writeFileSync(join(tmpdir(), 'jobdeck-headless-secret.txt'), 'secret');
  fake = fakeCore();
  host = await startHeadless({ core: fake.core, staticDir, port: 0, token: TOKEN });
});

afterAll(async () => {
  await host.close();
  rmSync(staticDir, { recursive: true, force: true });
});

const origin = () => `http://127.0.0.1:${host.port}`;

function get(path: string, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Resolves with the socket once open, or with the HTTP status the upgrade was refused with. */
function connect(path: string, headers: Record<string, string> = { Origin: origin() }): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}${path}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', reject);
  });
}

/** Opens a socket (sending `send` once open), and resolves with how it was closed and what came before. */
function closedWith(path: string, send?: string): Promise<{ code: number; reason: string; messages: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}${path}`, { headers: { Origin: origin() } });
    let messages = 0;
    ws.on('open', () => send && ws.send(send));
    ws.on('message', () => messages++);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused at the upgrade with ${res.statusCode}`)));
    ws.once('error', reject);
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString(), messages }));
  });
}

async function open(): Promise<{ ws: WebSocket; next: () => Promise<WsServerMessage> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${TOKEN}`, { headers: { Origin: origin() } });
  const queue: WsServerMessage[] = [];
  const waiters: ((m: WsServerMessage) => void)[] = [];
  // Listening before 'open': the host's first message may come in the same read as the upgrade.
  ws.on('message', (raw) => {
    const m = JSON.parse(String(raw)) as WsServerMessage;
    const w = waiters.shift();
    if (w) w(m);
    else queue.push(m);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
    ws.once('error', reject);
  });
  const next = () => new Promise<WsServerMessage>((resolve) => {
    const m = queue.shift();
    if (m) resolve(m);
    else waiters.push(resolve);
  });
  // An accepted socket is welcomed first: that is how a page knows it is connected.
  expect(await next()).toEqual({ type: 'ready' });
  return { ws, next };
}

describe('headless host: HTTP', () => {
  it('prints a loopback URL carrying the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${TOKEN}`);
  });

  it('serves the renderer with a strict CSP and nosniff', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>Jobdeck</title>');
    expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'");
    expect(String(res.headers['content-security-policy'])).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves only existing files under its directory', async () => {
    expect((await get('/missing.js')).status).toBe(404);
    const traversal = await get('/..%2fjobdeck-headless-secret.txt');
    expect([403, 404]).toContain(traversal.status);
    expect(traversal.body).not.toContain('secret');
    expect((await get('/%2e%2e/%2e%2e/etc/passwd')).body).not.toContain('root:');
  });

  it('answers only GET (and HEAD)', async () => {
    expect((await get('/', 'POST')).status).toBe(405);
  });
});

describe('headless host: WebSocket', () => {
  it('closes a socket without the token with 4401, distinguishable from a host that is down', async () => {
    expect(await closedWith('/ws')).toEqual({ code: WRONG_TOKEN_CLOSE, reason: 'wrong token', messages: 0 });
  });

  it('closes a wrong token with 4401, also one of the same length, and runs nothing it sent', async () => {
    expect(await closedWith('/ws?token=nope')).toEqual({ code: WRONG_TOKEN_CLOSE, reason: 'wrong token', messages: 0 });
    const before = fake.calls.length;
    const listeners = fake.listeners.size;
    const invoke = JSON.stringify({ type: 'invoke', id: 1, command: 'queue.state', input: {} });
    expect(await closedWith(`/ws?token=${'x'.repeat(TOKEN.length)}`, invoke)).toEqual({ code: WRONG_TOKEN_CLOSE, reason: 'wrong token', messages: 0 });
    expect(fake.calls.length).toBe(before);
    expect(fake.listeners.size).toBe(listeners);
  });

  it('refuses a wrong token from a foreign Origin at the upgrade (it learns nothing)', async () => {
    expect(await connect('/ws?token=nope', { Origin: 'http://evil.example' })).toBe(403);
  });

  it('refuses a foreign Origin even with the token', async () => {
    expect(await connect(`/ws?token=${TOKEN}`, { Origin: 'http://evil.example' })).toBe(403);
    expect(await connect(`/ws?token=${TOKEN}`, { Origin: 'http://localhost:1' })).toBe(403);
  });

  it('runs a command and answers with its id', async () => {
    const { ws, next } = await open();
    ws.send(JSON.stringify({ type: 'invoke', id: 7, command: 'queue.state', input: {} }));
    expect(await next()).toEqual({ type: 'result', id: 7, result: { ok: true, value: { paused: false, running: 1, pending: 2, concurrency: 4 } } });
    ws.close();
  });

  it('answers an unknown command with UNKNOWN_COMMAND', async () => {
    const { ws, next } = await open();
    ws.send(JSON.stringify({ type: 'invoke', id: 1, command: 'fs.readFile', input: { path: '/etc/passwd' } }));
    const m = await next();
    expect(m.type === 'result' && !m.result.ok && m.result.error.code).toBe('UNKNOWN_COMMAND');
    ws.close();
  });

  it('answers bad input with VALIDATION and issues, without calling the handler', async () => {
    const { ws, next } = await open();
    const before = fake.calls.length;
    ws.send(JSON.stringify({ type: 'invoke', id: 2, command: 'jobs.get', input: { id: 42 } }));
    const m = await next();
    expect(m.type === 'result' && !m.result.ok && m.result.error.code).toBe('VALIDATION');
    expect(m.type === 'result' && !m.result.ok && m.result.error.issues?.[0]?.path).toBe('id');
    expect(fake.calls.length).toBe(before);
    ws.close();
  });

  it('passes a thrown AppError through as its code', async () => {
    const { ws, next } = await open();
    ws.send(JSON.stringify({ type: 'invoke', id: 3, command: 'jobs.get', input: { id: 'j1' } }));
    const m = await next();
    expect(m.type === 'result' && !m.result.ok && m.result.error.code).toBe('NOT_FOUND');
    ws.close();
  });

  it('survives frames that are not JSON or not Jobdeck messages', async () => {
    const { ws, next } = await open();
    ws.send('{not json');
    const a = await next();
    expect(a.type === 'result' && !a.result.ok && a.result.error.code).toBe('VALIDATION');
    ws.send(JSON.stringify({ type: 'hello' }));
    const b = await next();
    expect(b.type === 'result' && !b.result.ok).toBe(true);
    ws.send(JSON.stringify({ type: 'invoke', id: 9, command: 'queue.state', input: {} }));
    const c = await next();
    expect(c.type === 'result' && c.id === 9 && c.result.ok).toBe(true);
    ws.close();
  });

  it('forwards the core events of its own client, and drops the client on close', async () => {
    const { ws, next } = await open();
    // The client id is what the core saw on the first call of this socket.
    ws.send(JSON.stringify({ type: 'invoke', id: 1, command: 'queue.state', input: {} }));
    await next();
    const clientId = fake.calls[fake.calls.length - 1]!.clientId;
    const listener = fake.listeners.get(clientId);
    expect(listener).toBeDefined();
    const event: AppEvent = { name: 'queue.state', payload: { paused: true, running: 0, pending: 0, concurrency: 4 } };
    listener!(event);
    expect(await next()).toEqual({ type: 'event', event });
    ws.close();
    await expect.poll(() => fake.dropped.includes(clientId)).toBe(true);
    expect(fake.listeners.has(clientId)).toBe(false);
  });

  it('gives each connection its own client id', async () => {
    const a = await open();
    const b = await open();
    a.ws.send(JSON.stringify({ type: 'invoke', id: 1, command: 'queue.state', input: {} }));
    await a.next();
    const idA = fake.calls[fake.calls.length - 1]!.clientId;
    b.ws.send(JSON.stringify({ type: 'invoke', id: 1, command: 'queue.state', input: {} }));
    await b.next();
    const idB = fake.calls[fake.calls.length - 1]!.clientId;
    expect(idA).not.toBe(idB);
    a.ws.close();
    b.ws.close();
  });

  it('closes a socket that sends more than the message size cap', async () => {
    const ws = await connect(`/ws?token=${TOKEN}`);
    if (typeof ws === 'number') throw new Error('refused');
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.on('error', () => undefined);
    ws.send('x'.repeat(11 * 1024 * 1024));
    expect(await closed).toBe(1009);
  });
});
