import { useEffect, useRef, useState, type KeyboardEvent } from 'react';

/**
 * Keyboard access to a list of rows: Tab reaches the list once (one row is the tab stop), Arrow
 * keys, Home and End move between rows, Enter opens the row. `scrollTo` brings a row of a
 * virtual list into being before it takes the focus.
 */
export function useRovingRows(count: number, open: (index: number) => void, scrollTo?: (index: number) => void) {
  const [active, setActive] = useState(0);
  const container = useRef<HTMLElement | null>(null);
  const want = useRef<number | undefined>(undefined);
  const current = Math.max(0, Math.min(active, count - 1));

  const row = (i: number) => container.current?.querySelector<HTMLElement>(`[data-row-index="${i}"]`);
  const focusWanted = () => {
    if (want.current === undefined) return;
    const el = row(want.current);
    if (el) {
      el.focus();
      want.current = undefined;
    }
  };
  // A virtual list renders the row a render later: focus it when it is there.
  useEffect(focusWanted);

  const move = (to: number) => {
    const i = Math.max(0, Math.min(to, count - 1));
    setActive(i);
    want.current = i;
    scrollTo?.(i);
    focusWanted();
  };

  return {
    containerRef: container,
    /** `tabStop` makes a row the tab stop when the active one is not rendered (virtual lists). */
    rowProps: (index: number, tabStop = index === current) => ({
      tabIndex: tabStop ? 0 : -1,
      'data-row-index': index,
      onFocus: () => setActive(index),
      onKeyDown: (e: KeyboardEvent<HTMLElement>) => {
        // Keys on a button inside the row (Cancel) are the button's.
        if (e.target !== e.currentTarget) return;
        const to = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: count - 1 }[e.key];
        if (to !== undefined) move(to);
        else if (e.key === 'Enter') open(index);
        else return;
        e.preventDefault();
      },
    }),
    current,
  };
}
