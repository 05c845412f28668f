// The third transport beside ipcMain and the WebSocket: the same contract over a local socket,
// one JSON message per line. No token: the socket is 0600 in a 0700 directory of this user, so
// only this user (and root) can connect, and the peer is this user.
import { randomUUID } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import type { Jobdeck } from '../core/jobdeck';
import { createDispatcher } from '../ipc/dispatch';
import { type CallContext } from '../../shared/ipc';
import { WsClientMessage, type WsServerMessage } from '../../shared/wsProtocol';
import { SOCKET_MAX_LINE, SocketHello } from '../../shared/socket';
import { socketPlace, type SocketPlace } from './socketPath';

export interface SocketHost {
  path: string;
  /** Connections open now. */
  connections(): number;
  /** Take no new connections; the open ones go on. */
  stopAccepting(): Promise<void>;
  /** Resolves once no connection is open. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface SocketOptions {
  core: Pick<Jobdeck, 'handlers' | 'onEvent' | 'dropClient'>;
  dataDir: string;
  /** Where to listen instead of socketPlace's choice (tests). */
  place?: SocketPlace;
}

const uid = () => process.getuid?.() ?? -1;

/** A directory only this user can enter; one someone else made (in /tmp, say) is refused. */
export function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const s = lstatSync(dir);
  if (!s.isDirectory() || s.isSymbolicLink()) throw new Error(`${dir} must be a directory, not a link or a file`);
  if (uid() >= 0 && s.uid !== uid()) throw new Error(`${dir} belongs to another user (uid ${s.uid}): Jobdeck will not put its socket there`);
  if ((s.mode & 0o777) !== 0o700) chmodSync(dir, 0o700);
}

/** A socket file left by a process that is gone answers nothing: remove it. One that answers is in use. */
async function clearStale(path: string): Promise<void> {
  try {
    lstatSync(path);
  } catch {
    return;
  }
  const answers = await new Promise<boolean>((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (answers) throw new Error(`another process already listens on ${path}`);
  unlinkSync(path);
}

export async function startSocket(opts: SocketOptions): Promise<SocketHost> {
  const place = opts.place ?? socketPlace(opts.dataDir, { platform: process.platform, env: process.env, tmpdir: tmpdir(), uid: uid() });
  if (place.dir) privateDir(place.dir);
  if (process.platform !== 'win32') await clearStale(place.path);
  const user = userInfo().username;
  const dispatch = createDispatcher(opts.core.handlers, (command, error) =>
    process.stderr.write(`jobdeck: ${command} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`),
  );
  const open = new Set<Socket>();
  let idleWaiters: (() => void)[] = [];
  const server: Server = createServer((socket) => {
    open.add(socket);
    const ctx: CallContext = { clientId: randomUUID(), client: 'api', user };
    const send = (m: WsServerMessage) => {
      if (socket.destroyed || !socket.writable) return;
      socket.write(`${JSON.stringify(m)}\n`);
      // A client that stops reading is dropped rather than buffered without bound.
      if (socket.writableLength > SOCKET_MAX_LINE) socket.destroy();
    };
    const off = opts.core.onEvent(ctx.clientId, (event) => send({ type: 'event', event }));
    send({ type: 'ready' });
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      buffer += text;
      if (buffer.length > SOCKET_MAX_LINE) return void socket.destroy();
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.trim()) onLine(line);
      }
    });
    const onLine = (line: string) => {
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch {
        raw = undefined;
      }
      if (SocketHello.safeParse(raw).success) {
        ctx.client = 'cli';
        return;
      }
      const parsed = WsClientMessage.safeParse(raw);
      if (!parsed.success) {
        send({ type: 'result', id: -1, result: { ok: false, error: { code: 'VALIDATION', message: 'not a Jobdeck message' } } });
        return;
      }
      const { id, command, input } = parsed.data;
      void dispatch(command, input, { ...ctx }).then((result) => send({ type: 'result', id, result }));
    };
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      off();
      opts.core.dropClient(ctx.clientId);
      open.delete(socket);
      if (open.size === 0) for (const w of idleWaiters.splice(0)) w();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(place.path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // In a 0700 directory already; 0600 on the file as well, for whoever checks the file alone.
  if (process.platform !== 'win32') chmodSync(place.path, 0o600);
  // net.Server.close stops listening at once (and removes a Unix socket's file); it calls back
  // once the open connections have ended too.
  const closed = new Promise<void>((resolve) => server.once('close', () => resolve()));
  let listening = true;
  const stopAccepting = async () => {
    if (!listening) return;
    listening = false;
    server.close();
  };
  const idle = () => (open.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve)));
  return {
    path: place.path,
    connections: () => open.size,
    stopAccepting,
    idle,
    async close() {
      await stopAccepting();
      for (const s of open) s.destroy();
      await closed;
      idleWaiters = [];
    },
  };
}
