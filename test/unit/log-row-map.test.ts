// Terminal rows and the log lines they show (issue 9): the gutter beside the terminal finds each
// row's line by counting line starts from one known row, whichever side of it the row lies.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countNewlines, indexAtRow, rowLines, rowOfIndex, type Rows } from '../../src/renderer/src/components/log/rowMap';

/** A buffer from line lengths in rows (3: a line wrapped over three rows). */
function buffer(heights: number[]): { rows: Rows; lineOf: number[] } {
  const lineOf: number[] = [];
  const wrapped: boolean[] = [];
  heights.forEach((h, line) => {
    for (let k = 0; k < h; k++) {
      lineOf.push(line);
      wrapped.push(k > 0);
    }
  });
  return { rows: { length: wrapped.length, isWrapped: (r) => wrapped[r] ?? false }, lineOf };
}

describe('row map', () => {
  it('finds the line of every row from any known row, above or below it', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 40 }), fc.nat(), (heights, pick) => {
        const { rows, lineOf } = buffer(heights);
        const at = pick % rows.length;
        const anchor = { row: at, index: lineOf[at]! };
        for (let r = 0; r < rows.length; r++) expect(indexAtRow(rows, anchor, r)).toBe(lineOf[r]);
        for (let line = 0; line < heights.length; line++) expect(rowOfIndex(rows, anchor, line)).toBe(lineOf.indexOf(line));
        expect(rowOfIndex(rows, anchor, heights.length)).toBeUndefined();
        expect(rowOfIndex(rows, anchor, -1)).toBeUndefined();
      }),
    );
  });

  it('a trimmed top (the buffer begins inside a wrapped line) keeps the numbering', () => {
    const { rows } = buffer([3, 1, 2]);
    const trimmed: Rows = { length: rows.length - 1, isWrapped: (r) => rows.isWrapped(r + 1) };
    // Rows now: [line 0 cont, line 0 cont, line 1, line 2, line 2 cont]; the cursor on line 2's last row.
    expect(rowLines(trimmed, { row: 4, index: 2 }, 0, 5)).toEqual([
      { index: 0, start: false },
      { index: 0, start: false },
      { index: 1, start: true },
      { index: 2, start: true },
      { index: 2, start: false },
    ]);
  });

  it('counts the newlines of a piece of text', () => {
    expect(countNewlines('')).toBe(0);
    expect(countNewlines('a\nb\n\nc')).toBe(3);
  });
});
