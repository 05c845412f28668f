// A real HTTP receiver on loopback for the notification tests: records every request, answers
// what the test says (a status, or never), and dedupes by Idempotency-Key as a careful receiver does.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  at: number;
}

export type Answer = number | 'hang';

export interface Receiver {
  url: string;
  port: number;
  requests: Received[];
  /** Each request takes the next answer; when they run out, `fallback` (default 200). */
  answers: Answer[];
  fallback: Answer;
  /** Requests with a key seen before (a receiver honouring the key would drop them). */
  duplicates(): Received[];
  /** Distinct keys delivered with a 2xx. */
  acceptedKeys(): string[];
  /** Resolves when `n` requests have arrived. */
  waitFor(n: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

/** `port`: listen on this one (a receiver that comes back up where it was). */
export async function startReceiver(port = 0): Promise<Receiver> {
  const requests: Received[] = [];
  const accepted = new Set<string>();
  const hanging = new Set<ServerResponse>();
  const waiters: (() => void)[] = [];
  const r: Receiver = {
    url: '',
    port: 0,
    requests,
    answers: [],
    fallback: 200,
    duplicates: () => requests.filter((q, i) => requests.findIndex((p) => p.headers['idempotency-key'] === q.headers['idempotency-key']) !== i),
    acceptedKeys: () => [...accepted],
    waitFor: (n, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (requests.length < n) return false;
          clearTimeout(timer);
          resolve(requests.slice(0, n));
          return true;
        };
        const timer = setTimeout(() => reject(new Error(`receiver got ${requests.length} of ${n} requests`)), timeoutMs);
        const again = () => {
          if (!check()) waiters.push(again);
        };
        if (!check()) waiters.push(again);
      }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      const answer = r.answers.length ? r.answers.shift()! : r.fallback;
      for (const w of waiters.splice(0)) w();
      if (answer === 'hang') {
        hanging.add(res);
        return;
      }
      if (answer >= 200 && answer < 300 && headers['idempotency-key']) accepted.add(headers['idempotency-key']);
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  r.port = (server.address() as AddressInfo).port;
  r.url = `http://127.0.0.1:${r.port}/hook`;
  return r;
}
