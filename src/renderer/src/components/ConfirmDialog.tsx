import { useApp } from '../store/app';
import { Modal } from './Modal';

/** Leaving a form with unsaved changes: Save, Discard or Keep editing (Escape keeps editing). */
export function LeaveDialog() {
  const resolve = useApp((s) => s.resolveLeave);
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
      <p>Your changes to Settings are not saved yet.</p>
    </Modal>
  );
}
