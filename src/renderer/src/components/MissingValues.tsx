import type { ImportedTemplate } from '../../../shared/ipc';
import { FIELD_REFS } from '../../../shared/pod';

/** The variables of a template a manifest took from a cluster (a secret, a config map): values to give. */
export function valuesNeeded(t: ImportedTemplate): { name: string; from: string; secret: boolean }[] {
  return t.spec.env
    .filter((e) => e.valueFrom !== undefined && !FIELD_REFS.includes(e.valueFrom) && e.value === '')
    .map((e) => ({ name: e.name, from: e.valueFrom!, secret: e.secret }));
}

export const valueKey = (file: number, index: number, name: string) => `${file}:${index}:${name}`;

/**
 * "Values needed": one field per variable a manifest took from a secret or config map. A job of
 * the template cannot start while one is empty, so the preview says so beside the fields.
 */
export function MissingValues({
  t,
  file,
  index,
  values,
  onChange,
}: {
  t: ImportedTemplate;
  file: number;
  index: number;
  values: Record<string, string>;
  onChange(key: string, value: string): void;
}) {
  const needed = valuesNeeded(t);
  if (needed.length === 0) return null;
  const left = needed.filter((n) => !values[valueKey(file, index, n.name)]).length;
  return (
    <fieldset className="missing-values" data-testid="missing-values">
      <legend>Values needed</legend>
      <p className="small muted">
        These came from the cluster. {left ? `${left} still empty: a job of ${t.spec.name} cannot start until each has a value.` : 'All given.'}
      </p>
      {needed.map((n) => {
        const key = valueKey(file, index, n.name);
        return (
          <label key={key}>
            <span>
              <span className="mono">{n.name}</span> <span className="muted small">from {n.from}</span>
            </span>
            <input
              type={n.secret ? 'password' : 'text'}
              autoComplete="off"
              value={values[key] ?? ''}
              onChange={(e) => onChange(key, e.target.value)}
              data-testid="missing-value"
              data-name={n.name}
            />
          </label>
        );
      })}
    </fieldset>
  );
}
