import { SECRET_MASK, type FieldChange } from '../../../shared/ipc';
import type { EnvVar, Mount, TemplateSpec } from '../../../shared/template';

const mountText = (m: Mount) => `${m.hostPath} → ${m.containerPath} (${m.readOnly ? 'read-only' : 'read-write'})`;

/** Leaf fields as text, the way a person reads them in a file ("limits.memory", "schedule.cron"). */
function flatten(v: unknown, path: string, out: Map<string, string>): void {
  if (v === undefined) return;
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x !== 'object' || x === null)) out.set(path, JSON.stringify(v));
    else v.forEach((x, i) => flatten(x, `${path}[${i}]`, out));
    return;
  }
  if (typeof v === 'object' && v !== null) {
    for (const [k, x] of Object.entries(v)) flatten(x, path ? `${path}.${k}` : k, out);
    return;
  }
  out.set(path, typeof v === 'string' ? v : JSON.stringify(v));
}

function envChanges(before: EnvVar[], after: EnvVar[]): FieldChange[] {
  const changes: FieldChange[] = [];
  const show = (e: EnvVar | undefined) => (e === undefined ? undefined : e.secret ? `${SECRET_MASK} (secret)` : e.value);
  const names = [...new Set([...before.map((e) => e.name), ...after.map((e) => e.name)])];
  for (const name of names) {
    const a = before.find((e) => e.name === name);
    const b = after.find((e) => e.name === name);
    if (a && b && a.value === b.value && a.secret === b.secret) continue;
    const from = show(a);
    const to = show(b);
    changes.push({ field: `env.${name}`, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) });
  }
  return changes;
}

/**
 * What replacing `before` (secrets in clear, as the container would get them) with `after` changes,
 * field by field; secret values are compared but never shown.
 */
export function changesBetween(before: TemplateSpec, after: TemplateSpec): FieldChange[] {
  const strip = (s: TemplateSpec) => ({ ...s, env: undefined, mounts: s.mounts.map(mountText) });
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  flatten(strip(before), '', a);
  flatten(strip(after), '', b);
  const changes: FieldChange[] = [];
  for (const field of [...new Set([...a.keys(), ...b.keys()])]) {
    const from = a.get(field);
    const to = b.get(field);
    if (from === to) continue;
    changes.push({ field, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) });
  }
  return [...changes, ...envChanges(before.env, after.env)];
}

/**
 * A secret left empty in a file (an export writes them so) keeps the value the stored template
 * has: replacing never wipes what the user had.
 */
export function keepStoredSecrets(next: EnvVar[], stored: EnvVar[]): EnvVar[] {
  return next.map((e) =>
    e.secret && e.value === '' && stored.some((s) => s.name === e.name && s.secret && s.value !== '') ? { ...e, value: SECRET_MASK } : e,
  );
}
