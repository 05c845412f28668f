import type Docker from 'dockerode';
import { engineMessage, isConnectionError, statusOf } from './errors';

/** The image could not be had: a missing image under Never, or a failed pull. */
export class ImageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageError';
  }
}

type Progress = (status: string, current?: number, total?: number) => void;

/** Images seen present lately, per engine: a queue of short jobs needs not ask before each one. */
const seen = new WeakMap<Docker, Map<string, number>>();
const SEEN_MS = 10_000;

/** A container was just made from `image`: it is there, and the next job need not ask again soon. */
export function markPresent(docker: Docker, image: string): void {
  const cache = seen.get(docker) ?? new Map<string, number>();
  seen.set(docker, cache);
  cache.set(image, Date.now());
}

async function present(docker: Docker, image: string): Promise<boolean> {
  const cache = seen.get(docker) ?? new Map<string, number>();
  seen.set(docker, cache);
  if ((cache.get(image) ?? 0) > Date.now() - SEEN_MS) return true;
  try {
    await docker.getImage(image).inspect();
    cache.set(image, Date.now());
    return true;
  } catch (error) {
    if (statusOf(error) === 404) {
      cache.delete(image);
      return false;
    }
    throw error;
  }
}

/** Pull policy as Kubernetes means it: IfNotPresent, Always, Never. */
export async function ensureImage(
  docker: Docker,
  image: string,
  policy: 'IfNotPresent' | 'Always' | 'Never',
  progress: Progress,
): Promise<void> {
  if (policy !== 'Always' && (await present(docker, image))) return;
  if (policy === 'Never') throw new ImageError(`image ${image} is not present on this engine and the pull policy is Never`);
  await pull(docker, image, progress);
}

interface PullEvent {
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
  progressDetail?: { current?: number; total?: number };
}

async function pull(docker: Docker, image: string, progress: Progress): Promise<void> {
  let stream: NodeJS.ReadableStream;
  try {
    stream = (await docker.pull(image)) as NodeJS.ReadableStream;
  } catch (error) {
    if (isConnectionError(error)) throw error;
    throw new ImageError(`pulling ${image} failed: ${engineMessage(error)}`);
  }
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null, output: PullEvent[]) => {
        // Errors can arrive inside the stream as JSON, with the HTTP status still 200.
        const failed = output.find((e) => e.error || e.errorDetail?.message);
        if (err) reject(isConnectionError(err) ? err : new ImageError(`pulling ${image} failed: ${err.message}`));
        else if (failed) reject(new ImageError(`pulling ${image} failed: ${failed.errorDetail?.message ?? failed.error}`));
        else resolve();
      },
      (e: PullEvent) => {
        if (e.status) progress(e.status, e.progressDetail?.current, e.progressDetail?.total);
      },
    );
  });
  // Podman can end a failed pull without an error event; the image must be there now.
  if (!(await present(docker, image))) throw new ImageError(`pulling ${image} did not produce the image`);
}
