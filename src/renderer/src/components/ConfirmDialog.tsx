import type { ReactNode } from 'react';
import { useApp } from '../store/app';
import { Modal } from './Modal';

/** Leaving a form with unsaved changes: Save, Discard or Keep editing (Escape keeps editing). */
export function LeaveDialog() {
  const resolve = useApp((s) => s.resolveLeave);
  const what = useApp((s) => s.unsaved?.what ?? 'this form');
  const stay = () => void resolve('stay');
  return (
    <Modal
      title="Unsaved changes"
      onClose={stay}
      testId="leave-dialog"
      footer={
        <>
          <button onClick={stay}>Keep editing</button>
          <button className="danger" onClick={() => void resolve('discard')}>
            Discard
          </button>
          <button className="primary" onClick={() => void resolve('save')}>
            Save
          </button>
        </>
      }
    >
      <p>Your changes to {what} are not saved yet.</p>
    </Modal>
  );
}

interface ConfirmProps {
  title: string;
  /** The button that does it, named by what it does ("Delete template"). */
  confirmLabel: string;
  /** A destructive action: its button is red and not the default, so Enter alone never does it. */
  danger?: boolean;
  onConfirm(): void;
  onCancel(): void;
  testId?: string;
  children: ReactNode;
}

/** An in-app confirmation (never window.confirm): says what will happen; Escape or Cancel keeps things as they are. */
export function ConfirmDialog({ title, confirmLabel, danger = false, onConfirm, onCancel, testId = 'confirm-dialog', children }: ConfirmProps) {
  return (
    <Modal
      title={title}
      onClose={onCancel}
      testId={testId}
      footer={
        <>
          <button onClick={onCancel}>Cancel</button>
          <button className={danger ? 'danger' : 'primary'} onClick={onConfirm} data-testid="confirm-ok">
            {confirmLabel}
          </button>
        </>
      }
    >
      {children}
    </Modal>
  );
}
