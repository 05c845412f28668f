import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

/** What Tab may land on inside a dialog. */
const FOCUSABLE = 'a[href], button:not(:disabled), input:not(:disabled):not([type="hidden"]), select:not(:disabled), textarea:not(:disabled), [tabindex]:not([tabindex="-1"])';
/** Body children a dialog leaves alone when it makes the rest inert (the toasts stay live). */
export const KEEP_LIVE = 'data-keep-live';

/** Open dialogs, innermost last: only that one answers keys. */
const stack: HTMLElement[] = [];

interface Props {
  title: string;
  onClose(): void;
  children: ReactNode;
  footer: ReactNode;
  /**
   * What Enter in a field does (not in a textarea or on a button, which keep their own Enter).
   * Without it, Enter clicks the footer's primary button when it is enabled; a dialog without
   * either keeps the native behaviour (a form in its body submits itself).
   */
  onSubmit?(): void;
  /** A test id for the dialog element. */
  testId?: string;
  /** A dialog holding a form or a table (the template editor, the import preview): wider, its body scrolls. */
  wide?: boolean;
}

/**
 * A modal dialog done once for every dialog of the app: the rest of the page is inert while it is
 * open, Tab cycles inside it, Escape closes it, Enter submits it, and focus goes back to what had
 * it before (the button or key that opened it). Not the native <dialog>: its top layer would put
 * the dialog above the toasts that report what its actions did.
 */
export function Modal({ title, onClose, children, footer, onSubmit, testId, wide = false }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  // Read while rendering, before any autoFocus inside the dialog moves the focus.
  const [opener] = useState(() => (document.activeElement instanceof HTMLElement ? document.activeElement : undefined));
  const latest = useRef({ onClose, onSubmit });
  latest.current = { onClose, onSubmit };

  useEffect(() => {
    const dialog = ref.current;
    const backdrop = dialog?.parentElement;
    if (!dialog || !backdrop) return;
    stack.push(dialog);
    const madeInert: HTMLElement[] = [];
    for (const el of Array.from(document.body.children)) {
      if (el === backdrop || !(el instanceof HTMLElement) || el.inert || el.hasAttribute(KEEP_LIVE)) continue;
      el.inert = true;
      madeInert.push(el);
    }
    if (!dialog.contains(document.activeElement)) {
      const first = dialog.querySelector<HTMLElement>(`.modal-body :is(${FOCUSABLE}), footer :is(${FOCUSABLE})`);
      (first ?? dialog).focus();
    }

    const onKey = (e: KeyboardEvent) => {
      if (stack[stack.length - 1] !== dialog || e.isComposing) return;
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        latest.current.onClose();
      } else if (e.key === 'Tab') {
        const all = Array.from(dialog.querySelectorAll<HTMLElement>(FOCUSABLE));
        const first = all[0];
        const last = all[all.length - 1];
        if (!first || !last) return e.preventDefault();
        const at = document.activeElement;
        if (e.shiftKey && (at === first || !dialog.contains(at))) {
          e.preventDefault();
          last.focus();
        } else if (!e.shiftKey && (at === last || !dialog.contains(at))) {
          e.preventDefault();
          first.focus();
        }
      } else if (e.key === 'Enter' && !e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey) {
        const t = e.target;
        if (!(t instanceof HTMLInputElement || t instanceof HTMLSelectElement) || !dialog.contains(t)) return;
        const primary = dialog.querySelector<HTMLButtonElement>('footer button.primary');
        // With no submit of its own and no primary button, a form in the body submits as forms do.
        if (!latest.current.onSubmit && !primary) return;
        // Otherwise one submit per Enter: the body's form does not also submit by itself, and a
        // disabled primary button (the form is not valid yet) means Enter does nothing.
        e.preventDefault();
        if (latest.current.onSubmit) latest.current.onSubmit();
        else if (!primary?.disabled) primary?.click();
      }
    };
    document.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      stack.splice(stack.indexOf(dialog), 1);
      for (const el of madeInert) el.inert = false;
      if (opener?.isConnected) opener.focus();
    };
  }, [opener]);

  return createPortal(
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className={`modal${wide ? ' modal-wide' : ''}`} role="dialog" aria-modal="true" aria-labelledby={titleId} tabIndex={-1} ref={ref} data-testid={testId}>
        <header>
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="ghost" onClick={onClose} aria-label="Close">
            ✕
          </button>
        </header>
        <div className="modal-body">{children}</div>
        <footer>{footer}</footer>
      </div>
    </div>,
    document.body,
  );
}
