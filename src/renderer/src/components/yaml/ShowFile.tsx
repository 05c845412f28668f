import { useId, useState } from 'react';
import { YamlEditor } from './YamlEditor';

/** A dropped file's text, read-only in the same editor as the YAML tab, behind a toggle. */
export function ShowFile({ file }: { file: { name: string; content: string } | undefined }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  if (!file) return null;
  return (
    <div className="show-file">
      <button type="button" className="small" aria-expanded={open} aria-controls={id} onClick={() => setOpen((o) => !o)} data-testid="import-show-file">
        {open ? 'Hide file' : 'Show file'}
      </button>
      {open && (
        <div id={id}>
          <YamlEditor value={file.content} label={`Content of ${file.name}`} testId="import-file-content" />
        </div>
      )}
    </div>
  );
}
