import type Docker from 'dockerode';
import type { EngineKind } from '../../../shared/engine';
import { engineClient } from './client';
import { statusOf } from './errors';
import type { EngineCandidate } from './discovery';
import { DockerExecutor, type ExecutorOptions } from './executor';
import type { EngineDriver } from './registry';

/** Podman answers GET /libpod/_ping; Docker says 404. Undefined: neither answer came. */
async function askKind(docker: Docker): Promise<EngineKind | undefined> {
  try {
    await new Promise<void>((resolve, reject) => {
      docker.modem.dial(
        { path: '/libpod/_ping', method: 'GET', statusCodes: { 200: true }, options: {} },
        (err: unknown) => (err ? reject(err) : resolve()),
      );
    });
    return 'podman';
  } catch (error) {
    return statusOf(error) === 404 ? 'docker' : undefined;
  }
}

const detectKind = async (docker: Docker): Promise<EngineKind> => (await askKind(docker)) ?? 'docker';

/** An engine over the Docker Engine API (dockerode): Docker, and Podman's compat socket. */
export function dockerEngine(candidate: EngineCandidate, options: ExecutorOptions): EngineDriver {
  const client = engineClient(candidate);
  const docker = client.docker;
  const executor = new DockerExecutor(candidate.id, docker, options);
  return {
    docker,
    executor,
    describeError: client.describe,
    close: () => client.close?.(),
    async probe() {
      if (client.configError) throw client.configError;
      await docker.ping();
      // Asked of the engine itself, once: a socket named docker.sock may be Podman's.
      executor.kind ??= await askKind(docker);
      const version = (await docker.version()) as { Version?: string; ApiVersion?: string };
      return {
        ...(version.Version ? { version: version.Version } : {}),
        ...(version.ApiVersion ? { apiVersion: version.ApiVersion } : {}),
      };
    },
    detectKind: () => detectKind(docker),
  };
}
