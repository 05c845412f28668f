import { useEffect } from 'react';
import { VIEWS } from './routes';
import { useApp } from './store/app';

const typing = (t: EventTarget | null) =>
  t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName) || !!t.closest('.xterm'));

/**
 * Gmail-style `g` then a letter, Ctrl+1..6, `n` for a new run, `/` for the view's search box.
 * Keys typed into a field are left alone.
 */
export function useShortcuts(): void {
  useEffect(() => {
    let gAt = 0;
    const onKey = (e: KeyboardEvent) => {
      const app = useApp.getState();
      if (e.key === 'Escape') {
        if (app.run) app.openRun(undefined);
        return;
      }
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
      else if (e.key === 'n') {
        e.preventDefault();
        app.openRun({});
      } else if (e.key === '/') {
        const search = document.querySelector<HTMLInputElement>('[data-search]');
        if (search) {
          e.preventDefault();
          search.focus();
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
