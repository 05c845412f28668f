// Probes on a busy machine: an engine that hangs must not hold the app's start (a headless host
// waited minutes for Podman's /version, which runs a package query per component each call), and
// the version is asked once per time the engine is up, not at every probe.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerEngine } from '../../src/main/core/engines/dockerEngine';
import { EngineRegistry } from '../../src/main/core/engines/registry';

const dir = mkdtempSync(join(tmpdir(), 'jobdeck-probe-'));
const servers: Server[] = [];
afterAll(() => {
  for (const s of servers) s.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A Docker-like engine on a unix socket; `hang` answers nothing at all. */
async function engine(name: string, hang = false) {
  const calls: string[] = [];
  const server = createServer((req, res) => {
    calls.push(req.url ?? '');
    if (hang) return;
    if (req.url?.endsWith('/libpod/_ping')) return res.writeHead(404).end('{"message":"page not found"}');
    if (req.url?.endsWith('/_ping')) return res.writeHead(200).end('OK');
    if (req.url?.endsWith('/version')) return res.writeHead(200, { 'content-type': 'application/json' }).end('{"Version":"20.10.24","ApiVersion":"1.41"}');
    res.writeHead(404).end('{}');
  });
  const path = join(dir, `${name}.sock`);
  await new Promise<void>((resolve) => server.listen(path, resolve));
  servers.push(server);
  return { host: `unix://${path}`, calls };
}

describe('engine probes', () => {
  it('a hung engine is unavailable after the deadline, and the other engines are listed meanwhile', async () => {
    const ok = await engine('ok');
    const hung = await engine('hung', true);
    const r = new EngineRegistry(
      { env: {}, socketCandidates: [{ kind: 'docker', host: ok.host }, { kind: 'podman', host: hung.host }] },
      (c) => dockerEngine(c, { artifactsDir: () => dir }),
      () => undefined,
      300,
    );
    const started = Date.now();
    const list = await r.refresh([]);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(list.find((e) => e.host === ok.host)).toMatchObject({ status: 'available', version: '20.10.24' });
    expect(list.find((e) => e.host === hung.host)).toMatchObject({ status: 'unavailable', error: expect.stringContaining('did not answer within') });
    r.close();
  });

  it('Test connection to an address that takes the connection and never answers: the failure after the deadline, in words', async () => {
    const hung = await engine('test-hung', true);
    const r = new EngineRegistry({ env: {}, socketCandidates: [] }, (c) => dockerEngine(c, { artifactsDir: () => dir }), () => undefined, 300);
    expect(await r.test({ id: 'try', kind: 'docker', host: hung.host, source: 'settings' })).toEqual({ ok: false, error: 'did not answer within 300 ms' });
    r.close();
  });

  it('asks the version once while the engine stays up', async () => {
    const ok = await engine('once');
    const r = new EngineRegistry({ env: {}, socketCandidates: [{ kind: 'docker', host: ok.host }] }, (c) => dockerEngine(c, { artifactsDir: () => dir }), () => undefined);
    const [info] = await r.refresh([]);
    for (let i = 0; i < 3; i++) await r.probe(r.get(info!.id)!);
    expect(ok.calls.filter((u) => u.endsWith('/version'))).toHaveLength(1);
    expect(ok.calls.filter((u) => u.endsWith('/_ping') && !u.includes('libpod'))).toHaveLength(4);
    expect(r.list()[0]).toMatchObject({ status: 'available', version: '20.10.24', apiVersion: '1.41' });
    r.close();
  });
});
