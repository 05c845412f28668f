import { useEffect } from 'react';
import { VIEWS } from './routes';
import { useApp } from './store/app';

/** Every shortcut, once: useShortcuts acts on it and the `?` dialog lists it. */
export const SHORTCUTS: { keys: string[]; what: string }[] = [
  ...VIEWS.map((v, i) => ({ keys: [`g ${v.key}`, `Ctrl+${i + 1}`], what: `Go to ${v.label}` })),
  { keys: ['n'], what: 'New run' },
  { keys: ['/'], what: "Search this view (the log's search on a job page)" },
  { keys: ['?'], what: 'Show these shortcuts' },
  { keys: ['↑', '↓'], what: 'Move between rows of Queue and History' },
  { keys: ['Enter'], what: 'Open the row; in a dialog, submit it' },
  { keys: ['+', '−'], what: "Raise or lower the focused pending job's priority (Queue)" },
  { keys: ['Esc'], what: 'Close the dialog' },
];

/** Inputs that take no text: a letter pressed on them is a shortcut, not typing. */
const NOT_TEXT = ['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'];
const typing = (t: EventTarget | null) =>
  t instanceof HTMLElement &&
  (t.isContentEditable ||
    (t instanceof HTMLInputElement && !NOT_TEXT.includes(t.type)) ||
    ['TEXTAREA', 'SELECT'].includes(t.tagName) ||
    !!t.closest('.xterm, .cm-editor'));

/**
 * Gmail-style `g` then a letter, Ctrl+1..6, `n` for a new run, `/` for the view's search box,
 * `?` for the list. Keys typed into a field are left alone; an open dialog keeps its keys (Modal).
 */
export function useShortcuts(): void {
  useEffect(() => {
    let gAt = 0;
    const onKey = (e: KeyboardEvent) => {
      const app = useApp.getState();
      if (document.querySelector('[aria-modal="true"]')) return;
      if ((e.ctrlKey || e.metaKey) && /^[1-6]$/.test(e.key)) {
        const v = VIEWS[Number(e.key) - 1];
        if (v) {
          e.preventDefault();
          app.go(v.view);
        }
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      if (gAt && Date.now() - gAt < 1200) {
        gAt = 0;
        const v = VIEWS.find((x) => x.key === e.key);
        if (v) app.go(v.view);
        return;
      }
      if (e.key === 'g') gAt = Date.now();
      else if (e.key === '?') {
        e.preventDefault();
        useApp.setState({ help: true });
      } else if (e.key === 'n') {
        if (app.connection !== 'connected') return;
        e.preventDefault();
        app.openRun({});
      } else if (e.key === '/') {
        const search = document.querySelector<HTMLInputElement>('main [data-search]');
        if (search) {
          e.preventDefault();
          search.focus();
          search.select();
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
