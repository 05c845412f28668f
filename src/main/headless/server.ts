import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { processUser } from '../core/audit/audit';
import type { Jobdeck } from '../core/jobdeck';
import { createDispatcher } from '../ipc/dispatch';
import { serveDownload } from './downloads';
import { serveMetrics } from './metricsRoute';
import { WRONG_TOKEN_CLOSE, WsClientMessage, type WsServerMessage } from '../../shared/wsProtocol';

export interface HeadlessOptions {
  core: Pick<Jobdeck, 'handlers' | 'onEvent' | 'dropClient'>;
  /** The built renderer (out/renderer). */
  staticDir: string;
  port?: number;
  /** Fixed token for tests; random otherwise. */
  token?: string;
  /** Serve artifact and full-log downloads from this data dir (downloads.ts). */
  downloads?: { dataDir: string };
}

export interface HeadlessHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self' ws://127.0.0.1:*; font-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function sameToken(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The same core and contract as the Electron app, over HTTP + WebSocket on 127.0.0.1 only.
 * Every WebSocket must carry the token of the printed URL and come from our own origin.
 */
export async function startHeadless(opts: HeadlessOptions): Promise<HeadlessHost> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const dispatch = createDispatcher(opts.core.handlers, (command, error) =>
    process.stderr.write(`jobdeck: ${command} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`),
  );
  const downloads = opts.downloads && {
    dataDir: opts.downloads.dataDir,
    handlers: opts.core.handlers,
    tokenOk: (given: string | null) => sameToken(given, token),
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (downloads && (await serveDownload(req, res, downloads))) return;
      if (await serveMetrics(req, res, { handlers: opts.core.handlers, tokenOk: (given) => sameToken(given, token) })) return;
      await serveStatic(opts.staticDir, req, res);
    })();
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 10 * 1024 * 1024 });
  let origin = '';

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const refuse = (code: number, why: string) => {
      socket.end(`HTTP/1.1 ${code} ${why}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) return refuse(403, 'Forbidden');
    if (url.pathname !== '/ws') return refuse(404, 'Not Found');
    // Browsers always send Origin: a page elsewhere cannot ride on a leaked token, nor learn
    // whether a token it guessed is wrong.
    if (req.headers.origin !== undefined && req.headers.origin !== origin) return refuse(403, 'Forbidden');
    if (!sameToken(url.searchParams.get('token'), token)) {
      // A browser sees a refused upgrade only as a failed connection, the same as a host that is
      // down. Accepting it and closing at once with WRONG_TOKEN_CLOSE tells the page why, and the
      // socket carries nothing else: no listener reads what it sends.
      wss.handleUpgrade(req, socket, head, (ws) => {
        ws.on('error', () => ws.terminate());
        ws.close(WRONG_TOKEN_CLOSE, 'wrong token');
      });
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => connection(ws));
  });

  const user = processUser();
  function connection(ws: WebSocket): void {
    const clientId = randomUUID();
    const send = (m: WsServerMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
    };
    const off = opts.core.onEvent(clientId, (event) => send({ type: 'event', event }));
    send({ type: 'ready' });
    ws.on('message', (raw) => {
      let parsed: ReturnType<typeof WsClientMessage.safeParse>;
      try {
        parsed = WsClientMessage.safeParse(JSON.parse(String(raw)));
      } catch {
        parsed = WsClientMessage.safeParse(undefined);
      }
      if (!parsed.success) {
        send({ type: 'result', id: -1, result: { ok: false, error: { code: 'VALIDATION', message: 'not a Jobdeck message' } } });
        return;
      }
      const { id, command, input } = parsed.data;
      // The page in a browser is the 'browser' client of the audit trail; the host's user runs it.
      void dispatch(command, input, { clientId, client: 'browser', user }).then((result) => send({ type: 'result', id, result }));
    });
    // An oversized or malformed frame makes ws emit 'error' (then close with 1009/1002); without a
    // listener that error would take the whole host down.
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      off();
      opts.core.dropClient(clientId);
    });
  }

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    port,
    token,
    async close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const headers = {
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, headers).end();
    return;
  }
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
  const file = normalize(join(root, path === '/' ? 'index.html' : path));
  if (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep)) {
    res.writeHead(403, headers).end();
    return;
  }
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new Error('not a file');
    res.writeHead(200, { ...headers, 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream', 'Content-Length': s.size });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  } catch {
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found');
  }
}
