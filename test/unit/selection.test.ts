import { describe, expect, it } from 'vitest';
import {
  clickRow,
  isSelected,
  NO_SELECTION,
  selectAllMatching,
  selectedCount,
  selectRange,
  toggleRow,
} from '../../src/renderer/src/components/selection/selection';

const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
const idAt = (i: number) => ids[i];
const sorted = (s: { ids: ReadonlySet<string> }) => [...s.ids].sort();

describe('row selection', () => {
  it('toggles one row and moves the anchor there', () => {
    const one = toggleRow(NO_SELECTION, 1, 'b');
    expect(sorted(one)).toEqual(['b']);
    expect(one.anchor).toBe(1);
    const two = toggleRow(one, 3, 'd');
    expect(sorted(two)).toEqual(['b', 'd']);
    expect(sorted(toggleRow(two, 1, 'b'))).toEqual(['d']);
  });

  it('adds the range from the anchor to the row, in either direction, keeping the anchor', () => {
    const start = toggleRow(NO_SELECTION, 1, 'b');
    const down = selectRange(start, 4, idAt);
    expect(sorted(down)).toEqual(['b', 'c', 'd', 'e']);
    expect(down.anchor).toBe(1);
    const up = selectRange(toggleRow(NO_SELECTION, 4, 'e'), 2, idAt);
    expect(sorted(up)).toEqual(['c', 'd', 'e']);
  });

  it('keeps what was picked before a range, and skips rows not loaded', () => {
    const picked = toggleRow(toggleRow(NO_SELECTION, 0, 'a'), 3, 'd');
    expect(sorted(selectRange(picked, 5, (i) => (i === 4 ? undefined : ids[i])))).toEqual(['a', 'd', 'f']);
  });

  it('starts a range at the row when there is no anchor', () => {
    expect(sorted(selectRange(NO_SELECTION, 2, idAt))).toEqual(['c']);
  });

  it('"all matching" counts the filter total, and a toggle leaves it for a pick of its own', () => {
    const all = selectAllMatching();
    expect(selectedCount(all, 37)).toBe(37);
    expect(isSelected(all, 'zzz')).toBe(true);
    const after = toggleRow(all, 2, 'c');
    expect(after.all).toBe(false);
    expect(sorted(after)).toEqual(['c']);
    expect(selectedCount(after, 37)).toBe(1);
  });

  it('a plain click opens the row; Ctrl/Cmd-click or the box toggles; Shift-click ranges', () => {
    expect(clickRow(NO_SELECTION, 0, 'a', { shift: false, toggle: false, box: false }, idAt)).toBeUndefined();
    const t = clickRow(NO_SELECTION, 0, 'a', { shift: false, toggle: true, box: false }, idAt)!;
    expect(sorted(t)).toEqual(['a']);
    expect(sorted(clickRow(t, 2, 'c', { shift: true, toggle: false, box: false }, idAt)!)).toEqual(['a', 'b', 'c']);
    expect(sorted(clickRow(t, 0, 'a', { shift: false, toggle: false, box: true }, idAt)!)).toEqual([]);
  });
});
