import type { LogChunk, LogStream } from '../../../shared/ipc';

/** One line of an attempt's .jsonl file. Short keys: a log is mostly this framing. */
export interface Line {
  /** ISO time the chunk was read. */
  t: string;
  /** o stdout, e stderr, x system. */
  s: string;
  d: string;
  /** Set on the truncation marker. */
  tr?: 1;
  /** Characters of the job's output this line stands for, where not d.length (masked secrets). */
  n?: number;
}

export const CODE: Record<LogStream, string> = { stdout: 'o', stderr: 'e', system: 'x' };
const STREAM: Record<string, LogStream> = { o: 'stdout', e: 'stderr', x: 'system' };

/** What JSON.stringify escapes (or must look at: surrogates), a newline apart. */
const NOT_PLAIN = /[^\n\u0020\u0021\u0023-\u005b\u005d-\ud7ff\ue000-\uffff]/;

/**
 * JSON.stringify(text), by a shorter road for the usual output (printable text and newlines):
 * JSON.stringify's own escaping was half of writing a log line (2.8 ms per MiB of 64-byte lines).
 */
export function jsonString(text: string): string {
  return NOT_PLAIN.test(text) ? JSON.stringify(text) : `"${text.replaceAll('\n', '\\n')}"`;
}

/** The .jsonl text of a line, as JSON.stringify(line) writes it: the same keys in the same order. */
export function lineJson(l: Line): string {
  let text = `{"t":${jsonString(l.t)},"s":${jsonString(l.s)},"d":${jsonString(l.d)}`;
  if (l.tr !== undefined) text += `,"tr":${l.tr}`;
  if (l.n !== undefined) text += `,"n":${l.n}`;
  return `${text}}`;
}

export function parseLine(raw: string): Line | undefined {
  try {
    const v = JSON.parse(raw) as unknown;
    if (typeof v !== 'object' || v === null) return undefined;
    const l = v as Partial<Line>;
    return typeof l.t === 'string' && typeof l.s === 'string' && typeof l.d === 'string' ? (l as Line) : undefined;
  } catch {
    return undefined; // a torn line after a crash: skipped, not fatal
  }
}

export const toChunk = (attempt: number, l: Line): LogChunk => ({ attempt, stream: STREAM[l.s] ?? 'system', t: l.t, data: l.d });

export const truncationMarker = (bytes: number): string => `[jobdeck] log truncated at ${bytes} bytes (cap set in Settings)\n`;

/** The last complete line of `tail` (bytes ending at the file's end), if it ends in a newline. */
export function lastCompleteLine(tail: Buffer): Line | undefined {
  if (tail.length === 0 || tail[tail.length - 1] !== 0x0a) return undefined;
  const start = tail.lastIndexOf(0x0a, tail.length - 2) + 1;
  return parseLine(tail.subarray(start, tail.length - 1).toString('utf8'));
}

/** The marker line is short; a tail this long always holds it whole. */
export const TAIL_BYTES = 4096;
