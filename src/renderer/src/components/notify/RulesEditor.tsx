// The rules as a list of rows: on what, how (each attempt / after the last retry, a duration,
// k × p95) and to which channels. Used by Settings (the default rules) and the template editor.
import { useId } from 'react';
import { DESKTOP_CHANNEL, type NotifyChannel, type NotifyOn, type NotifyRuleInput } from '../../../../shared/notify';

const ON: { value: NotifyOn; label: string }[] = [
  { value: 'failure', label: 'Failure' },
  { value: 'success', label: 'Success' },
  { value: 'start', label: 'Start' },
  { value: 'late', label: 'Running late' },
  { value: 'stuck', label: 'Stuck pending' },
  { value: 'recovered', label: 'Recovered' },
];

interface Props {
  rules: NotifyRuleInput[];
  channels: NotifyChannel[];
  onChange(rules: NotifyRuleInput[]): void;
  /** Problems by path ("[0].afterSeconds"), from the schema. */
  issues: Record<string, string>;
  label: string;
}

const newId = (rules: NotifyRuleInput[]): string => {
  for (let i = rules.length + 1; ; i++) if (!rules.some((r) => r.id === `rule-${i}`)) return `rule-${i}`;
};

export function RulesEditor({ rules, channels, onChange, issues, label }: Props) {
  const uid = useId();
  const set = (i: number, patch: Partial<NotifyRuleInput>) => onChange(rules.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const targets = [{ id: DESKTOP_CHANNEL, name: 'Desktop' }, ...channels];
  const issue = (i: number, k: string) => issues[`[${i}].${k}`];
  return (
    <div className="notify-rules" data-testid="rules-editor" role="group" aria-label={label}>
      {rules.length === 0 && <p className="muted small">No rules: nothing is sent.</p>}
      {rules.map((r, i) => {
        const id = `${uid}-${i}`;
        return (
          <fieldset key={i} className="notify-rule" data-testid="rule-row">
            <legend className="sr-only">Rule {i + 1}</legend>
            <label className="field">
              <span>Notify on</span>
              <select id={`${id}-on`} value={r.on} onChange={(e) => set(i, { on: e.target.value as NotifyOn })} data-testid="rule-on">
                {ON.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            </label>
            {r.on === 'failure' && (
              <label className="field">
                <span>Attempts</span>
                <select value={r.attempts ?? 'last'} onChange={(e) => set(i, { attempts: e.target.value as 'each' | 'last' })} data-testid="rule-attempts">
                  <option value="last">only after the last retry</option>
                  <option value="each">every failed attempt</option>
                </select>
              </label>
            )}
            {(r.on === 'late' || r.on === 'stuck') && (
              <label className={`field ${issue(i, 'afterSeconds') ? 'invalid' : ''}`}>
                <span>{r.on === 'late' ? 'Running longer than (s)' : 'Waiting longer than (s)'}</span>
                <input
                  inputMode="numeric"
                  value={r.afterSeconds ?? ''}
                  onChange={(e) => set(i, { afterSeconds: e.target.value.trim() === '' ? undefined : Number(e.target.value) })}
                  data-testid="rule-after"
                />
                {issue(i, 'afterSeconds') && <em className="field-error">{issue(i, 'afterSeconds')}</em>}
              </label>
            )}
            {r.on === 'late' && (
              <label className={`field ${issue(i, 'p95Factor') ? 'invalid' : ''}`}>
                <span>or × the p95 duration</span>
                <input inputMode="decimal" value={r.p95Factor ?? ''} onChange={(e) => set(i, { p95Factor: e.target.value.trim() === '' ? undefined : Number(e.target.value) })} data-testid="rule-p95" />
                {issue(i, 'p95Factor') && <em className="field-error">{issue(i, 'p95Factor')}</em>}
              </label>
            )}
            <fieldset className={`field plain-fieldset ${issue(i, 'channels') ? 'invalid' : ''}`}>
              <legend>Send to</legend>
              <div className="checks">
                {targets.map((c) => (
                  <label key={c.id} className="check">
                    <input
                      type="checkbox"
                      checked={r.channels.includes(c.id)}
                      onChange={(e) => set(i, { channels: e.target.checked ? [...r.channels, c.id] : r.channels.filter((x) => x !== c.id) })}
                    />
                    {c.name}
                  </label>
                ))}
              </div>
              {issue(i, 'channels') && <em className="field-error">{issue(i, 'channels')}</em>}
            </fieldset>
            <button type="button" className="small" onClick={() => onChange(rules.filter((_, j) => j !== i))} aria-label={`Remove rule ${i + 1}`}>
              Remove
            </button>
          </fieldset>
        );
      })}
      <button type="button" className="small" onClick={() => onChange([...rules, { id: newId(rules), on: 'failure', attempts: 'last', channels: [DESKTOP_CHANNEL] }])} data-testid="rule-add">
        Add rule
      </button>
    </div>
  );
}

/** The schema's issues keyed as the editor shows them. */
export function ruleIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issues) {
    const [n, k] = i.path;
    const key = typeof n === 'number' ? `[${n}].${String(k ?? 'id')}` : '';
    out[key] ??= i.message;
  }
  return out;
}
