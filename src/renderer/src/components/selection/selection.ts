/**
 * Which rows of a list are selected, as a file manager has it: a click on a row's box or
 * Ctrl/Cmd-click toggles one and moves the anchor there; Shift-click (or Shift+Arrow) adds the
 * rows from the anchor to the one clicked; "all matching" stands for every job the filter finds,
 * on every page, which the core resolves (so it never depends on the rows loaded here).
 */
export interface RowSelection {
  readonly ids: ReadonlySet<string>;
  /** Row index of the last toggle: where a range starts. */
  readonly anchor: number | undefined;
  /** Every row the filter matches, not only those in `ids`. */
  readonly all: boolean;
}

export const NO_SELECTION: RowSelection = { ids: new Set(), anchor: undefined, all: false };

/** Toggle one row (box click, Ctrl/Cmd-click, Space). Leaving "all matching" starts a pick of its own. */
export function toggleRow(sel: RowSelection, index: number, id: string): RowSelection {
  const ids = new Set(sel.all ? [] : sel.ids);
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { ids, anchor: index, all: false };
}

/**
 * Add the rows from the anchor to `index` (Shift-click, Shift+Arrow). `idAt` gives a row's id,
 * or undefined for one not loaded (a range over a virtual list covers what the user scrolled past).
 * Without an anchor it starts one at `index`.
 */
export function selectRange(sel: RowSelection, index: number, idAt: (i: number) => string | undefined): RowSelection {
  const anchor = sel.anchor ?? index;
  const ids = new Set(sel.all ? [] : sel.ids);
  const [lo, hi] = anchor <= index ? [anchor, index] : [index, anchor];
  for (let i = lo; i <= hi; i++) {
    const id = idAt(i);
    if (id !== undefined) ids.add(id);
  }
  return { ids, anchor, all: false };
}

export function selectAllMatching(): RowSelection {
  return { ids: new Set(), anchor: undefined, all: true };
}

/** How many jobs the selection stands for, given how many the filter matches. */
export function selectedCount(sel: RowSelection, total: number): number {
  return sel.all ? total : sel.ids.size;
}

export function isSelected(sel: RowSelection, id: string | undefined): boolean {
  return id !== undefined && (sel.all || sel.ids.has(id));
}

/** A plain click, Ctrl/Cmd-click or Shift-click on a row or its box: the selection after it, or undefined for "open the row". */
export function clickRow(
  sel: RowSelection,
  index: number,
  id: string,
  mods: { shift: boolean; toggle: boolean; box: boolean },
  idAt: (i: number) => string | undefined,
): RowSelection | undefined {
  if (mods.shift) return selectRange(sel, index, idAt);
  if (mods.toggle || mods.box) return toggleRow(sel, index, id);
  return undefined;
}
