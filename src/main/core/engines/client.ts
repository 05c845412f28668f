import Docker from 'dockerode';
import { homedir } from 'node:os';
import type { SshConfig, TlsConfig } from '../../../shared/engine';
import { socketPath } from './discovery';
import { engineMessage } from './errors';
import { sshConnection, sshFailureMessage } from './sshEngine';
import { SshDialAgent } from './sshEngineAgent';
import { networkFailureMessage } from './tlsErrors';
import { EngineConfigError, tlsMaterial, type TlsMaterial } from './tlsOptions';

/** Where and how an engine is reached (an EngineCandidate, or what "Test connection" was given). */
export interface EngineAddress {
  host: string;
  tls?: TlsConfig | undefined;
  ssh?: SshConfig | undefined;
}

/** A dockerode client, and how its failures read in the user's terms. */
export interface EngineClient {
  docker: Docker;
  /** Set when the configuration itself cannot work (a file that is not there): probes fail with it. */
  configError?: EngineConfigError;
  /** A failure of a call on `docker`, as the Engines view and the queue show it. */
  describe(error: unknown): string;
  /** Ends what the client keeps open (an ssh session). */
  close?(): void;
}

/** Only the address's own words; the kind of failure decides the rest. */
const plain = (error: unknown): string => (error instanceof EngineConfigError ? error.message : engineMessage(error));

/**
 * A dockerode client for unix sockets, named pipes, tcp (TLS from PEM text, files or a
 * DOCKER_CERT_PATH directory) and ssh (agent or key file, known_hosts checked).
 */
export function engineClient(address: EngineAddress, env: Record<string, string | undefined> = process.env, home = homedir()): EngineClient {
  const { host, tls } = address;
  const sock = socketPath(host);
  // docker-modem fills what is not given from DOCKER_HOST and DOCKER_CERT_PATH, and a host it
  // read there wins over the socket: say plainly that this engine has none.
  if (sock) return { docker: new Docker({ socketPath: sock, host: undefined, protocol: 'http' }), describe: plain };
  if (host.startsWith('npipe://')) return { docker: new Docker({ socketPath: host.slice('npipe://'.length) }), describe: plain };
  const url = new URL(host);
  if (url.protocol === 'ssh:') {
    try {
      const ssh = sshConnection(url, address.ssh, env, home);
      // http over dial-stdio channels of one ssh session (sshEngineAgent.ts); the host name is only a label.
      const agent = new SshDialAgent({ host: ssh.host, port: ssh.port, username: ssh.username, ...ssh.options });
      const docker = new Docker({ protocol: 'http', host: ssh.host, port: ssh.port, ...{ agent } });
      return { docker, close: () => agent.destroy(), describe: (e) => sshFailureMessage(e, ssh) ?? networkFailureMessage(e, `${ssh.host}:${ssh.port}`, false) ?? plain(e) };
    } catch (error) {
      if (!(error instanceof EngineConfigError)) throw error;
      return { docker: new Docker({ protocol: 'ssh', host: url.hostname }), configError: error, describe: plain };
    }
  }
  const secure = url.protocol === 'https:' || tls !== undefined;
  const port = url.port || (secure ? '2376' : '2375');
  const addr = `${url.hostname}:${port}`;
  const describe = (e: unknown) => networkFailureMessage(e, addr, secure) ?? plain(e);
  let material: TlsMaterial = {};
  let configError: EngineConfigError | undefined;
  try {
    material = tls ? tlsMaterial(tls, home) : {};
  } catch (error) {
    if (!(error instanceof EngineConfigError)) throw error;
    configError = error;
  }
  const docker = new Docker({
    protocol: secure ? 'https' : 'http',
    host: url.hostname,
    port,
    ...(material.ca ? { ca: material.ca } : {}),
    ...(material.cert ? { cert: material.cert } : {}),
    ...(material.key ? { key: material.key } : {}),
    ...(material.agent ? { agent: material.agent } : {}),
  });
  return { docker, describe, ...(configError ? { configError } : {}), ...(material.agent ? { close: () => material.agent?.destroy() } : {}) };
}

/** The client alone (callers that only need dockerode). */
export function createDockerClient(host: string, tls?: TlsConfig): Docker {
  return engineClient({ host, ...(tls ? { tls } : {}) }).docker;
}
