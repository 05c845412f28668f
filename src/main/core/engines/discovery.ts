import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { EngineConfig, EngineInfoKind, EngineKind, KubernetesTarget } from '../../../shared/engine';
import { envTls } from './tlsOptions';

export interface EngineCandidate {
  id: string;
  /** Undefined when the kind must be asked of the engine (DOCKER_HOST may point at Podman). */
  kind?: EngineInfoKind;
  host: string;
  source: 'env' | 'settings' | 'socket' | 'kubeconfig';
  /** Kind kubernetes: the kubeconfig context and namespace. */
  kubernetes?: KubernetesTarget;
  tls?: EngineConfig['tls'];
  ssh?: EngineConfig['ssh'];
  concurrency?: number;
}

export interface DiscoveryInput {
  env: Record<string, string | undefined>;
  settings: EngineConfig[];
  platform?: NodeJS.Platform;
  home?: string;
  /** Replaces the platform's usual sockets (tests). */
  socketCandidates?: { kind: EngineKind; host: string }[];
  exists?: (path: string) => boolean;
}

/** The usual places, in order (DESIGN.md "Engines"). */
export function defaultSockets(
  platform: NodeJS.Platform,
  home: string,
  env: Record<string, string | undefined>,
): { kind: EngineKind; host: string }[] {
  if (platform === 'win32') {
    return [
      { kind: 'docker', host: 'npipe:////./pipe/docker_engine' },
      { kind: 'podman', host: 'npipe:////./pipe/podman-machine-default' },
    ];
  }
  const list: { kind: EngineKind; host: string }[] = [
    { kind: 'docker', host: 'unix:///var/run/docker.sock' },
    { kind: 'docker', host: `unix://${join(home, '.docker/run/docker.sock')}` },
    { kind: 'docker', host: `unix://${join(home, '.docker/desktop/docker.sock')}` },
  ];
  if (env.XDG_RUNTIME_DIR) list.push({ kind: 'podman', host: `unix://${join(env.XDG_RUNTIME_DIR, 'podman/podman.sock')}` });
  list.push({ kind: 'podman', host: 'unix:///run/podman/podman.sock' });
  if (platform === 'darwin') {
    list.push({
      kind: 'podman',
      host: `unix://${join(home, '.local/share/containers/podman/machine/podman.sock')}`,
    });
    list.push({
      kind: 'podman',
      host: `unix://${join(home, '.local/share/containers/podman/machine/podman-machine-default/podman.sock')}`,
    });
  }
  return list;
}

export const socketPath = (host: string): string | undefined =>
  host.startsWith('unix://') ? host.slice('unix://'.length) : host.startsWith('/') ? host : undefined;

/**
 * Candidates in priority order: the environment, then the hosts in settings, then the first
 * usual socket of each kind that exists on disk (or the first one, so a missing engine still shows
 * as unavailable with the place we looked). Ids: `docker` and `podman` for the local ones.
 */
export function discoverEngines(input: DiscoveryInput): EngineCandidate[] {
  const exists = input.exists ?? existsSync;
  const out: EngineCandidate[] = [];
  const taken = new Set<string>();
  const add = (c: EngineCandidate) => {
    if (taken.has(c.id)) return;
    taken.add(c.id);
    out.push(c);
  };
  const dockerHost = input.env.DOCKER_HOST?.trim();
  const containerHost = input.env.CONTAINER_HOST?.trim();
  // DOCKER_HOST may be Podman's compat socket: the kind is asked with /libpod/_ping later.
  // DOCKER_TLS_VERIFY / DOCKER_CERT_PATH go with DOCKER_HOST, as for the docker CLI.
  const tls = dockerHost && /^(tcp|https):/.test(dockerHost) ? envTls(input.env, input.home ?? homedir()) : undefined;
  if (dockerHost) add({ id: 'docker', host: dockerHost, source: 'env', ...(tls ? { tls } : {}) });
  if (containerHost) add({ id: 'podman', kind: 'podman', host: containerHost, source: 'env' });
  for (const e of input.settings) {
    add({ id: e.id, kind: e.kind, host: e.host, source: 'settings', ...(e.tls ? { tls: e.tls } : {}), ...(e.ssh ? { ssh: e.ssh } : {}), ...(e.concurrency ? { concurrency: e.concurrency } : {}) });
  }
  const sockets = input.socketCandidates ?? defaultSockets(input.platform ?? process.platform, input.home ?? homedir(), input.env);
  for (const kind of ['docker', 'podman'] as const) {
    if (taken.has(kind)) continue;
    const ofKind = sockets.filter((s) => s.kind === kind);
    const present = ofKind.find((s) => {
      const p = socketPath(s.host);
      return p === undefined || exists(p);
    });
    const chosen = present ?? ofKind[0];
    if (chosen) add({ id: kind, kind, host: chosen.host, source: 'socket' });
  }
  return out;
}
