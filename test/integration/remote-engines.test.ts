import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineTestInput, NewEngineConfig } from '../../src/shared/engine';
import type { LogChunk } from '../../src/shared/ipc';
import type { Job } from '../../src/shared/job';
import type { TemplateSpecInput } from '../../src/shared/template';
import { engineClient } from '../../src/main/core/engines/client';
import { allRemoved, startCore, type TestCore } from '../support/core';
import { clientFor, engineTargets, ensureTestImage, leftovers, TEST_IMAGE } from '../support/engines';
import { certPathLayout, freePort, startTestSshd, startTlsDockerd, startTlsServer, type TestSshd, type TlsDockerd } from '../support/remoteEngines';

// Remote engines for real, on loopback: a private dockerd with --tlsverify and Debian's sshd in
// front of the machine's Docker socket (test/support/remoteEngines.ts). One of each for the file.
const [local] = (await engineTargets()).filter((t) => t.kind === 'docker');
const skip = !local || Boolean(local.missing);

let tls: TlsDockerd;
let sshd: TestSshd;
let t: TestCore;

const base = (name: string, over: Partial<TemplateSpecInput> = {}): TemplateSpecInput => ({ name, image: TEST_IMAGE, network: 'none', pullPolicy: 'Never', ...over });

async function allLogs(id: string): Promise<LogChunk[]> {
  const out: LogChunk[] = [];
  let offset = 0;
  for (;;) {
    const page = await t.call('logs.read', { id, offset });
    out.push(...page.chunks);
    if (page.eof || page.nextOffset === offset) return out;
    offset = page.nextOffset;
  }
}
const text = (chunks: LogChunk[], stream: LogChunk['stream']) =>
  chunks.filter((c) => c.stream === stream).map((c) => c.data).join('');

const tlsEngine = (): NewEngineConfig => ({ id: 'tls-box', kind: 'docker', host: tls.host, tls: { caFile: tls.pki.ca, certFile: tls.pki.clientCert, keyFile: tls.pki.clientKey } });
const sshEngine = (): NewEngineConfig => ({ id: 'ssh-box', kind: 'docker', host: sshd.host, ssh: { identityFile: sshd.identityFile, knownHostsFile: sshd.knownHosts, agent: false } });

