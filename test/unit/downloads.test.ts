// The headless host's download routes (issue 11, items 7 and 8) on a real server on loopback:
// artifacts confined to their attempt's dir, the token checked, the right headers; full logs.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/errors';
import { COMMAND_NAMES, type Handlers } from '../../src/shared/ipc';
import type { Job } from '../../src/shared/job';
import { resolveArtifact } from '../../src/main/core/artifacts/artifactAccess';
import { LogStore } from '../../src/main/core/logs/logStore';
import { disposition } from '../../src/main/headless/downloads';
import { startHeadless, type HeadlessHost } from '../../src/main/headless/server';

const TOKEN = 'download-token-0123456789abcdef';
const JOB = '3f2a9c1e-0000-4000-8000-000000000001';
const job = {
  id: JOB,
  templateName: 'Nightly Report',
  attempts: [{ number: 1 }],
} as unknown as Job;

let host: HeadlessHost;
let dataDir: string;

function get(path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    // http.request sends the path as written: no dot-segment folding, as a hostile client would.
    const req = request({ host: '127.0.0.1', port: host.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
const art = (name: string, extra = '') => `/artifacts/${JOB}/1/${name}?token=${TOKEN}${extra}`;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'jd-dl-'));
  const dir = join(dataDir, 'artifacts', JOB, '1');
  mkdirSync(join(dir, 'sub'), { recursive: true });
  writeFileSync(join(dir, 'report.txt'), 'the report\n');
  writeFileSync(join(dir, 'sub', 'page.html'), '<script>alert(1)</script>');
  writeFileSync(join(dir, 'plot.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  writeFileSync(join(dir, 'résumé €.txt'), 'accents');
  symlinkSync('/etc/passwd', join(dir, 'passwd-link'));
  writeFileSync(join(dataDir, 'secret.txt'), 'outside');
  const logs = new LogStore(dataDir, { capBytes: () => 1e9 });
  const w = logs.openWriter(JOB, 1);
  for (let i = 1; i <= 2000; i++) w.append(i % 4 === 0 ? 'stderr' : 'stdout', `line ${i}\n`);
  await w.close();

  const handlers = Object.fromEntries(
    COMMAND_NAMES.map((n) => [n, async () => { throw new AppError('NOT_FOUND', 'not in the fake'); }]),
  ) as unknown as Handlers;
  handlers['jobs.get'] = async ({ id }) => {
    if (id !== JOB) throw new AppError('NOT_FOUND', `no job ${id}`);
    return job;
  };
  const staticDir = mkdtempSync(join(tmpdir(), 'jd-dl-static-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html>');
  host = await startHeadless({ core: { handlers, onEvent: () => () => undefined, dropClient: () => undefined }, staticDir, token: TOKEN, downloads: { dataDir } });
});
afterAll(async () => host.close());

describe('GET /artifacts/<job>/<attempt>/<name>', () => {
  it('serves a file of the attempt as a download, with its type and name', async () => {
    const r = await get(art('report.txt'));
    expect(r.status).toBe(200);
    expect(r.body).toBe('the report\n');
    expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(r.headers['content-disposition']).toBe(`attachment; filename="report.txt"; filename*=UTF-8''report.txt`);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['content-length']).toBe('11');
    expect(String(r.headers['content-security-policy'])).toMatch(/^sandbox/);
  });

  it('inline only for what the page previews: text and raster images, never HTML', async () => {
    expect((await get(art('report.txt', '&inline=1'))).headers['content-disposition']).toMatch(/^inline;/);
    const png = await get(art('plot.png', '&inline=1'));
    expect([png.headers['content-type'], png.headers['content-disposition']]).toEqual(['image/png', expect.stringMatching(/^inline;/)]);
    const html = await get(art('sub/page.html', '&inline=1'));
    expect(html.status).toBe(200);
    expect(html.headers['content-disposition']).toMatch(/^attachment;/);
  });

  it('names a file with accents both ways (RFC 6266)', async () => {
    const r = await get(art(encodeURIComponent('résumé €.txt')));
    expect(r.body).toBe('accents');
    expect(r.headers['content-disposition']).toBe(`attachment; filename="r_sum_ _.txt"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%E2%82%AC.txt`);
    expect(disposition('attachment', "it's (1).txt")).toBe(`attachment; filename="it's (1).txt"; filename*=UTF-8''it%27s%20%281%29.txt`);
  });

  it.each([
    ['../../etc/passwd', `/artifacts/${JOB}/1/../../etc/passwd?token=${TOKEN}`, 400],
    ['an encoded ..', `/artifacts/${JOB}/1/..%2F..%2F..%2Fsecret.txt?token=${TOKEN}`, 400],
    ['dot segments encoded', `/artifacts/${JOB}/1/%2e%2e/%2e%2e/%2e%2e/secret.txt?token=${TOKEN}`, 400],
    ['an absolute path', `/artifacts/${JOB}/1//etc/passwd?token=${TOKEN}`, 400],
    ['an encoded absolute path', `/artifacts/${JOB}/1/%2Fetc%2Fpasswd?token=${TOKEN}`, 400],
    ['a symlink pointing out', art('passwd-link'), 400],
    ['a job id that is a path', `/artifacts/..%2F..%2F/1/secret.txt?token=${TOKEN}`, 404],
    ['a wrong token', `/artifacts/${JOB}/1/report.txt?token=wrong`, 401],
    ['no token', `/artifacts/${JOB}/1/report.txt`, 401],
    ['an attempt the job does not have', `/artifacts/${JOB}/2/report.txt?token=${TOKEN}`, 404],
    ['no such job', `/artifacts/nope/1/report.txt?token=${TOKEN}`, 404],
    ['no such file', art('missing.txt'), 404],
    ['a directory', art('sub'), 404],
  ])('refuses %s with a 4xx and nothing of the file', async (_what, path, status) => {
    const r = await get(path);
    expect(r.status).toBe(status);
    expect(r.body).not.toMatch(/root:|outside/);
    expect(r.headers['content-disposition']).toBeUndefined();
  });

  it('the same gate for every way in: resolveArtifact refuses the same names', async () => {
    for (const name of ['../../etc/passwd', '/etc/passwd', 'passwd-link', 'a\\b', 'sub/../report.txt']) {
      await expect(resolveArtifact(dataDir, JOB, 1, name)).rejects.toMatchObject({ code: 'VALIDATION' });
    }
    expect(await resolveArtifact(dataDir, JOB, 1, 'report.txt')).toBe(join(dataDir, 'artifacts', JOB, '1', 'report.txt'));
  });
});

describe('GET /logs/<job>/<attempt>', () => {
  it('the whole log as plain text, named after the job', async () => {
    const r = await get(`/logs/${JOB}/1?token=${TOKEN}&format=text`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(r.headers['content-disposition']).toMatch(/^attachment; filename="nightly-report-3f2a9c1e-1\.log"/);
    expect(r.body.split('\n').slice(0, -1)).toEqual(Array.from({ length: 2000 }, (_, i) => `line ${i + 1}`));
  });

  it('with streams and times as JSON lines, and one stream only', async () => {
    const r = await get(`/logs/${JOB}/1?token=${TOKEN}&format=json&streams=stderr`);
    expect(r.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const lines = r.body.trim().split('\n').map((l) => JSON.parse(l) as { n: number; stream: string; t: string; text: string });
    expect(lines).toHaveLength(500);
    expect(lines[0]).toMatchObject({ n: 4, stream: 'stderr', text: 'line 4', t: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
  });

  it('refuses a bad token, a bad format and a bad stream', async () => {
    expect((await get(`/logs/${JOB}/1?token=nope`)).status).toBe(401);
    expect((await get(`/logs/${JOB}/1?token=${TOKEN}&format=pdf`)).status).toBe(400);
    expect((await get(`/logs/${JOB}/1?token=${TOKEN}&streams=stdin`)).status).toBe(400);
    expect((await get(`/logs/${JOB}/3?token=${TOKEN}`)).status).toBe(404);
  });

  it('leaves every other path to the static files', async () => {
    expect((await get('/')).status).toBe(200);
  });
});
