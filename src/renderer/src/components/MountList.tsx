import type { Mount } from '../../../shared/template';
import './templates.css';

const mode = (m: Mount) => (m.readOnly ? 'read-only' : 'read-write');

/** Host directories a job or template mounts: host path → container path, and whether it may write. */
export function MountList({ mounts, title = 'Mounts' }: { mounts: Mount[]; title?: string }) {
  if (mounts.length === 0) return null;
  return (
    <div className="panel" data-testid="mount-list">
      <h3>{title}</h3>
      <ul className="mount-list">
        {mounts.map((m, i) => (
          <li key={i} data-testid="mount">
            <span className="mono">{m.hostPath}</span>
            <span aria-hidden>→</span>
            <span className="mono">{m.containerPath}</span>
            <span className={m.readOnly ? 'muted' : 'mode-rw'}>({mode(m)})</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The editor's mounts: add, change, make read-only, remove. */
export function MountEditor({ mounts, issues, onChange }: { mounts: Mount[]; issues: Record<string, string>; onChange(m: Mount[]): void }) {
  const set = (i: number, patch: Partial<Mount>) => onChange(mounts.map((m, j) => (j === i ? { ...m, ...patch } : m)));
  return (
    <div className="field" data-testid="mount-editor">
      <span>Host mounts</span>
      {mounts.map((m, i) => {
        const error = issues[`mounts[${i}].hostPath`] ?? issues[`mounts[${i}].containerPath`];
        return (
          <div className="mount-row" key={i} data-testid="mount-row">
            <input aria-label={`Mount ${i + 1} host path`} value={m.hostPath} placeholder="/host/dir" onChange={(e) => set(i, { hostPath: e.target.value })} />
            <input aria-label={`Mount ${i + 1} container path`} value={m.containerPath} placeholder="/data" onChange={(e) => set(i, { containerPath: e.target.value })} />
            <label className="check">
              <input type="checkbox" checked={m.readOnly} onChange={(e) => set(i, { readOnly: e.target.checked })} />
              read-only
            </label>
            <button type="button" className="ghost" onClick={() => onChange(mounts.filter((_, j) => j !== i))} aria-label={`Remove mount ${i + 1}`}>
              ✕
            </button>
            {error && <em className="field-error">{error}</em>}
          </div>
        );
      })}
      <button type="button" className="small" onClick={() => onChange([...mounts, { hostPath: '', containerPath: '', readOnly: true }])}>
        + Mount
      </button>
    </div>
  );
}
