import { BRIDGE_GLOBAL, type Bridge } from '../../../shared/ipc';
import { ALWAYS_CONNECTED, socketBridge, type Connection, type OpenSocket } from './connection';

/** The browser's WebSocket behind connection.ts's small socket interface. */
const openBrowserSocket: OpenSocket = (url, h) => {
  const ws = new WebSocket(url);
  ws.onopen = () => h.onOpen();
  ws.onclose = (e) => h.onClose(e.code);
  ws.onmessage = (m) => h.onMessage(String(m.data));
  return { send: (d) => ws.send(d), close: () => ws.close() };
};

/**
 * The Electron preload puts the bridge on window; in a browser (the headless host) the same
 * contract runs over a WebSocket with the token from the page's URL. Nothing else in the
 * renderer knows which one it has; the connection state says whether the host is there.
 */
export function pickTransport(): { bridge: Bridge; connection: Connection } {
  const fromPreload = (window as unknown as Record<string, Bridge | undefined>)[BRIDGE_GLOBAL];
  if (fromPreload) return { bridge: fromPreload, connection: ALWAYS_CONNECTED };
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws?token=${encodeURIComponent(token)}`;
  return socketBridge(url, openBrowserSocket);
}
