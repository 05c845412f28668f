import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { join } from 'node:path';
import { startPrivateEngine, type PrivateEngine } from './privateEngine';

/**
 * Remote engines for real, on loopback only (DESIGN.md "Testing on our build machines"):
 * a private dockerd on tcp://127.0.0.1:PORT with --tlsverify and certificates made here by
 * openssl, and Debian's sshd on a loopback port through which ssh://root@127.0.0.1:PORT reaches
 * the machine's Docker socket (docker-modem runs `docker system dial-stdio` on the far side).
 */

/** A port the kernel says is free now (the listener is closed before the port is handed out). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const openssl = (dir: string, args: string[]): void => {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
};

export interface TestPki {
  dir: string;
  ca: string;
  /** Server certificate for IP:127.0.0.1, and its key. */
  serverCert: string;
  serverKey: string;
  /** A client certificate the CA signed. */
  clientCert: string;
  clientKey: string;
  /** A client certificate from another CA: the server does not trust it (wrong credentials). */
  strangerCert: string;
  strangerKey: string;
  /** A client certificate whose validity ended yesterday. */
  expiredClientCert: string;
  /** A server certificate made out to another name (DNS:build.example), for a TLS server of the test's own. */
  otherNameCert: string;
  /** A server certificate for 127.0.0.1 whose validity ended yesterday. */
  expiredServerCert: string;
  /** One key for every leaf certificate above except the stranger's. */
  leafKey: string;
}

/** A CA and the certificates the suites need, made by openssl in a temp dir. */
export function makeTestPki(): TestPki {
  const dir = mkdtempSync('/tmp/jobdeck-pki-');
  const p = (name: string) => join(dir, name);
  const ca = (name: string, subject: string) => openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}-key.pem`, '-out', `${name}.pem`, '-days', '2', '-subj', subject]);
  ca('ca', '/CN=jobdeck test CA');
  ca('stranger-ca', '/CN=another CA');
  openssl(dir, ['genrsa', '-out', 'leaf-key.pem', '2048']);
  openssl(dir, ['req', '-new', '-key', 'leaf-key.pem', '-out', 'leaf.csr', '-subj', '/CN=jobdeck-leaf']);
  let serial = 1;
  const sign = (out: string, ext: string, days: number, caName = 'ca', csr = 'leaf.csr') => {
    writeFileSync(p(`${out}.ext`), ext);
    openssl(dir, ['x509', '-req', '-in', csr, '-CA', `${caName}.pem`, '-CAkey', `${caName}-key.pem`, '-set_serial', String(serial++), '-days', String(days), '-extfile', `${out}.ext`, '-out', `${out}.pem`]);
  };
  sign('server', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n', 2);
  sign('client', 'extendedKeyUsage=clientAuth\n', 2);
  sign('expired-client', 'extendedKeyUsage=clientAuth\n', -1);
  sign('other-name', 'subjectAltName=DNS:build.example\nextendedKeyUsage=serverAuth\n', 2);
  sign('expired-server', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n', -1);
  openssl(dir, ['genrsa', '-out', 'stranger-key.pem', '2048']);
  openssl(dir, ['req', '-new', '-key', 'stranger-key.pem', '-out', 'stranger.csr', '-subj', '/CN=stranger']);
  sign('stranger', 'extendedKeyUsage=clientAuth\n', 2, 'stranger-ca', 'stranger.csr');
  return {
    dir,
    ca: p('ca.pem'),
    serverCert: p('server.pem'),
    serverKey: p('leaf-key.pem'),
    clientCert: p('client.pem'),
    clientKey: p('leaf-key.pem'),
    strangerCert: p('stranger.pem'),
    strangerKey: p('stranger-key.pem'),
    expiredClientCert: p('expired-client.pem'),
    otherNameCert: p('other-name.pem'),
    expiredServerCert: p('expired-server.pem'),
    leafKey: p('leaf-key.pem'),
  };
}

/** DOCKER_CERT_PATH's layout (ca.pem, cert.pem, key.pem) for the good client certificate. */
export function certPathLayout(pki: TestPki): string {
  const dir = join(pki.dir, 'docker-cert-path');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'ca.pem'), readFileSync(pki.ca));
  writeFileSync(join(dir, 'cert.pem'), readFileSync(pki.clientCert));
  writeFileSync(join(dir, 'key.pem'), readFileSync(pki.clientKey));
  return dir;
}

export interface TlsDockerd {
  engine: PrivateEngine;
  pki: TestPki;
  port: number;
  /** tcp://127.0.0.1:PORT */
  host: string;
  dispose(): Promise<void>;
}

/**
 * A private dockerd (its own data root, exec root, containerd: test/support/privateEngine.ts)
 * that also listens on tcp://127.0.0.1:PORT with --tlsverify; the test image loaded into it
 * over its unix socket.
 */
export async function startTlsDockerd(): Promise<TlsDockerd> {
  const pki = makeTestPki();
  const port = await freePort();
  const engine = await startPrivateEngine('docker', {
    extraArgs: () => ['--host', `tcp://127.0.0.1:${port}`, '--tlsverify', '--tlscacert', pki.ca, '--tlscert', pki.serverCert, '--tlskey', pki.serverKey],
  });
  return {
    engine,
    pki,
    port,
    host: `tcp://127.0.0.1:${port}`,
    async dispose() {
      await engine.dispose();
      rmSync(pki.dir, { recursive: true, force: true });
    },
  };
}

