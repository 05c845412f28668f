import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Handlers } from '../../shared/ipc';

export interface MetricsRouteOptions {
  handlers: Pick<Handlers, 'metrics.text'>;
  /** True when the request carries the host's token. */
  tokenOk(given: string | null): boolean;
}

const HEADERS = { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' };
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** The token of a request: `Authorization: Bearer …` (Prometheus' bearer_token / authorization), else `?token=`. */
export function requestToken(req: IncomingMessage, params: URLSearchParams): string | null {
  const auth = req.headers.authorization;
  const bearer = auth === undefined ? undefined : /^Bearer\s+(\S+)\s*$/i.exec(auth)?.[1];
  return bearer ?? params.get('token');
}

/**
 * GET /metrics: the core's metrics as Prometheus text (metrics.text), for a scraper on this
 * machine. Token-checked like the host's other routes; answers false for any other path.
 */
export async function serveMetrics(req: IncomingMessage, res: ServerResponse, o: MetricsRouteOptions): Promise<boolean> {
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  if ((q < 0 ? raw : raw.slice(0, q)) !== '/metrics') return false;
  const fail = (code: number, message: string, extra: Record<string, string> = {}) => {
    res.writeHead(code, { ...HEADERS, ...extra, 'Content-Type': 'text/plain; charset=utf-8' }).end(`${message}\n`);
    return true;
  };
  if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) return fail(403, 'only from this machine');
  if (req.method !== 'GET' && req.method !== 'HEAD') return fail(405, 'only GET', { Allow: 'GET, HEAD' });
  if (!o.tokenOk(requestToken(req, new URLSearchParams(q < 0 ? '' : raw.slice(q + 1))))) {
    return fail(401, 'the token is missing or wrong: send Authorization: Bearer <token> (the token of the URL the host printed)', { 'WWW-Authenticate': 'Bearer realm="jobdeck"' });
  }
  try {
    const { contentType, text } = await o.handlers['metrics.text']({}, { clientId: 'metrics-scrape', client: 'api' });
    res.writeHead(200, { ...HEADERS, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
    res.end(req.method === 'HEAD' ? undefined : text);
  } catch (error) {
    fail(500, `metrics failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return true;
}
