// A real image registry on loopback, for pulls with progress and a registry's own errors: Debian's
// docker-registry (distribution 2.8) on a free 127.0.0.1 port, its own temp dir, stopped by pid.
// It serves TLS with a certificate made here: Docker treats 127.0.0.0/8 as insecure (it accepts the
// unverified certificate), and Podman's compat pull has no tlsVerify switch (checked: it ignores
// tlsVerify=false) but reads /etc/containers/certs.d/<host:port>/ca.crt on each pull, so the
// certificate goes there for the registry's life: no engine is restarted or reconfigured.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { TEST_IMAGE } from './testImage';

const run = promisify(execFile);
const BINARY = '/usr/bin/docker-registry';
const CERTS_D = '/etc/containers/certs.d';

export interface LocalRegistry {
  /** host:port, as an image reference starts with it. */
  host: string;
  /** The reference of a tag of the test image in this registry. */
  ref(tag: string): string;
  /**
   * The test image with a layer of its own (a few MB of random bytes, so that no engine has it and
   * a pull fetches bytes) pushed as `tag`, then the local copy removed from every engine, so that
   * a job has to pull it. Returns the reference.
   */
  push(tag: string): Promise<string>;
  /** Forget a pulled reference on both engines (the test image itself is never touched). */
  forget(ref: string): Promise<void>;
  /** Why Podman cannot pull from it here, or undefined when it can. */
  podmanProblem: string | undefined;
  /** Its certificate (self-signed, so also its CA) and key: a gate in front of it serves the same. */
  tls: { cert: string; key: string };
  stop(): Promise<void>;
}

export const registryAvailable = (): boolean => existsSync(BINARY);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Podman trusts `ca` for this host:port only (certs.d is read on each pull), until undo(); problem
 * says why it could not be written (then Podman cannot pull from that address here).
 */
export function trustOnPodman(hostPort: string, ca: string): { problem: string | undefined; undo(): void } {
  const certDir = join(CERTS_D, hostPort);
  const madeCertsD = !existsSync(CERTS_D);
  try {
    mkdirSync(certDir, { recursive: true });
    writeFileSync(join(certDir, 'ca.crt'), ca);
  } catch (error) {
    return {
      problem: `cannot write ${certDir} (${(error as Error).message}): Podman's compat pull verifies TLS and has no switch to skip it`,
      undo: () => undefined,
    };
  }
  return {
    problem: undefined,
    undo() {
      rmSync(certDir, { recursive: true, force: true });
      if (madeCertsD && existsSync(CERTS_D) && readdirSync(CERTS_D).length === 0) rmdirSync(CERTS_D);
    },
  };
}

/** GET /v2/ until the registry answers 200 (it is up), with its own CA. */
async function waitUp(port: number, ca: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited (${child.exitCode}): ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/v2/', ca, timeout: 2000 }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on('error', () => resolve(false));
      req.on('timeout', () => req.destroy());
      req.end();
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`docker-registry on 127.0.0.1:${port} did not answer: ${log()}`);
    // Waiting on a process to open its port: there is no event to wait on, only the next try.
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Push a tag from `docker`, as `docker push` does: the stream followed to its end, its error thrown. */
async function pushRef(docker: Docker, ref: string): Promise<void> {
  // No credentials: the engine still wants the auth header, empty.
  const serveraddress = ref.slice(0, ref.indexOf('/'));
  const stream = (await docker.getImage(ref).push({ authconfig: { username: '', password: '', serveraddress } })) as NodeJS.ReadableStream;
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null, events: { error?: string }[]) => {
      const failed = err ?? events.find((e) => e.error);
      if (failed) reject(new Error(`docker push ${ref}: ${failed instanceof Error ? failed.message : failed.error}`));
      else resolve();
    });
  });
}

/**
 * `docker` pushes (Docker's own client: it takes the loopback registry as insecure); `engines`
 * are every engine whose copy of a pulled tag is removed again.
 */
export async function startLocalRegistry(docker: Docker, engines: Docker[]): Promise<LocalRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'jobdeck-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')]);
  const ca = readFileSync(join(dir, 'cert.pem'), 'utf8');
  writeFileSync(
    join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log: { level: warn }',
      `storage: { filesystem: { rootdirectory: ${join(dir, 'data')} }, delete: { enabled: true } }`,
      `http: { addr: '${host}', tls: { certificate: ${join(dir, 'cert.pem')}, key: ${join(dir, 'key.pem')} } }`,
      '',
    ].join('\n'),
  );
  let output = '';
  const child = spawn(BINARY, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => void (output = (output + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => void (output = (output + d.toString()).slice(-4000)));
  await waitUp(port, ca, child, () => output);

  const podman = trustOnPodman(host, ca);
  const podmanProblem = podman.problem;

  const ref = (tag: string) => `${host}/jobdeck-test:${tag}`;
  const forget = async (r: string) => {
    for (const e of engines) await e.getImage(r).remove().catch(() => undefined); // not there: nothing to forget
  };
  return {
    host,
    ref,
    podmanProblem,
    tls: { cert: ca, key: readFileSync(join(dir, 'key.pem'), 'utf8') },
    async push(tag) {
      const r = ref(tag);
      // docker commit of a container that wrote the payload: the test image's layers plus a new one.
      const c = await docker.createContainer({ Image: TEST_IMAGE, Cmd: ['sh', '-c', 'head -c 3000000 /dev/urandom > /payload'], HostConfig: { NetworkMode: 'none' }, Labels: { 'jobdeck.test': 'registry-push' } });
      try {
        await c.start();
        await c.wait();
        await c.commit({ repo: `${host}/jobdeck-test`, tag });
      } finally {
        await c.remove({ force: true });
      }
      try {
        await pushRef(docker, r);
      } finally {
        await forget(r);
      }
      return r;
    },
    forget,
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
      podman.undo();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
