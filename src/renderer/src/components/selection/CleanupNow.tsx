import { useState } from 'react';
import { CleanupDialog } from './CleanupDialog';
import './selection.css';

/** "Clean up now…" and its dialog: the same in Settings and History. */
export function CleanupNow({ label = 'Clean up now…' }: { label?: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      {/* type=button: inside the Settings form it must not save the form. */}
      <button type="button" onClick={() => setOpen(true)} data-testid="cleanup-open">
        {label}
      </button>
      {open && <CleanupDialog onClose={() => setOpen(false)} />}
    </>
  );
}