describe.skipIf(skip)('remote engines (TLS dockerd and ssh on loopback)', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    [tls, sshd] = await Promise.all([startTlsDockerd(), startTestSshd()]);
    await ensureTestImage(clientFor(local!.host));
    t = await startCore(local!);
    await t.call('settings.update', { concurrency: 6, stopGraceSeconds: 1 });
    await t.call('engines.add', tlsEngine());
    await t.call('engines.add', sshEngine());
  }, 120_000);
  afterAll(async () => {
    if (t) {
      await allRemoved(t.core);
      const left = [...(await leftovers(clientFor(local!.host), t.instanceId)), ...(await leftovers(clientFor(tls.engine.host), t.instanceId))];
      await t.close();
      expect(left, 'containers left behind').toEqual([]);
    }
    await Promise.all([tls?.dispose(), sshd?.dispose()]);
  }, 60_000);

  describe('connections: the version when it works, the failure in the user\'s terms when not', () => {
    const probe = (input: EngineTestInput) => t.call('engines.test', input);
    const failure = async (input: EngineTestInput): Promise<string> => {
      const r = await probe(input);
      if (r.ok) throw new Error(`expected ${input.host} to fail, it answered ${r.version}`);
      return r.error;
    };

    it('tcp with TLS files, and the DOCKER_CERT_PATH layout, reach the TLS dockerd', async () => {
      expect(await probe(tlsEngine())).toMatchObject({ ok: true, kind: 'docker', version: expect.stringMatching(/^\d+\.\d+/) });
      expect(await probe({ kind: 'docker', host: tls.host, tls: { certDir: certPathLayout(tls.pki) } })).toMatchObject({ ok: true, kind: 'docker' });
      const [info] = (await t.call('engines.list', {})).filter((e) => e.id === 'tls-box');
      expect(info).toMatchObject({ status: 'available', source: 'settings', version: expect.stringMatching(/\d/) });
    });

    it('ssh with a key file and known_hosts reaches Docker through `docker system dial-stdio`', async () => {
      expect(await probe(sshEngine())).toMatchObject({ ok: true, kind: 'docker', version: expect.stringMatching(/^\d+\.\d+/) });
    });

    it('more calls at once than sshd allows channels on one connection (MaxSessions 10): every one answers', async () => {
      const { docker, close } = engineClient(sshEngine(), {});
      try {
        const streams = await Promise.all(Array.from({ length: 12 }, () => docker.getEvents({ filters: { type: ['container'], event: ['die'] } })));
        expect(await docker.version()).toMatchObject({ Version: expect.stringMatching(/^\d+\.\d+/) });
        for (const s of streams) (s as NodeJS.ReadableStream & { destroy(): void }).destroy();
      } finally {
        close?.();
      }
    });

    it('a refused connection', async () => {
      const port = await freePort();
      expect(await failure({ kind: 'docker', host: `tcp://127.0.0.1:${port}`, tls: { caFile: tls.pki.ca } })).toBe(
        `Connection refused: nothing listens on 127.0.0.1:${port} (is the engine running there, and is the port right?)`,
      );
    });

    it('plain http to the TLS port, and TLS without a client certificate', async () => {
      expect(await failure({ kind: 'docker', host: tls.host })).toMatch(/speaks TLS on this port: give its CA certificate and a client certificate and key/);
      expect(await failure({ kind: 'docker', host: tls.host, tls: { caFile: tls.pki.ca } })).toMatch(/client certificate/);
    });

    it('wrong credentials: a client certificate from another CA, and an expired one', async () => {
      expect(await failure({ kind: 'docker', host: tls.host, tls: { caFile: tls.pki.ca, certFile: tls.pki.strangerCert, keyFile: tls.pki.strangerKey } })).toMatch(
        /refused Jobdeck's client certificate/,
      );
      expect(await failure({ kind: 'docker', host: tls.host, tls: { caFile: tls.pki.ca, certFile: tls.pki.expiredClientCert, keyFile: tls.pki.leafKey } })).toMatch(
        /refused Jobdeck's client certificate/,
      );
    });

    it('the server\'s certificate: made out to another name, expired, or from a CA we were not given', async () => {
      const other = await startTlsServer(tls.pki.otherNameCert, tls.pki.leafKey);
      const expired = await startTlsServer(tls.pki.expiredServerCert, tls.pki.leafKey);
      try {
        expect(await failure({ kind: 'docker', host: other.host, tls: { caFile: tls.pki.ca } })).toMatch(
          /^The engine's certificate is made out to another name: IP: 127\.0\.0\.1 is not in the cert's list/,
        );
        expect(await failure({ kind: 'docker', host: expired.host, tls: { caFile: tls.pki.ca } })).toMatch(/^The engine's certificate has expired/);
        // The system's CAs do not know the test CA.
        expect(await failure({ kind: 'docker', host: tls.host, tls: { certFile: tls.pki.clientCert, keyFile: tls.pki.clientKey } })).toMatch(/not signed by the CA Jobdeck was given/);
      } finally {
        await Promise.all([other.close(), expired.close()]);
      }
    });

    it('a certificate file that is not there', async () => {
      expect(await failure({ kind: 'docker', host: tls.host, tls: { caFile: join(tls.pki.dir, 'nope.pem') } })).toBe(`CA certificate file ${join(tls.pki.dir, 'nope.pem')} does not exist`);
    });

    it('ssh: an unknown host key (with its fingerprint), a changed one, and a key the server refuses', async () => {
      const unknown = await failure({ ...sshEngine(), ssh: { identityFile: sshd.identityFile, knownHostsFile: sshd.emptyKnownHosts, agent: false } });
      expect(unknown).toContain(`Unknown host key: [127.0.0.1]:${sshd.port} offers ssh-ed25519 ${sshd.fingerprint}, which is not in ${sshd.emptyKnownHosts}`);
      const changed = await failure({ ...sshEngine(), ssh: { identityFile: sshd.identityFile, knownHostsFile: sshd.wrongKnownHosts, agent: false } });
      expect(changed).toContain(`The host key of [127.0.0.1]:${sshd.port} has CHANGED: it now offers ssh-ed25519 ${sshd.fingerprint}`);
      const denied = await failure({ ...sshEngine(), ssh: { identityFile: sshd.strangerIdentityFile, knownHostsFile: sshd.knownHosts, agent: false } });
      expect(denied).toBe(
        `ssh login to root@[127.0.0.1]:${sshd.port} failed: the server accepted none of key file ${sshd.strangerIdentityFile} (wrong user, or the key is not in its authorized_keys)`,
      );
    });

    it('a job for an engine that cannot be reached waits, and says why', async () => {
      const bad: NewEngineConfig = { id: 'ssh-unknown', kind: 'docker', host: sshd.host, ssh: { identityFile: sshd.identityFile, knownHostsFile: sshd.emptyKnownHosts, agent: false } };
      await t.call('engines.add', bad);
      try {
        const job = await t.call('jobs.create', { spec: base('remote-waits', { command: 'true', engineId: 'ssh-unknown' }) });
        await t.waitFor(job.id, (j) => j.waitingFor !== undefined, 10_000);
        const wait = (await t.call('queue.waits', {})).find((w) => w.id === job.id);
        expect(wait?.reason).toMatchObject({ kind: 'engine', engine: 'engine ssh-unknown', problem: expect.stringContaining(`Unknown host key: [127.0.0.1]:${sshd.port}`) });
        await t.call('jobs.cancel', { id: job.id });
      } finally {
        await t.call('engines.remove', { id: 'ssh-unknown' });
      }
    });
  });

  describe.each([
    { id: 'tls-box', label: 'TLS dockerd' },
    { id: 'ssh-box', label: 'ssh engine' },
  ])('the engine suite on the $label', ({ id }) => {
    const run = async (spec: TemplateSpecInput): Promise<Job> => t.waitFor((await t.call('jobs.create', { spec: { ...spec, engineId: id } })).id);

    it('exit codes and stdout/stderr apart, on the engine the job names', async () => {
      const ok = await run(base(`${id}-ok`, { command: 'echo out-line; echo err-line >&2' }));
      expect(ok).toMatchObject({ status: 'completed', reason: 'Completed', exitCode: 0 });
      expect(ok.attempts[0]).toMatchObject({ engineId: id });
      const logs = await allLogs(ok.id);
      expect(text(logs, 'stdout')).toBe('out-line\n');
      expect(text(logs, 'stderr')).toBe('err-line\n');
      const failed = await run(base(`${id}-exit-3`, { command: 'exit 3' }));
      expect(failed).toMatchObject({ status: 'failed', reason: 'Error', exitCode: 3 });
      expect(failed.attempts[0]).toMatchObject({ engineId: id, exitCode: 3 });
    });

    it('cancel stops the container there', async () => {
      const created = await t.call('jobs.create', { spec: { ...base(`${id}-cancel`, { command: 'echo started; sleep 60' }), engineId: id } });
      const running = await t.waitFor(created.id, (j) => (j.attempts[0]?.containerId !== undefined && (j.attempts[0]?.logBytes ?? 0) > 0) || ['completed', 'failed', 'cancelled'].includes(j.status), 30_000);
      expect(running.status).toBe('running');
      const containerId = running.attempts[0]!.containerId!;
      // The TLS engine is a daemon of its own: the container is there, not on the local one.
      if (id === 'tls-box') {
        expect((await clientFor(tls.engine.host).getContainer(containerId).inspect()).State.Running).toBe(true);
        await expect(clientFor(local!.host).getContainer(containerId).inspect()).rejects.toMatchObject({ statusCode: 404 });
      }
      await t.call('jobs.cancel', { id: created.id });
      const done = await t.waitFor(created.id);
      expect(done).toMatchObject({ status: 'cancelled', reason: 'Cancelled' });
    });

    it('artifacts come back from the output dir', async () => {
      const job = await run(base(`${id}-artifacts`, { command: 'echo remote-artifact > /out/result.txt', outputDir: '/out' }));
      expect(job.status).toBe('completed');
      const files = await t.call('artifacts.list', { id: job.id });
      expect(files.map((f) => [f.name, f.size])).toContainEqual(['result.txt', 'remote-artifact\n'.length]);
    });

    it('reconcile: after a restart the running job is followed again there, every line kept once', async () => {
      const created = await t.call('jobs.create', {
        spec: { ...base(`${id}-survivor`, { command: 'for i in $(seq 1 6); do echo line-$i; sleep 0.3; done; exit 5' }), engineId: id },
      });
      await t.waitFor(created.id, (j) => (j.attempts[0]?.logBytes ?? 0) >= 2 * 'line-1\n'.length || j.status !== 'running', 30_000);
      await t.core.close({ stopRunning: false });
      // The remote engines come back from settings in the data dir.
      t = await startCore(local!, { dataDir: t.dataDir, instanceId: t.instanceId });
      const job = await t.waitFor(created.id);
      expect(job).toMatchObject({ status: 'failed', reason: 'Error', exitCode: 5 });
      expect(job.attempts).toHaveLength(1);
      expect(job.attempts[0]).toMatchObject({ engineId: id });
      expect(text(await allLogs(job.id), 'stdout')).toBe(Array.from({ length: 6 }, (_, i) => `line-${i + 1}\n`).join(''));
    });
  });

  it('"any" keeps to the available engines, and per-engine concurrency holds', async () => {
    await t.call('settings.update', { engineConcurrency: { 'tls-box': 1 } });
    try {
      const a = await t.call('jobs.create', { spec: { ...base('tls-slot-a', { command: 'sleep 2' }), engineId: 'tls-box' } });
      const b = await t.call('jobs.create', { spec: { ...base('tls-slot-b', { command: 'true' }), engineId: 'tls-box' } });
      await t.waitFor(a.id, (j) => j.status === 'running', 30_000);
      const waits = await t.call('queue.waits', {});
      expect(waits.find((w) => w.id === b.id)?.reason).toEqual({ kind: 'engineSlot', engines: ['tls-box'] });
      expect((await t.waitFor(b.id)).status).toBe('completed');
    } finally {
      await t.call('settings.update', { engineConcurrency: {} });
    }
  });
});

// Where this suite cannot run, it says why (CI has Docker: engineTargets throws there instead).
if (skip) console.log(`remote-engines: skipped: ${local?.missing ?? 'no local Docker engine'}`);