/** A TLS server of the test's own on loopback, presenting `cert`: the handshake is the test. */
export async function startTlsServer(cert: string, key: string): Promise<{ host: string; close(): Promise<void> }> {
  const server: TlsServer = createTlsServer({ cert: readFileSync(cert), key: readFileSync(key) }, (socket) => socket.end());
  // A client that refuses our certificate hangs up mid-handshake; that is the case under test.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `tcp://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface TestSshd {
  port: number;
  /** ssh://root@127.0.0.1:PORT */
  host: string;
  /** An authorized private key (OpenSSH format, no passphrase). */
  identityFile: string;
  /** A key the server does not know: auth fails. */
  strangerIdentityFile: string;
  /** A known_hosts with the server's host key under [127.0.0.1]:PORT. */
  knownHosts: string;
  /** A known_hosts without it (unknown host key). */
  emptyKnownHosts: string;
  /** A known_hosts that names another key for [127.0.0.1]:PORT (changed host key). */
  wrongKnownHosts: string;
  /** The host key's fingerprint as ssh-keygen -l prints it (SHA256:…). */
  fingerprint: string;
  dispose(): Promise<void>;
}

/** Debian's sshd on 127.0.0.1:PORT with keys made here; root logs in by key only. */
export async function startTestSshd(): Promise<TestSshd> {
  const dir = mkdtempSync('/tmp/jobdeck-sshd-');
  const p = (name: string) => join(dir, name);
  const keygen = (file: string) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'jobdeck-test', '-f', p(file)], { stdio: 'pipe' });
  keygen('host_key');
  keygen('client_key');
  keygen('stranger_key');
  keygen('other_host_key');
  writeFileSync(p('authorized_keys'), readFileSync(p('client_key.pub')));
  const port = await freePort();
  const pub = (file: string) => readFileSync(p(file), 'utf8').trim().split(' ').slice(0, 2).join(' ');
  writeFileSync(p('known_hosts'), `[127.0.0.1]:${port} ${pub('host_key.pub')}\n`);
  writeFileSync(p('empty_known_hosts'), `# nothing for this host\n[127.0.0.1]:1 ${pub('other_host_key.pub')}\n`);
  writeFileSync(p('wrong_known_hosts'), `[127.0.0.1]:${port} ${pub('other_host_key.pub')}\n`);
  const fingerprint = execFileSync('ssh-keygen', ['-l', '-f', p('host_key.pub')], { encoding: 'utf8' }).split(' ')[1] ?? '';
  writeFileSync(
    p('sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${p('host_key')}`,
      `PidFile ${p('sshd.pid')}`,
      `AuthorizedKeysFile ${p('authorized_keys')}`,
      'PermitRootLogin prohibit-password',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      // The keys live in a temp dir of the test's own, not under ~/.ssh.
      'StrictModes no',
      // `docker system dial-stdio` is found on the session's PATH.
      'SetEnv PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      '',
    ].join('\n'),
  );
  // sshd's privilege separation wants this directory to exist.
  mkdirSync('/run/sshd', { recursive: true });
  const log = openSync(p('sshd.log'), 'a');
  const child: ChildProcess = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', p('sshd_config')], { stdio: ['ignore', log, log] });
  const deadline = Date.now() + 15_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (up) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`sshd on 127.0.0.1:${port} did not come up: ${readFileSync(p('sshd.log'), 'utf8').slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    host: `ssh://root@127.0.0.1:${port}`,
    identityFile: p('client_key'),
    strangerIdentityFile: p('stranger_key'),
    knownHosts: p('known_hosts'),
    emptyKnownHosts: p('empty_known_hosts'),
    wrongKnownHosts: p('wrong_known_hosts'),
    fingerprint,
    async dispose() {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await gone;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
