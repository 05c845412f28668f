// The headless host's WebSocket as a Bridge, with the connection state the UI shows. DOM-free:
// the socket comes from a factory (the browser's WebSocket in transport.ts, `ws` in the unit test).
import { type AppEvent, type Bridge, type CommandName, type Result } from '../../../shared/ipc';
import { WRONG_TOKEN_CLOSE, type WsServerMessage } from '../../../shared/wsProtocol';

/**
 * connecting: the first attempt after the page loaded (commands wait for it);
 * connected; offline: the host went away or never answered (retrying with backoff);
 * wrong-token: the host refused the token in the address (retrying cannot help).
 */
export type ConnectionState = 'connecting' | 'connected' | 'offline' | 'wrong-token';

export interface Connection {
  readonly state: ConnectionState;
  subscribe(listener: (state: ConnectionState) => void): () => void;
}

export interface SocketHandlers {
  onOpen(): void;
  onClose(code: number): void;
  onMessage(data: string): void;
}
export interface SocketLike {
  send(data: string): void;
  close(): void;
}
export type OpenSocket = (url: string, handlers: SocketHandlers) => SocketLike;

export interface Backoff {
  firstMs: number;
  maxMs: number;
}
/** 250 ms, doubling, capped at 5 s: a restarted host is found within seconds, a dead one is not hammered. */
export const BACKOFF: Backoff = { firstMs: 250, maxMs: 5000 };
export const backoffDelay = (attempt: number, b: Backoff = BACKOFF): number => Math.min(b.maxMs, b.firstMs * 2 ** attempt);

export const OFFLINE_MESSAGE = 'Not connected to Jobdeck — retrying…';
export const WRONG_TOKEN_MESSAGE = 'The token in this address is wrong — open the URL the host printed';

/** A Connection that never changes: the Electron preload has no connection to lose. */
export const ALWAYS_CONNECTED: Connection = { state: 'connected', subscribe: () => () => undefined };

export interface SocketBridge {
  bridge: Bridge;
  connection: Connection;
  /** Stops reconnecting and closes the socket (tests). */
  dispose(): void;
}

export function socketBridge(url: string, open: OpenSocket, backoff: Backoff = BACKOFF): SocketBridge {
  const listeners = new Set<(e: AppEvent) => void>();
  const stateListeners = new Set<(s: ConnectionState) => void>();
  /** Commands sent and not answered yet. */
  const waiting = new Map<number, (r: Result<unknown>) => void>();
  /** Commands made during the first connect: sent once it opens. */
  const queued: { id: number; frame: string; done: (r: Result<unknown>) => void }[] = [];
  let nextId = 1;
  let state: ConnectionState = 'connecting';
  let socket: SocketLike | undefined;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;

  const notConnected = (): Result<unknown> => ({
    ok: false,
    error: { code: 'INTERNAL', message: state === 'wrong-token' ? WRONG_TOKEN_MESSAGE : OFFLINE_MESSAGE },
  });
  const setState = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    for (const l of stateListeners) l(next);
  };

  const connect = () => {
    if (disposed) return;
    let opened = false;
    const ws = open(url, {
      // An open socket is not yet a welcome: a wrong token opens too and is closed at once.
      onOpen() {},
      onClose(code) {
        if (socket === ws) socket = undefined;
        const lost: Result<unknown> = { ok: false, error: { code: 'INTERNAL', message: 'The connection to Jobdeck closed before it answered' } };
        for (const [, done] of waiting) done(opened ? lost : notConnected());
        waiting.clear();
        if (code === WRONG_TOKEN_CLOSE) {
          setState('wrong-token');
        } else {
          setState('offline');
          if (!disposed) timer = setTimeout(connect, backoffDelay(attempt++, backoff));
        }
        for (const q of queued.splice(0)) q.done(notConnected());
      },
      onMessage(data) {
        const msg = JSON.parse(data) as WsServerMessage;
        if (msg.type === 'ready') {
          opened = true;
          socket = ws;
          attempt = 0;
          for (const q of queued.splice(0)) {
            waiting.set(q.id, q.done);
            ws.send(q.frame);
          }
          setState('connected');
        } else if (msg.type === 'event') {
          for (const l of listeners) l(msg.event);
        } else {
          waiting.get(msg.id)?.(msg.result);
          waiting.delete(msg.id);
        }
      },
    });
  };
  connect();

  const bridge: Bridge = {
    invoke(command: CommandName, input: unknown): Promise<Result<unknown>> {
      const id = nextId++;
      const frame = JSON.stringify({ type: 'invoke', id, command, input });
      return new Promise((resolve) => {
        if (socket && state === 'connected') {
          waiting.set(id, resolve);
          socket.send(frame);
        } else if (state === 'connecting') {
          queued.push({ id, frame, done: resolve });
        } else {
          resolve(notConnected());
        }
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    bridge,
    connection: {
      get state() {
        return state;
      },
      subscribe(listener) {
        stateListeners.add(listener);
        return () => stateListeners.delete(listener);
      },
    },
    dispose() {
      disposed = true;
      clearTimeout(timer);
      socket?.close();
    },
  };
}
