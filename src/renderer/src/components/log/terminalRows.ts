import type { Terminal } from '@xterm/xterm';
import { lineNumberOf } from './lineFormat';

/** The line number a buffer row belongs to (the nearest line start at or above it). */
export function lineAtRow(term: Terminal, row: number): number | undefined {
  const buf = term.buffer.active;
  for (let r = row; r >= 0; r--) {
    const line = buf.getLine(r);
    if (!line) return undefined;
    if (!line.isWrapped) return lineNumberOf(line.translateToString(true));
  }
  return undefined;
}

/** The buffer row where log line `n` starts, if the terminal holds it. */
export function rowOfLine(term: Terminal, n: number): number | undefined {
  const buf = term.buffer.active;
  // Rows go up with line numbers: a binary search over line starts would do, a scan of 10,000 rows is quick enough.
  for (let r = 0; r < buf.length; r++) {
    const line = buf.getLine(r);
    if (line && !line.isWrapped && lineNumberOf(line.translateToString(true)) === n) return r;
  }
  return undefined;
}

/** The first and last line the terminal holds (all of its scrollback), for "lines X–Y of Z". */
export function heldLines(term: Terminal): { first?: number; last?: number } {
  const buf = term.buffer.active;
  let last: number | undefined;
  for (let r = buf.length - 1; r >= 0 && last === undefined; r--) last = lineAtRow(term, r);
  return { first: lineAtRow(term, 0), last };
}
