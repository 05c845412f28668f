import type Docker from 'dockerode';
import type { EngineKind } from '../../../shared/engine';
import { createDockerClient } from './client';
import type { EngineCandidate } from './discovery';
import { DockerExecutor, type ExecutorOptions } from './executor';
import type { EngineDriver } from './registry';

/** Podman answers GET /libpod/_ping; Docker does not. */
async function detectKind(docker: Docker): Promise<EngineKind> {
  try {
    await new Promise<void>((resolve, reject) => {
      docker.modem.dial(
        { path: '/libpod/_ping', method: 'GET', statusCodes: { 200: true }, options: {} },
        (err: unknown) => (err ? reject(err) : resolve()),
      );
    });
    return 'podman';
  } catch {
    return 'docker';
  }
}

/** An engine over the Docker Engine API (dockerode): Docker, and Podman's compat socket. */
export function dockerEngine(candidate: EngineCandidate, options: ExecutorOptions): EngineDriver {
  const docker = createDockerClient(candidate.host, candidate.tls);
  return {
    docker,
    executor: new DockerExecutor(candidate.id, docker, options),
    async probe() {
      await docker.ping();
      const version = (await docker.version()) as { Version?: string; ApiVersion?: string };
      return {
        ...(version.Version ? { version: version.Version } : {}),
        ...(version.ApiVersion ? { apiVersion: version.ApiVersion } : {}),
      };
    },
    detectKind: () => detectKind(docker),
  };
}
