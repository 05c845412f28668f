// The browser side of the headless transport (src/renderer/src/client/connection.ts) against the
// real WebSocket server and a fake core: connection states, the wrong-token close, reconnecting.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { startHeadless, type HeadlessHost } from '../../src/main/headless/server';
import { COMMAND_NAMES, type AppEvent, type Handlers } from '../../src/shared/ipc';
import { AppError } from '../../src/shared/errors';
import {
  backoffDelay,
  OFFLINE_MESSAGE,
  socketBridge,
  WRONG_TOKEN_MESSAGE,
  type ConnectionState,
  type OpenSocket,
  type SocketBridge,
} from '../../src/renderer/src/client/connection';

const TOKEN = 'connection-test-token-0123456789';
const FAST = { firstMs: 20, maxMs: 80 };

function fakeCore() {
  const handlers = Object.fromEntries(
    COMMAND_NAMES.map((name) => [
      name,
      async () => {
        throw new AppError('NOT_FOUND', `${name} is not in the fake`);
      },
    ]),
  ) as unknown as Handlers;
  handlers['queue.state'] = async () => ({ paused: false, running: 0, pending: 0, concurrency: 3 });
  return { handlers, onEvent: (_id: string, _l: (e: AppEvent) => void) => () => undefined, dropClient: () => undefined };
}

let staticDir: string;
let host: HeadlessHost;
let opens = 0;
const bridges: SocketBridge[] = [];

const openNode: OpenSocket = (url, h) => {
  opens++;
  const ws = new WebSocket(url);
  ws.on('open', () => h.onOpen());
  ws.on('close', (code) => h.onClose(code));
  ws.on('message', (raw) => h.onMessage(String(raw)));
  ws.on('error', () => undefined); // a refused connection: 'close' (1006) follows
  return { send: (d) => ws.send(d), close: () => ws.close() };
};

function bridgeTo(token: string): SocketBridge & { states: ConnectionState[] } {
  const b = socketBridge(`ws://127.0.0.1:${host.port}/ws?token=${token}`, openNode, FAST);
  const states: ConnectionState[] = [];
  b.connection.subscribe((s) => states.push(s));
  bridges.push(b);
  return { ...b, states };
}

const start = (port = 0) => startHeadless({ core: fakeCore(), staticDir, port, token: TOKEN });

beforeAll(async () => {
  staticDir = mkdtempSync(join(tmpdir(), 'jobdeck-connection-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html>');
  host = await start();
});
afterAll(async () => {
  for (const b of bridges) b.dispose();
  await host.close();
  rmSync(staticDir, { recursive: true, force: true });
});

describe('headless connection (browser side)', () => {
  it('backs off by doubling, capped', () => {
    expect([0, 1, 2, 3, 4, 5, 10].map((n) => backoffDelay(n))).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000]);
  });

  it('sends a command made while the first connect is under way once it opens', async () => {
    const b = bridgeTo(TOKEN);
    expect(b.connection.state).toBe('connecting');
    const r = await b.bridge.invoke('queue.state', {});
    expect(r).toEqual({ ok: true, value: { paused: false, running: 0, pending: 0, concurrency: 3 } });
    expect(b.connection.state).toBe('connected');
  });

  it('says the token is wrong, fails commands with that, and does not retry', async () => {
    // A reconnect would be a timer (connection.ts): on vitest's fake clock, moving it past any
    // backoff fires one if it was set, without waiting for the real time.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const before = opens;
    const b = bridgeTo('wrong');
    const r = await b.bridge.invoke('queue.state', {});
    expect(r).toEqual({ ok: false, error: { code: 'INTERNAL', message: WRONG_TOKEN_MESSAGE } });
    expect(b.connection.state).toBe('wrong-token');
    await vi.advanceTimersByTimeAsync(5 * FAST.maxMs);
    vi.useRealTimers();
    expect(opens - before).toBe(1);
    expect(b.states).toEqual(['wrong-token']);
  });

  it('goes offline when the host goes, fails commands at once, and reconnects by itself when it returns', async () => {
    const b = bridgeTo(TOKEN);
    await expect.poll(() => b.connection.state).toBe('connected');
    const port = host.port;
    await host.close();
    await expect.poll(() => b.connection.state).toBe('offline');
    expect(await b.bridge.invoke('queue.state', {})).toEqual({ ok: false, error: { code: 'INTERNAL', message: OFFLINE_MESSAGE } });
    // Several attempts fail while it is away; then the same address answers again.
    const before = opens;
    await expect.poll(() => opens - before).toBeGreaterThanOrEqual(2);
    host = await start(port);
    await expect.poll(() => b.connection.state).toBe('connected');
    expect(b.states).toEqual(['connected', 'offline', 'connected']);
    expect((await b.bridge.invoke('queue.state', {})).ok).toBe(true);
  });
});
