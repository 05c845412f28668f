import Docker from 'dockerode';
import type { EngineConfig } from '../../../shared/engine';
import { socketPath } from './discovery';

/** A dockerode client for unix sockets, named pipes, tcp (TLS when certs are given) and ssh. */
export function createDockerClient(host: string, tls?: EngineConfig['tls']): Docker {
  const sock = socketPath(host);
  if (sock) return new Docker({ socketPath: sock });
  if (host.startsWith('npipe://')) return new Docker({ socketPath: host.slice('npipe://'.length) });
  const url = new URL(host);
  if (url.protocol === 'ssh:') {
    return new Docker({
      protocol: 'ssh',
      host: url.hostname,
      port: url.port || 22,
      ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
      ...(process.env.SSH_AUTH_SOCK ? { sshOptions: { agent: process.env.SSH_AUTH_SOCK } } : {}),
    });
  }
  const secure = url.protocol === 'https:' || Boolean(tls?.cert || tls?.ca);
  return new Docker({
    protocol: secure ? 'https' : 'http',
    host: url.hostname,
    port: url.port || (secure ? 2376 : 2375),
    ...(tls?.ca ? { ca: tls.ca } : {}),
    ...(tls?.cert ? { cert: tls.cert } : {}),
    ...(tls?.key ? { key: tls.key } : {}),
  });
}
