import type Docker from 'dockerode';
import { isConnectionError, statusOf } from './errors';

/** Remove a container and its anonymous volumes; one already gone (or going) is no error. */
export async function removeContainer(container: Docker.Container, keep = false): Promise<void> {
  if (keep) return;
  try {
    await container.remove({ force: true, v: true });
  } catch (error) {
    const status = statusOf(error);
    // 404: already gone; 409: removal already in progress.
    if (status !== 404 && status !== 409 && !isConnectionError(error)) throw error;
  }
}

/**
 * What an attempt leaves to remove once its end is told (its container, then an attempt pod's
 * sidecars and volumes), as `docker run --rm` returns at the exit and removes after: the job's
 * end does not wait for the engine's removal, the engine's slot does (RunningAttempt.settled).
 */
export class Leftovers {
  private readonly steps: (() => Promise<void>)[] = [];

  add(step: () => Promise<void>): void {
    this.steps.push(step);
  }

  /**
   * Each in order (a volume goes only once no container holds it). One that fails is left to the
   * next start's reconcile, which removes our containers that no live job claims, as after a crash.
   */
  async remove(): Promise<void> {
    for (const step of this.steps) await step().catch(() => undefined);
  }

  /** Removed once the outcome (or its failure) is in: what RunningAttempt.settled is; never rejects. */
  after(done: Promise<unknown>): Promise<void> {
    return done.then(
      () => this.remove(),
      () => this.remove(),
    );
  }
}
