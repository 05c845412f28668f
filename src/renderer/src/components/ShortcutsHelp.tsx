import { SHORTCUTS } from '../shortcuts';
import { useApp } from '../store/app';
import { Modal } from './Modal';

/** The `?` dialog: the same table the keys are handled from. */
export function ShortcutsHelp() {
  const close = () => useApp.setState({ help: false });
  return (
    <Modal
      title="Keyboard shortcuts"
      onClose={close}
      testId="shortcuts-help"
      footer={
        <button className="primary" onClick={close}>
          Close
        </button>
      }
    >
      <table className="table compact shortcuts">
        <thead>
          <tr>
            <th scope="col">Keys</th>
            <th scope="col">Does</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.what}>
              <td>
                {s.keys.map((k, i) => (
                  <span key={k}>
                    {i > 0 && <span className="muted"> or </span>}
                    <kbd>{k}</kbd>
                  </span>
                ))}
              </td>
              <td>{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Modal>
  );
}
