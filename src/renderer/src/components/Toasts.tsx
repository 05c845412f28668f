import { createPortal } from 'react-dom';
import { useApp } from '../store/app';
import { KEEP_LIVE } from './Modal';

/** In their own place under <body>, so an open dialog (which makes the rest inert) leaves them readable. */
export function Toasts() {
  const toasts = useApp((s) => s.toasts);
  const dismiss = useApp((s) => s.dismiss);
  return createPortal(
    <div className="toasts" role="status" {...{ [KEEP_LIVE]: '' }}>
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.tone}`} onClick={() => dismiss(t.id)}>
          {t.text}
        </div>
      ))}
    </div>,
    document.body,
  );
}
