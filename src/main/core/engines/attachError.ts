import type { FrameTarget } from './logFrames';

// Podman's compat attach can lose its conmon socket as a fast container exits (podman#11446,
// #3302: "read unixpacket …/attach: read: connection reset by peer"). It then writes the error
// into the hijacked stream as a stderr frame of its own ("Error: …\n"), which would land in the
// job's log as if the program had printed it, and output after the reset is not sent at all.

/** A frame Podman writes itself when its attach socket breaks (hijackWriteError). */
const PODMAN_ATTACH_ERROR = /^Error: (?:error attaching to container [0-9a-f]+: )?(?:read|write) unixpacket [^\n]*\/attach: [^\n]*\n?$/;
const PREFIX = Buffer.from('Error: ');

/**
 * The stderr frames of a Podman attach, passed on unchanged, except that a frame which reads as
 * Podman's own attach error is held back: released as the program's if anything follows it on
 * stderr, dropped if the stream ends there (what `broke` then says, for a read of the engine's
 * log to give what the attach did not).
 */
export class AttachErrorFilter implements FrameTarget {
  /** The frame being read, while it could still be Podman's error. */
  private frame: Buffer[] | undefined;
  /** A whole frame that read as Podman's error, not passed on yet. */
  private suspect: Buffer[] | undefined;
  private inFrame = false;
  /** Podman's words when the attach ended on its own error (the frame was dropped). */
  broke: string | undefined;

  constructor(private readonly inner: FrameTarget) {}

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.suspect) this.release();
    if (!this.inFrame) {
      this.inFrame = true;
      if (startsWithPrefix(chunk)) this.frame = [];
    }
    if (this.frame) this.frame.push(chunk);
    else this.inner.push(chunk);
  }

  endOfEntry(): void {
    this.inFrame = false;
    const frame = this.frame;
    this.frame = undefined;
    if (!frame) return this.inner.endOfEntry();
    if (PODMAN_ATTACH_ERROR.test(Buffer.concat(frame).toString('utf8'))) {
      this.suspect = frame;
      return;
    }
    for (const c of frame) this.inner.push(c);
    this.inner.endOfEntry();
  }

  flush(): void {
    this.inner.flush?.();
  }

  end(): void {
    if (this.frame) {
      // A frame cut off by the end is the program's, whatever it starts with.
      for (const c of this.frame) this.inner.push(c);
      this.frame = undefined;
    }
    if (this.suspect) {
      this.broke = Buffer.concat(this.suspect).toString('utf8').trim();
      this.suspect = undefined;
    }
    this.inner.end();
  }

  private release(): void {
    for (const c of this.suspect!) this.inner.push(c);
    this.suspect = undefined;
    this.inner.endOfEntry();
  }
}

/** Whether a frame's first bytes could begin "Error: " (a first piece shorter than that too). */
function startsWithPrefix(chunk: Buffer): boolean {
  const n = Math.min(chunk.length, PREFIX.length);
  return chunk.subarray(0, n).equals(PREFIX.subarray(0, n));
}
