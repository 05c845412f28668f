import type { EnvVar } from '../../../../shared/template';

/** The editor's environment: name, value (masked when secret), secret or not, remove. */
export function EnvEditor({ env, issues, onChange }: { env: EnvVar[]; issues: Record<string, string>; onChange(env: EnvVar[]): void }) {
  const set = (i: number, patch: Partial<EnvVar>) => onChange(env.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  return (
    <div className="field" data-testid="env-editor">
      <span>Environment</span>
      {env.map((e, i) => (
        <div className="env-row" key={i}>
          <input aria-label={`Variable ${i + 1} name`} className={issues[`env[${i}].name`] ? 'invalid' : ''} value={e.name} placeholder="NAME" onChange={(ev) => set(i, { name: ev.target.value })} />
          <input aria-label={`Variable ${i + 1} value`} type={e.secret ? 'password' : 'text'} value={e.value} placeholder="value" onChange={(ev) => set(i, { value: ev.target.value })} />
          <label className="check">
            <input type="checkbox" checked={e.secret} onChange={(ev) => set(i, { secret: ev.target.checked })} />
            secret
          </label>
          <button type="button" className="ghost" onClick={() => onChange(env.filter((_, j) => j !== i))} aria-label={`Remove variable ${i + 1}`}>
            ✕
          </button>
          {issues[`env[${i}].name`] && <em className="field-error">{issues[`env[${i}].name`]}</em>}
        </div>
      ))}
      <button type="button" className="small" onClick={() => onChange([...env, { name: '', value: '', secret: false }])}>
        + Variable
      </button>
    </div>
  );
}
