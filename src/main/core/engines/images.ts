import type Docker from 'dockerode';
import { engineMessage, isConnectionError, statusOf } from './errors';
import type { LocalImage } from '../../../shared/ipc';

/** The image could not be had: a missing image under Never, or a failed pull. */
export class ImageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageError';
  }
}

type Progress = (status: string, current?: number, total?: number, layer?: string) => void;

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

/**
 * A create refused for want of its image (Docker: "No such image: x", Podman: "no such image: x:
 * image not known", both 404): the cue to pull under IfNotPresent, as `docker run` does, instead
 * of asking for the image before every create.
 */
export function isMissingImage(error: unknown): boolean {
  return statusOf(error) === 404 && /no such image|image not known/i.test(engineMessage(error));
}

/** The message of a missing image under pull policy Never. */
export const neverPulled = (image: string) =>
  new ImageError(`image ${image} is not present on this engine and the pull policy is Never: use a tag this engine has (docker images), or pull it first`);

/** Pull policy as Kubernetes means it: IfNotPresent, Always, Never. */
export async function ensureImage(
  docker: Docker,
  image: string,
  policy: 'IfNotPresent' | 'Always' | 'Never',
  progress: Progress,
): Promise<void> {
  if (policy !== 'Always' && (await present(docker, image))) return;
  if (policy === 'Never') throw neverPulled(image);
  await pull(docker, image, progress);
}

interface PullEvent {
  id?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
  progressDetail?: { current?: number; total?: number };
}

/** What the registry (or engine) said, then what to try: a local tag, or pull policy Never. */
export function pullFailed(image: string, said: string): ImageError {
  return new ImageError(
    `could not pull ${image}: ${said.trim()}. ` +
      'Check the name and your network; to run an image already on this machine, use a tag this engine has (see Run an image), ' +
      'or, for an image built or imported here, set the pull policy to Never.',
  );
}

export async function pull(docker: Docker, image: string, progress: Progress): Promise<void> {
  let stream: NodeJS.ReadableStream;
  try {
    stream = (await docker.pull(image)) as NodeJS.ReadableStream;
  } catch (error) {
    if (isConnectionError(error)) throw error;
    throw pullFailed(image, engineMessage(error));
  }
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null, output: PullEvent[]) => {
        // Errors can arrive inside the stream as JSON, with the HTTP status still 200.
        const failed = output.find((e) => e.error || e.errorDetail?.message);
        if (err) reject(isConnectionError(err) ? err : pullFailed(image, err.message));
        else if (failed) reject(pullFailed(image, failed.errorDetail?.message ?? failed.error ?? 'no reason given'));
        else resolve();
      },
      (e: PullEvent) => {
        if (e.status) progress(e.status, e.progressDetail?.current, e.progressDetail?.total, e.id);
      },
    );
  });
  // Podman can end a failed pull without an error event; the image must be there now.
  if (!(await present(docker, image))) throw pullFailed(image, 'the engine ended the pull without the image');
}

/** What GET /images/json answers, per image (Docker and Podman's compat API alike). */
export interface ImageSummary {
  Id: string;
  RepoTags?: string[] | null;
  Size: number;
  Created?: number;
}

/** docker.io/library/busybox:1.36 → busybox:1.36, as `docker images` shows a tag (Podman spells it out). */
export function shortTag(tag: string): string {
  return tag.replace(/^docker\.io\/library\//, '').replace(/^docker\.io\//, '');
}

/** An engine's tagged images, newest first; untagged (dangling) ones left out. */
export function localImages(engineId: string, images: ImageSummary[]): LocalImage[] {
  return images
    .map((i) => ({ i, tags: (i.RepoTags ?? []).filter((t) => t && !t.includes('<none>')).map(shortTag) }))
    .filter(({ tags }) => tags.length > 0)
    .sort((a, b) => (b.i.Created ?? 0) - (a.i.Created ?? 0))
    .map(({ i, tags }) => ({
      engineId,
      id: i.Id,
      tags,
      size: i.Size,
      ...(i.Created ? { created: new Date(i.Created * 1000).toISOString() } : {}),
    }));
}
