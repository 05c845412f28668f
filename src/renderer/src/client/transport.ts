import {
  BRIDGE_GLOBAL,
  type AppEvent,
  type Bridge,
  type CommandName,
  type Result,
  type WsServerMessage,
} from '../../../shared/ipc';

/**
 * The Electron preload puts the bridge on window; in a browser (the headless host) the same
 * contract runs over a WebSocket with the token from the page's URL. Nothing else in the
 * renderer knows which one it has.
 */
export function pickBridge(): Bridge {
  const fromPreload = (window as unknown as Record<string, Bridge | undefined>)[BRIDGE_GLOBAL];
  return fromPreload ?? webSocketBridge();
}

function webSocketBridge(): Bridge {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws?token=${encodeURIComponent(token)}`;
  const listeners = new Set<(e: AppEvent) => void>();
  const waiting = new Map<number, (r: Result<unknown>) => void>();
  let nextId = 1;
  let socket: WebSocket | undefined;
  let ready: Promise<WebSocket> | undefined;

  const connect = (): Promise<WebSocket> => {
    ready ??= new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onopen = () => {
        socket = ws;
        resolve(ws);
      };
      ws.onerror = () => reject(new Error('cannot reach the Jobdeck host (is the token in the URL right?)'));
      ws.onclose = () => {
        socket = undefined;
        ready = undefined;
        for (const [, done] of waiting) done({ ok: false, error: { code: 'INTERNAL', message: 'connection to the Jobdeck host closed' } });
        waiting.clear();
        // Reconnect so events resume after a host restart; commands retry on their own call.
        setTimeout(() => void connect().catch(() => undefined), 1000);
      };
      ws.onmessage = (m) => {
        const msg = JSON.parse(String(m.data)) as WsServerMessage;
        if (msg.type === 'event') {
          for (const l of listeners) l(msg.event);
        } else {
          waiting.get(msg.id)?.(msg.result);
          waiting.delete(msg.id);
        }
      };
    });
    return ready;
  };
  void connect().catch(() => undefined);

  return {
    async invoke(command: CommandName, input: unknown): Promise<Result<unknown>> {
      const ws = socket ?? (await connect());
      const id = nextId++;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        ws.send(JSON.stringify({ type: 'invoke', id, command, input }));
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
