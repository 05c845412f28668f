// Secret values a job prints are masked where output enters Jobdeck (the attempt's log path), so
// the log file, the live log.chunks events, stdout.txt/stderr.txt and whatever is later read or
// exported from the log hold the mask, never the value. As CI systems do, values too short to be
// told from ordinary text are left alone: MIN_SECRET_LENGTH.
import { SECRET_MASK, type LiveLogChunk, type LogStream } from '../../../shared/ipc';
import type { AttemptLog } from './attemptLog';

/**
 * Shorter secret values are not masked. A one- to three-character value ("1", "on", "dev")
 * occurs all over ordinary output: masking it would garble every log while hiding nothing a
 * guess would not find (GitLab, for one, refuses to mask values under 8 characters).
 */
export const MIN_SECRET_LENGTH = 4;

export interface Masked {
  /** The text to store and show, secrets replaced by SECRET_MASK. */
  text: string;
  /** How many characters of the job's raw output `text` stands for (the resume point counts these). */
  consumed: number;
}

/** The secrets worth masking, longest first, once each. */
export function maskableSecrets(values: readonly string[]): string[] {
  return [...new Set(values.filter((v) => v.length >= MIN_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
}

/** Every range of `text` that some secret covers (overlapping matches joined), sorted. */
function covered(text: string, secrets: readonly string[]): [number, number][] {
  const found: [number, number][] = [];
  for (const s of secrets) {
    for (let at = text.indexOf(s); at >= 0; at = text.indexOf(s, at + 1)) found.push([at, at + s.length]);
  }
  if (found.length < 2) return found;
  found.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [found[0]!];
  for (const r of found.slice(1)) {
    const last = merged[merged.length - 1]!;
    if (r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push(r);
  }
  return merged;
}

/** The length of the longest suffix of `text` that is a proper prefix of some secret. */
function heldLength(text: string, secrets: readonly string[]): number {
  let best = 0;
  for (const s of secrets) {
    for (let k = Math.min(s.length - 1, text.length); k > best; k--) {
      if (text.endsWith(s.slice(0, k))) {
        best = k;
        break;
      }
    }
  }
  return best;
}

function replaceRanges(text: string, ranges: readonly [number, number][], end: number): string {
  let out = '';
  let at = 0;
  for (const [a, b] of ranges) {
    if (a >= end) break;
    out += text.slice(at, a) + SECRET_MASK;
    at = Math.min(b, end);
  }
  return out + text.slice(at, end);
}

/** Mask a whole text at once (a system line, not a stream). */
export function maskText(text: string, secrets: readonly string[]): string {
  return secrets.length ? replaceRanges(text, covered(text, secrets), text.length) : text;
}

/**
 * One stream of one attempt. Holds back only the longest suffix that is a proper prefix of some
 * secret (it may be the start of a secret the next chunk completes); all else goes out at once.
 */
export class StreamMasker {
  private held = '';

  constructor(private readonly secrets: readonly string[]) {}

  push(chunk: string): Masked {
    const text = this.held + chunk;
    const cut = text.length - heldLength(text, this.secrets);
    this.held = text.slice(cut);
    return { text: replaceRanges(text, covered(text, this.secrets), cut), consumed: cut };
  }

  /** The stream ended: what was held is not the start of a secret after all. */
  end(): Masked {
    const text = this.held;
    this.held = '';
    return { text: maskText(text, this.secrets), consumed: text.length };
  }
}

/**
 * An attempt's log with its secrets masked before anything is written or announced. A job with
 * no secret to mask gets the log itself (no wrapper, no cost).
 */
export function maskedLog(log: AttemptLog, secretValues: readonly string[]): AttemptLog {
  const secrets = maskableSecrets(secretValues);
  return secrets.length ? new MaskedLog(log, secrets) : log;
}

class MaskedLog implements AttemptLog {
  private readonly streams = new Map<LogStream, StreamMasker>();

  constructor(
    private readonly inner: AttemptLog,
    private readonly secrets: readonly string[],
  ) {}

  get bytes(): number {
    return this.inner.bytes;
  }
  get truncated(): boolean {
    return this.inner.truncated;
  }

  backlog(): Promise<void> | undefined {
    return this.inner.backlog?.();
  }

  append(stream: LogStream, data: string, t?: string): LiveLogChunk | null {
    if (stream === 'system') return this.inner.append(stream, maskText(data, this.secrets), t);
    let m = this.streams.get(stream);
    if (!m) this.streams.set(stream, (m = new StreamMasker(this.secrets)));
    const out = m.push(data);
    return out.text ? this.inner.append(stream, out.text, t, out.consumed) : null;
  }

  end(t?: string): LiveLogChunk[] {
    const chunks: LiveLogChunk[] = [];
    for (const [stream, m] of this.streams) {
      const out = m.end();
      const c = out.text ? this.inner.append(stream, out.text, t, out.consumed) : null;
      if (c) chunks.push(c);
    }
    return chunks;
  }

  /**
   * Closing without end() (the app quits, the container runs on) drops what is held: it was
   * never stored, so the resume point does not count it and the next start reads it again.
   */
  close(): Promise<void> {
    return this.inner.close();
  }
}
