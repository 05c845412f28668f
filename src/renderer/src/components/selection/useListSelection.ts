import { useMemo, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { clickRow, NO_SELECTION, selectRange, toggleRow, type RowSelection } from './selection';

/**
 * Multi-select over a list held whole in memory (the Queue): the rows in order as `ids`. Ids
 * that left the list (a job that finished) fall out of the selection by themselves.
 */
export function useListSelection(ids: readonly string[]) {
  const [sel, setSel] = useState<RowSelection>(NO_SELECTION);
  const idAt = (i: number) => ids[i];
  const present = useMemo(() => new Set(ids), [ids.join(',')]);
  const selected = [...sel.ids].filter((id) => present.has(id));

  return {
    selected,
    isSelected: (id: string) => sel.ids.has(id) && present.has(id),
    clear: () => setSel(NO_SELECTION),
    /** Every row of the list (the Queue has no filter: all it shows), as ids: a job queued after is not in it. */
    selectAll: () => setSel({ ids: new Set(ids), anchor: undefined, all: false }),
    /** A click on a row: true when it changed the selection (Shift, Ctrl/Cmd), false to open the row. */
    click(e: MouseEvent, index: number, box = false): boolean {
      const id = ids[index];
      if (!id) return false;
      const next = clickRow(sel, index, id, { shift: e.shiftKey, toggle: e.ctrlKey || e.metaKey, box }, idAt);
      if (!next) return false;
      setSel(next);
      return true;
    },
    /** Space toggles the focused row; Shift+Arrow adds the row moved to. True when it took the key. */
    key(e: KeyboardEvent, index: number): boolean {
      const id = ids[index];
      if (!id || e.target !== e.currentTarget) return false;
      if (e.key === ' ') {
        setSel(toggleRow(sel, index, id));
        return true;
      }
      if (e.shiftKey && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
        const to = Math.max(0, Math.min(ids.length - 1, index + (e.key === 'ArrowDown' ? 1 : -1)));
        setSel(selectRange(sel.anchor === undefined ? toggleRow(sel, index, id) : sel, to, idAt));
      }
      return false;
    },
  };
}
