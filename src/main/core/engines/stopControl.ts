import type Docker from 'dockerode';
import type { AttemptOutcome, StopReason } from './types';

/** A stop asked for before the container exists is honoured as soon as it does. */
export class StopControl {
  reason: StopReason | undefined;
  detached = false;
  following: (NodeJS.ReadableStream & { destroy?: () => void }) | undefined;
  private container: Docker.Container | undefined;
  private grace = 10;

  attach(container: Docker.Container, graceSeconds: number): void {
    this.container = container;
    this.grace = graceSeconds;
    if (this.reason) this.send();
  }

  detach(): void {
    this.detached = true;
    this.following?.destroy?.();
  }

  /** The container runs: a stop that reached it before it did is sent again. */
  started(): void {
    if (this.reason) this.send();
  }

  request(reason: StopReason): void {
    if (this.reason) return;
    this.reason = reason;
    if (this.container) this.send();
  }

  /**
   * A stop the app asked for is the attempt's end, whatever the engine said meanwhile (Podman
   * refuses a start that a stop overtook): cancelled, not failed.
   */
  outcome(o: AttemptOutcome): AttemptOutcome {
    return this.reason && o.reason === 'Error' ? { ...o, reason: this.reason, exitCode: null } : o;
  }

  private send(): void {
    // stop = SIGTERM, `t` seconds of grace, then SIGKILL — done by the engine.
    this.container?.stop({ t: this.grace }).catch(() => undefined);
  }
}
