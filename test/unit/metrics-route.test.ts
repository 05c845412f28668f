// GET /metrics on the headless host: the core's metrics.text, behind the host's token (a bearer
// header as Prometheus sends it, or ?token=), GET only.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_NAMES, type Handlers } from '../../src/shared/ipc';
import { startHeadless, type HeadlessHost } from '../../src/main/headless/server';

const TOKEN = 'metrics-token-0123456789abcdef';
const TEXT = '# HELP jobdeck_jobs_running Attempts running now.\n# TYPE jobdeck_jobs_running gauge\njobdeck_jobs_running 3\n';

let host: HeadlessHost;
let staticDir: string;
const asked: string[] = [];

beforeAll(async () => {
  staticDir = mkdtempSync(join(tmpdir(), 'jobdeck-metrics-route-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Jobdeck</title>');
  const handlers = Object.fromEntries(COMMAND_NAMES.map((n) => [n, async () => Promise.reject(new Error(`${n} not in the fake`))])) as unknown as Handlers;
  handlers['metrics.text'] = async (_args, ctx) => {
    asked.push(`${ctx.client}`);
    return { contentType: 'text/plain; version=0.0.4; charset=utf-8', text: TEXT };
  };
  host = await startHeadless({ core: { handlers, onEvent: () => () => undefined, dropClient: () => undefined }, staticDir, port: 0, token: TOKEN });
});
afterAll(async () => {
  await host.close();
  rmSync(staticDir, { recursive: true, force: true });
});

const get = (path: string, init: RequestInit = {}) => fetch(`http://127.0.0.1:${host.port}${path}`, init);

describe('GET /metrics', () => {
  it('answers the Prometheus text with the bearer token, as a scraper sends it', async () => {
    const res = await get('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await res.text()).toBe(TEXT);
    expect(asked.at(-1)).toBe('api');
  });

  it('takes the token of the printed URL too', async () => {
    const res = await get(`/metrics?token=${TOKEN}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(TEXT);
  });

  it('refuses a missing or wrong token with 401 and says how to send it', async () => {
    for (const init of [{}, { headers: { authorization: 'Bearer wrong' } }, { headers: { authorization: `Basic ${TOKEN}` } }]) {
      const res = await get('/metrics', init);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="jobdeck"');
      expect(await res.text()).toContain('Authorization: Bearer <token>');
    }
    expect((await get('/metrics?token=nope')).status).toBe(401);
  });

  it('is GET only', async () => {
    const res = await get(`/metrics?token=${TOKEN}`, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });
});
