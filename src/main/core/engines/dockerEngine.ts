import type Docker from 'dockerode';
import type { EngineKind } from '../../../shared/engine';
import { engineClient } from './client';
import { statusOf } from './errors';
import type { EngineCandidate } from './discovery';
import { DockerExecutor, type ExecutorOptions } from './executor';
import type { EngineDriver, EngineProbe } from './registry';

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

const versionOf = (v: { Version?: string; ApiVersion?: string }): EngineProbe => ({
  ...(v.Version ? { version: v.Version } : {}),
  ...(v.ApiVersion ? { apiVersion: v.ApiVersion } : {}),
});

/** An engine over the Docker Engine API (dockerode): Docker, and Podman's compat socket. */
export function dockerEngine(candidate: EngineCandidate, options: ExecutorOptions): EngineDriver {
  const client = engineClient(candidate);
  const docker = client.docker;
  const executor = new DockerExecutor(candidate.id, docker, options);
  let known: EngineProbe | undefined;
  return {
    docker,
    executor,
    describeError: client.describe,
    close: () => {
      executor.close();
      client.close?.();
    },
    async probe() {
      if (client.configError) throw client.configError;
      try {
        await docker.ping();
        // Asked of the engine itself, once: a socket named docker.sock may be Podman's.
        executor.kind ??= await askKind(docker);
        // The version once per time the engine is up: Podman's /version runs a package query per
        // component each time (seconds on a busy machine), and a restart is seen as a failed ping.
        known ??= versionOf((await docker.version()) as { Version?: string; ApiVersion?: string });
        return known;
      } catch (error) {
        known = undefined;
        throw error;
      }
    },
    detectKind: () => detectKind(docker),
  };
}
