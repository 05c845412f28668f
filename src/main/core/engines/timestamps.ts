/**
 * Engine log stamps are RFC3339Nano ("2026-11-23T04:30:00.123456789Z"), with trailing zeros
 * trimmed, so they don't compare as strings. These helpers read them exactly.
 */
const STAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

export function stampToNanos(stamp: string): bigint | null {
  const m = STAMP.exec(stamp);
  if (!m) return null;
  const seconds = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(seconds)) return null;
  const frac = (m[2] ?? '').padEnd(9, '0');
  return BigInt(seconds) * 1_000_000n + BigInt(frac);
}

/** UTC stamps ("…Z"), which both engines send, need no date arithmetic: a fast path per line. */
const UTC_STAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;

/** An ISO string with millisecond precision, for display and sorting. */
export function stampToIso(stamp: string): string {
  const utc = UTC_STAMP.exec(stamp);
  if (utc) return `${utc[1]}.${(utc[2] ?? '').slice(0, 3).padEnd(3, '0')}Z`;
  const n = stampToNanos(stamp);
  return n === null ? new Date().toISOString() : new Date(Number(n / 1_000_000n)).toISOString();
}

/** Whether a line starts with what looks like an engine stamp: a cheap check, made per line. */
export function looksStamped(stamp: string): boolean {
  return stamp.length >= 20 && stamp.charCodeAt(4) === 45 /* - */ && stamp.charCodeAt(10) === 84 /* T */;
}
