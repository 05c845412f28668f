import { SECRET_MASK } from '../../../shared/ipc';
import { newEnvRow, type EnvRow } from './runForm';

/**
 * The run's environment, row by row: the template's variables prefilled (a secret one masked in a
 * password field: left as it is, the stored value is kept), changed or added for this run only.
 */
export function EnvRows({ rows, onChange, error }: { rows: EnvRow[]; onChange(rows: EnvRow[]): void; error?: string | undefined }) {
  const set = (key: number, patch: Partial<EnvRow>) => onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  return (
    <fieldset className="env-rows" data-testid="run-env">
      <legend>Environment</legend>
      {rows.map((r) => {
        const label = r.name || 'new variable';
        return (
          <div className="env-line" key={r.key} data-testid="run-env-row">
            <input
              value={r.name}
              aria-label={`Name of ${label}`}
              placeholder="NAME"
              readOnly={!!r.original}
              title={r.original ? "the template's variable: a run may change its value, not its name" : undefined}
              onChange={(e) => set(r.key, { name: e.target.value })}
              className="mono"
            />
            <input
              value={r.value}
              aria-label={`Value of ${label}`}
              type={r.secret ? 'password' : 'text'}
              autoComplete="off"
              placeholder={r.secret ? 'secret value' : 'value'}
              onFocus={(e) => r.original?.secret && r.value === SECRET_MASK && e.target.select()}
              onChange={(e) => set(r.key, { value: e.target.value })}
              className="mono"
            />
            <label className="check">
              <input type="checkbox" checked={r.secret} onChange={(e) => set(r.key, { secret: e.target.checked })} />
              secret
            </label>
            {r.original ? (
              <span className="muted small" title="a run keeps every variable of its template: change its value here">
                (template&apos;s)
              </span>
            ) : (
              <button type="button" className="ghost small" aria-label={`Remove ${label}`} onClick={() => onChange(rows.filter((x) => x.key !== r.key))}>
                ✕
              </button>
            )}
          </div>
        );
      })}
      {error && (
        <em className="field-error" data-testid="error-run-env">
          {error}
        </em>
      )}
      <div>
        <button type="button" className="small" onClick={() => onChange([...rows, newEnvRow()])}>
          Add variable
        </button>
      </div>
    </fieldset>
  );
}
