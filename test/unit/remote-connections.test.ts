import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverEngines } from '../../src/main/core/engines/discovery';
import { EngineRegistry, type EngineDriver } from '../../src/main/core/engines/registry';
import { sshConnection } from '../../src/main/core/engines/sshEngine';
import { EngineConfigError, envTls, tlsMaterial } from '../../src/main/core/engines/tlsOptions';
import { waitReason } from '../../src/main/core/scheduler/waitReason';
import { waitText } from '../../src/shared/wait';
import { spec, storedJob } from '../support/fakes';

const home = mkdtempSync(join(tmpdir(), 'jobdeck-home-'));
const certs = join(home, '.docker');
mkdirSync(certs, { recursive: true });
for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(certs, f), `${f} text`);

describe('TLS material: PEM text, files, or the DOCKER_CERT_PATH layout', () => {
  it('reads named files (~/ under the home) and the three files of a directory', () => {
    expect(tlsMaterial({ caFile: '~/.docker/ca.pem', certFile: join(certs, 'cert.pem'), keyFile: join(certs, 'key.pem') }, home)).toEqual({
      ca: Buffer.from('ca.pem text'),
      cert: Buffer.from('cert.pem text'),
      key: Buffer.from('key.pem text'),
    });
    expect(tlsMaterial({ certDir: '~/.docker' }, home)).toEqual({ ca: Buffer.from('ca.pem text'), cert: Buffer.from('cert.pem text'), key: Buffer.from('key.pem text') });
    expect(tlsMaterial({ ca: 'PEM' }, home)).toEqual({ ca: 'PEM' });
  });

  it('a file or directory that is not there is an error that names it', () => {
    expect(() => tlsMaterial({ caFile: '/nope/ca.pem' }, home)).toThrow(new EngineConfigError('CA certificate file /nope/ca.pem does not exist'));
    expect(() => tlsMaterial({ certDir: '/nope' }, home)).toThrow('Certificate directory /nope does not exist');
    const half = join(home, 'half');
    mkdirSync(half);
    writeFileSync(join(half, 'cert.pem'), 'x');
    expect(() => tlsMaterial({ certDir: half }, home)).toThrow(`Certificate directory ${half} has cert.pem but no key.pem`);
  });

  it('verify: false encrypts without checking the server (an agent that says so)', () => {
    const m = tlsMaterial({ certDir: certs, verify: false }, home);
    expect(m.agent?.options).toMatchObject({ rejectUnauthorized: false });
  });

  it('DOCKER_TLS_VERIFY / DOCKER_CERT_PATH / DOCKER_TLS as the docker CLI reads them, on a DOCKER_HOST engine', () => {
    expect(envTls({}, home)).toBeUndefined();
    expect(envTls({ DOCKER_CERT_PATH: '/c' }, home)).toBeUndefined();
    expect(envTls({ DOCKER_TLS_VERIFY: '1' }, home)).toEqual({ certDir: certs, verify: true });
    expect(envTls({ DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/c' }, home)).toEqual({ certDir: '/c', verify: true });
    expect(envTls({ DOCKER_TLS: '1' }, home)).toEqual({ certDir: certs, verify: false });
    const [env] = discoverEngines({ env: { DOCKER_HOST: 'tcp://build.example:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/c' }, settings: [], home, socketCandidates: [] });
    expect(env).toEqual({ id: 'docker', host: 'tcp://build.example:2376', source: 'env', tls: { certDir: '/c', verify: true } });
    const [unix] = discoverEngines({ env: { DOCKER_HOST: 'unix:///run/d.sock', DOCKER_TLS_VERIFY: '1' }, settings: [], home, socketCandidates: [] });
    expect(unix).not.toHaveProperty('tls');
  });

  it('settings carry tls and ssh to the engine', () => {
    const [e] = discoverEngines({ env: {}, settings: [{ id: 'b', kind: 'docker', host: 'ssh://me@b', ssh: { identityFile: '/k' } }], home, socketCandidates: [] });
    expect(e).toMatchObject({ id: 'b', ssh: { identityFile: '/k' } });
  });
});

describe('ssh connection settings', () => {
  const key = join(home, '.ssh', 'id_ed25519');
  mkdirSync(join(home, '.ssh'), { recursive: true });
  writeFileSync(key, 'KEY');

  it('user, port and key: the address\'s, else ssh\'s defaults; known_hosts under the home unless named', () => {
    const c = sshConnection(new URL('ssh://deploy@build.example:2222'), undefined, { USER: 'me' }, home);
    expect(c).toMatchObject({ host: 'build.example', port: 2222, username: 'deploy', knownHostsFile: join(home, '.ssh', 'known_hosts'), offered: `key file ${key}` });
    expect(c.options.privateKey).toEqual(Buffer.from('KEY'));
    const d = sshConnection(new URL('ssh://build.example'), { knownHostsFile: '/kh' }, { USER: 'me', SSH_AUTH_SOCK: '/agent.sock' }, home);
    expect(d).toMatchObject({ port: 22, username: 'me', knownHostsFile: '/kh', offered: 'the keys in ssh-agent' });
    expect(d.options).toMatchObject({ agent: '/agent.sock' });
    expect(d.options.privateKey).toBeUndefined();
  });

  it('no agent and no key file: an error that says what to give', () => {
    const empty = mkdtempSync(join(tmpdir(), 'jobdeck-home-'));
    expect(() => sshConnection(new URL('ssh://b'), undefined, {}, empty)).toThrow(/No ssh key to log in to b with: SSH_AUTH_SOCK is not set/);
    expect(() => sshConnection(new URL('ssh://b'), { identityFile: '/nope' }, {}, empty)).toThrow('Private key file /nope does not exist');
  });

  it('a host key that is not in known_hosts is refused, and the reason kept for the error', () => {
    const c = sshConnection(new URL('ssh://b:2222'), { knownHostsFile: join(home, 'none') }, {}, home);
    const blob = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIH26atStgYbOkZJhuX3GqeE0CV41rE77jhgmbl3bUVxZ', 'base64');
    expect(c.options.hostVerifier(blob)).toBe(false);
    expect(c.lastRefusal()).toMatch(/^Unknown host key: \[b\]:2222 offers ssh-ed25519 SHA256:dLUlVW0/);
  });
});

describe('a job for one engine says what is wrong with it', () => {
  it('the engine\'s last error goes with the wait reason, and into its words', () => {
    const job = storedJob({ spec: spec({ engineId: 'build-box' }) });
    const r = waitReason(job, {
      now: Date.now(),
      paused: false,
      concurrency: 4,
      running: 0,
      engines: [{ id: 'build-box', kind: 'docker', available: false, running: 0, error: "tcp://b:2376: The engine's certificate has expired" }],
      lookup: () => undefined,
    });
    expect(r).toEqual({ kind: 'engine', engine: 'engine build-box', problem: "tcp://b:2376: The engine's certificate has expired" });
    expect(waitText(r, Date.now())).toBe("waiting for engine build-box: tcp://b:2376: The engine's certificate has expired");
  });
});

describe('EngineRegistry with a slow remote engine', () => {
  it('never probes one engine twice at once, and ends a dropped engine\'s connection', async () => {
    let inFlight = 0;
    let most = 0;
    let closed = 0;
    const release: (() => void)[] = [];
    const driver = (): EngineDriver => ({
      executor: {} as EngineDriver['executor'],
      docker: { listContainers: async () => [], getContainer: () => ({ start: async () => undefined, remove: async () => undefined }) },
      probe: () =>
        new Promise((resolve) => {
          most = Math.max(most, ++inFlight);
          release.push(() => (inFlight--, resolve({ version: '1' })));
        }),
      detectKind: async () => 'docker',
      close: () => void closed++,
    });
    const registry = new EngineRegistry({ env: {}, socketCandidates: [] }, driver, () => undefined);
    const refreshed = registry.refresh([{ id: 'slow', kind: 'docker', host: 'tcp://slow:2376' }]);
    registry.watch(5);
    await new Promise((r) => setTimeout(r, 50));
    expect(most).toBe(1);
    while (release.length) release.shift()!();
    await refreshed;
    registry.close();
    await registry.refresh([]);
    expect(closed).toBe(1);
  });

  it('adding an engine probes only it: a slow other engine does not hold the add up', async () => {
    const probed: string[] = [];
    const driver = (c: { id: string }): EngineDriver => ({
      executor: {} as EngineDriver['executor'],
      docker: { listContainers: async () => [], getContainer: () => ({ start: async () => undefined, remove: async () => undefined }) },
      probe: async () => (probed.push(c.id), { version: '1' }),
      detectKind: async () => 'docker',
    });
    const registry = new EngineRegistry({ env: {}, socketCandidates: [] }, driver, () => undefined);
    await registry.refresh([{ id: 'old', kind: 'docker', host: 'tcp://old:2376' }]);
    probed.length = 0;
    await registry.refresh([{ id: 'old', kind: 'docker', host: 'tcp://old:2376' }, { id: 'new', kind: 'docker', host: 'tcp://new:2376' }], { onlyNew: true });
    expect(probed).toEqual(['new']);
    await registry.refresh([{ id: 'old', kind: 'docker', host: 'tcp://old:2376' }, { id: 'new', kind: 'docker', host: 'tcp://new:2376' }]);
    expect(probed.sort()).toEqual(['new', 'new', 'old']);
  });
});
