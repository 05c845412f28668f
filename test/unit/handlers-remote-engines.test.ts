// engines.test and engines.contexts through the real dispatcher, on the whole core with fake engines.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeCommand, useFakeCore } from '../support/fakeCore';

// A Docker config dir as the docker CLI leaves it after `docker context create`.
const dockerConfig = mkdtempSync(join(tmpdir(), 'jobdeck-docker-config-'));
const hash = (name: string) => createHash('sha256').update(name).digest('hex');
function context(name: string, meta: unknown, tlsFiles: string[] = []): void {
  const dir = join(dockerConfig, 'contexts', 'meta', hash(name));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'meta.json'), typeof meta === 'string' ? meta : JSON.stringify(meta));
  const tls = join(dockerConfig, 'contexts', 'tls', hash(name), 'docker');
  if (tlsFiles.length) mkdirSync(tls, { recursive: true });
  for (const f of tlsFiles) writeFileSync(join(tls, f), '-----BEGIN CERTIFICATE-----\n');
}
context('Build Box', { Name: 'Build Box', Metadata: { Description: 'the big one' }, Endpoints: { docker: { Host: 'tcp://build.example:2376', SkipTLSVerify: false } } }, ['ca.pem', 'cert.pem', 'key.pem']);
context('via-ssh', { Name: 'via-ssh', Metadata: {}, Endpoints: { docker: { Host: 'ssh://deploy@build.example' } } });
context('broken', '{ not json');
writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify({ currentContext: 'via-ssh' }));

const core = useFakeCore({ env: { DOCKER_CONFIG: dockerConfig } });

describeCommand('engines.test', () => {
  it('connects without saving: the version when the engine answers, the failure in words when not', async () => {
    const h = core();
    expect(await h.call('engines.test', { kind: 'docker', host: 'tcp://10.0.0.5:2376', tls: { caFile: '/certs/ca.pem' } })).toEqual({ ok: true, kind: 'docker', version: '99.0-fake', apiVersion: '1.99' });
    h.engines.down.add('tcp://10.0.0.6:2376');
    expect(await h.call('engines.test', { kind: 'docker', host: 'tcp://10.0.0.6:2376' })).toEqual({ ok: false, error: 'connect ECONNREFUSED tcp://10.0.0.6:2376' });
    expect((await h.call('settings.get', {})).engines).toEqual([]);
    expect((await h.call('engines.list', {})).map((e) => e.id)).toEqual(['docker']);
  });

  it('refuses settings that cannot go together, in the user\'s words', async () => {
    const h = core();
    const ssh = await h.fail('engines.test', { kind: 'docker', host: 'tcp://10.0.0.5:2376', ssh: { identityFile: '/k' } });
    expect(ssh).toMatchObject({ code: 'VALIDATION', issues: [{ path: 'ssh', message: 'ssh keys apply to ssh:// addresses only' }] });
    const half = await h.fail('engines.test', { kind: 'docker', host: 'tcp://10.0.0.5:2376', tls: { certFile: '/c.pem' } });
    expect(half.issues).toEqual([{ path: 'tls.keyFile', message: 'A client certificate and its key go together: give both files' }]);
    const relative = await h.fail('engines.add', { id: 'rel', kind: 'docker', host: 'tcp://10.0.0.5:2376', tls: { caFile: 'ca.pem' } });
    expect(relative.issues).toEqual([{ path: 'tls.caFile', message: 'CA certificate file must be an absolute path (or start with ~/)' }]);
  });
});

describeCommand('engines.contexts', () => {
  it('lists the Docker CLI\'s contexts with their TLS directory, the current one marked, a damaged one with its problem', async () => {
    const list = await core().call('engines.contexts', {});
    expect(list).toEqual([
      {
        name: 'Build Box',
        description: 'the big one',
        host: 'tcp://build.example:2376',
        suggestedId: 'build-box',
        current: false,
        tls: { certDir: join(dockerConfig, 'contexts', 'tls', hash('Build Box'), 'docker') },
      },
      { name: 'via-ssh', host: 'ssh://deploy@build.example', suggestedId: 'via-ssh', current: true },
      expect.objectContaining({ name: hash('broken'), host: '', problem: expect.stringContaining('cannot be read as a Docker context') }),
    ].sort((a, b) => String(a.name).localeCompare(String(b.name))));
  });
});
