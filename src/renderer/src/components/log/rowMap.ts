/**
 * Terminal rows and the lines they show. The terminal holds the log's text alone (the numbers and
 * stream marks are drawn beside it, log/gutter.ts); a row that is not the wrapped continuation of
 * the one above starts the next line. So from one row whose line is known (an anchor: the cursor
 * once everything written is parsed, or a marker left where a write ended) every other row's line
 * follows by counting line starts, and only the rows between the anchor and the ones wanted are
 * looked at.
 */
export interface Rows {
  readonly length: number;
  isWrapped(row: number): boolean;
}

export interface Anchor {
  /** A buffer row… */
  row: number;
  /** …and the index (in written order, log/lineRing.ts) of the line it belongs to. */
  index: number;
}

/** The index of the line `row` belongs to. */
export function indexAtRow(rows: Rows, anchor: Anchor, row: number): number {
  let index = anchor.index;
  if (row <= anchor.row) {
    for (let r = anchor.row; r > row; r--) if (!rows.isWrapped(r)) index--;
  } else {
    for (let r = anchor.row + 1; r <= row; r++) if (!rows.isWrapped(r)) index++;
  }
  return index;
}

/** The row where the line of `index` starts, if the buffer holds it. */
export function rowOfIndex(rows: Rows, anchor: Anchor, index: number): number | undefined {
  if (index <= anchor.index) {
    let at = anchor.index;
    for (let r = Math.min(anchor.row, rows.length - 1); r >= 0; r--) {
      if (rows.isWrapped(r)) continue;
      if (at === index) return r;
      at--;
    }
    return undefined;
  }
  let at = anchor.index;
  for (let r = anchor.row + 1; r < rows.length; r++) {
    if (rows.isWrapped(r)) continue;
    if (++at === index) return r;
  }
  return undefined;
}

/** For `count` rows from `top`: the index of each row's line and whether the row starts it. */
export function rowLines(rows: Rows, anchor: Anchor, top: number, count: number): { index: number; start: boolean }[] {
  const out: { index: number; start: boolean }[] = [];
  let index = indexAtRow(rows, anchor, top);
  for (let r = top; r < top + count; r++) {
    const start = !rows.isWrapped(r);
    if (r > top && start) index++;
    out.push({ index, start });
  }
  return out;
}

/** Newlines in a piece of terminal text (each starts a line). */
export function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}
