import { useState } from 'react';
import { Modal } from '../Modal';
import '../yaml/yaml.css';

export interface ExportChoice {
  format: 'yaml' | 'json' | 'kubernetes';
  /** A file each goes out as one .tar.gz (archive): a browser saves one download without asking. */
  bundle: 'oneFile' | 'archive';
}

/** Export several templates: the format, and one file (documents one after another) or a file each. */
export function ExportDialog({ count, onExport, onCancel }: { count: number; onExport(c: ExportChoice): void; onCancel(): void }) {
  const [choice, setChoice] = useState<ExportChoice>({ format: 'yaml', bundle: 'oneFile' });
  const radio = <K extends keyof ExportChoice>(k: K, v: ExportChoice[K], label: string) => (
    <label className="check">
      <input type="radio" name={k} checked={choice[k] === v} onChange={() => setChoice((c) => ({ ...c, [k]: v }))} />
      {label}
    </label>
  );
  const noun = `${count} template${count === 1 ? '' : 's'}`;
  return (
    <Modal
      title={`Export ${noun}`}
      onClose={onCancel}
      testId="export-dialog"
      footer={
        <>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" className="primary" onClick={() => onExport(choice)} data-testid="export-submit">
            Export {noun}
          </button>
        </>
      }
    >
      <div className="export-choices">
        <fieldset className="plain-fieldset">
          <legend>Files</legend>
          <div className="checks">
            {radio('bundle', 'oneFile', choice.format === 'json' ? 'one file (a JSON list)' : 'one file (YAML documents separated by ---)')}
            {radio('bundle', 'archive', 'a file per template (in one .tar.gz)')}
          </div>
        </fieldset>
        <fieldset className="plain-fieldset">
          <legend>Format</legend>
          <div className="checks">
            {radio('format', 'yaml', 'YAML')}
            {radio('format', 'json', 'JSON')}
            {radio('format', 'kubernetes', 'Kubernetes Job / CronJob manifests')}
          </div>
        </fieldset>
        <p className="muted small">Secret values are never exported: fill them in before importing the file elsewhere. Jobdeck imports these files back as they are.</p>
      </div>
    </Modal>
  );
}
