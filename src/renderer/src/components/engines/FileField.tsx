import type { EngineFileField } from '../../../../shared/engine';
import { client, desktopDialogs } from '../../client/client';
import { reportError } from '../../store/app';

interface Props {
  label: string;
  value: string;
  /** The input's change, or the path the desktop's dialog chose, as one shape. */
  onChange(e: { target: { value: string } }): void;
  field: EngineFileField;
  issue: string | undefined;
  placeholder: string;
}

/** A path field of the add-engine form (CA, certificate, key, ssh files): typed, or in the desktop app chosen with "Choose…". */
export function FileField({ label, value, onChange, field, issue, placeholder }: Props) {
  const choose = async () => {
    try {
      const { path } = await client.invoke('engines.pickFile', { field, ...(value.trim() ? { current: value.trim() } : {}) });
      if (path) onChange({ target: { value: path } });
    } catch (error) {
      reportError(error);
    }
  };
  return (
    <label className={`field ${issue ? 'invalid' : ''}`}>
      <span>{label}</span>
      <span style={{ display: 'flex', gap: 6 }}>
        <input value={value} onChange={onChange} placeholder={placeholder} spellCheck={false} style={{ flex: 1, minWidth: 0 }} />
        {desktopDialogs && (
          <button type="button" className="small" onClick={() => void choose()} aria-label={`Choose… ${label}`}>
            Choose…
          </button>
        )}
      </span>
      {issue && <em className="field-error">{issue}</em>}
    </label>
  );
}
