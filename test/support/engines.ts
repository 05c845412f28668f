import Docker from 'dockerode';
import { existsSync, readFileSync } from 'node:fs';
import { pack } from 'tar-stream';
import type { EngineKind } from '../../src/shared/engine';
import { APPLETS, BUSYBOX, TEST_IMAGE } from './testImage';

export { TEST_IMAGE };

export interface EngineTarget {
  kind: EngineKind;
  host: string;
  /** Why it cannot be used here, or undefined when it answers. */
  missing?: string;
}

const HOSTS: Record<EngineKind, string> = {
  docker: process.env.JOBDECK_TEST_DOCKER_HOST ?? 'unix:///var/run/docker.sock',
  podman: process.env.JOBDECK_TEST_PODMAN_HOST ?? 'unix:///run/podman/podman.sock',
};

export const clientFor = (host: string): Docker => new Docker({ socketPath: host.replace(/^unix:\/\//, '') });

/**
 * Both engines, each marked missing when it does not answer. In CI a missing engine is an
 * error (the run must exercise both); elsewhere its half of the suite reports itself skipped.
 */
export async function engineTargets(): Promise<EngineTarget[]> {
  const out: EngineTarget[] = [];
  for (const kind of ['docker', 'podman'] as const) {
    const host = HOSTS[kind];
    try {
      await clientFor(host).ping();
      out.push({ kind, host });
    } catch (error) {
      const why = `${kind} engine not reachable at ${host}: ${error instanceof Error ? error.message : String(error)}`;
      if (process.env.CI) throw new Error(`${why} (CI requires both engines; run scripts/engines.sh start)`);
      out.push({ kind, host, missing: why });
    }
  }
  return out;
}

/** A tiny image made here from Debian's busybox-static: no registry needed. */
export async function ensureTestImage(docker: Docker): Promise<void> {
  try {
    await docker.getImage(TEST_IMAGE).inspect();
    return;
  } catch {
    // not there yet
  }
  if (!existsSync(BUSYBOX)) throw new Error(`${BUSYBOX} is missing: apt-get install busybox-static`);
  const tar = pack();
  tar.entry({ name: 'bin', type: 'directory', mode: 0o755 });
  tar.entry({ name: 'tmp', type: 'directory', mode: 0o1777 });
  tar.entry({ name: 'out', type: 'directory', mode: 0o777 });
  tar.entry({ name: 'bin/busybox', mode: 0o755 }, readFileSync(BUSYBOX));
  for (const a of APPLETS) tar.entry({ name: `bin/${a}`, type: 'symlink', linkname: 'busybox' });
  tar.finalize();
  const [repo, tag] = TEST_IMAGE.split(':');
  const stream = await docker.importImage(tar as unknown as NodeJS.ReadableStream, { repo, tag });
  await new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve())),
  );
  await docker.getImage(TEST_IMAGE).inspect();
}

/** Containers a test left behind, by our instance label. */
export async function leftovers(docker: Docker, instanceId: string): Promise<string[]> {
  const list = await docker.listContainers({ all: true, filters: { label: [`dev.jobdeck.instance=${instanceId}`] } });
  return list.map((c) => c.Id);
}
