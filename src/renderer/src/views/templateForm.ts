import { formatPath } from '../../../shared/errors';
import { TemplateSpecChecked, type EnvVar, type Mount, type Template, type TemplateSpec, type TemplateSpecInput } from '../../../shared/template';

/** The editor's fields as typed text; converted to a spec and checked with the shared schema. */
export interface TemplateForm {
  name: string;
  description: string;
  image: string;
  command: string;
  env: EnvVar[];
  mounts: Mount[];
  engine: string;
  network: string;
  priority: string;
  timeoutSeconds: string;
  retryLimit: string;
  memory: string;
  cpus: string;
  outputDir: string;
  cron: string;
  cronSeconds: boolean;
  /** '' = the host's local time (templates saved before zones were chosen). */
  timeZone: string;
  scheduleEnabled: boolean;
  allowFrequent: boolean;
}

/** The form field → the schema path its errors come under (what "touched" is kept by). */
export const FIELD_PATH: Partial<Record<keyof TemplateForm, string>> = {
  retryLimit: 'retry.limit',
  memory: 'limits.memory',
  cpus: 'limits.cpus',
  cron: 'schedule.cron',
  cronSeconds: 'schedule.cron',
  timeZone: 'schedule.cron',
  allowFrequent: 'schedule.cron',
};
export const pathOf = (k: keyof TemplateForm): string => FIELD_PATH[k] ?? k;

/** A new schedule runs in the zone of whoever writes it, so the times shown are the times it fires. */
export const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

export function formFromTemplate(t: Template | undefined): TemplateForm {
  return {
    name: t?.name ?? '',
    description: t?.description ?? '',
    image: t?.image ?? '',
    command: t?.command === undefined ? '' : Array.isArray(t.command) ? JSON.stringify(t.command) : t.command,
    env: t?.env ?? [],
    mounts: t?.mounts ?? [],
    engine: t?.engine ?? 'any',
    network: t?.network ?? 'none',
    priority: String(t?.priority ?? 3),
    timeoutSeconds: t?.timeoutSeconds === undefined ? '' : String(t.timeoutSeconds),
    retryLimit: String(t?.retry.limit ?? 0),
    memory: t?.limits.memory === undefined ? '' : String(t.limits.memory),
    cpus: t?.limits.cpus === undefined ? '' : String(t.limits.cpus),
    outputDir: t?.outputDir ?? '',
    cron: t?.schedule?.cron ?? '',
    cronSeconds: t?.schedule?.seconds === true,
    timeZone: t ? (t.schedule?.timeZone ?? (t.schedule ? '' : browserZone())) : browserZone(),
    scheduleEnabled: t?.schedule?.enabled ?? true,
    allowFrequent: t?.schedule?.allowFrequent === true,
  };
}

const num = (s: string): number | string => (s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : s);

/** A command written as a JSON array is argv; anything else runs with sh -c. */
function command(s: string): string | string[] | undefined {
  const t = s.trim();
  if (!t) return undefined;
  if (t.startsWith('[')) {
    try {
      const v: unknown = JSON.parse(t);
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
    } catch {
      // not JSON: a shell line that starts with [
    }
  }
  return t;
}

/** The schedule as the form states it; undefined when the cron box is empty. */
export function scheduleFromForm(f: TemplateForm, base: Template | undefined): TemplateSpecInput['schedule'] {
  if (!f.cron.trim()) return undefined;
  const { seconds: _s, timeZone: _z, allowFrequent: _a, ...kept } = base?.schedule ?? {};
  return {
    ...kept,
    cron: f.cron.trim(),
    enabled: f.scheduleEnabled,
    ...(f.cronSeconds ? { seconds: true } : {}),
    ...(f.timeZone ? { timeZone: f.timeZone } : {}),
    ...(f.allowFrequent ? { allowFrequent: true } : {}),
  };
}

export function specFromForm(f: TemplateForm, base: Template | undefined): TemplateSpecInput {
  // Fields the form does not show (labels, completions…) are kept from the template.
  const { id: _id, createdAt: _c, updatedAt: _u, ...rest } = base ?? ({} as Partial<Template>);
  const cmd = command(f.command);
  const spec: Record<string, unknown> = {
    ...rest,
    name: f.name,
    image: f.image.trim(),
    env: f.env,
    mounts: f.mounts,
    engine: f.engine,
    network: f.network,
    priority: num(f.priority),
    retry: { ...(base?.retry ?? {}), limit: num(f.retryLimit) },
    // Kept as typed ("64Mi"): the executor converts; a bare number is bytes or CPUs.
    limits: {
      ...(f.memory.trim() ? { memory: num(f.memory.trim()) } : {}),
      ...(f.cpus.trim() ? { cpus: num(f.cpus.trim()) } : {}),
    },
  };
  for (const k of ['description', 'command', 'timeoutSeconds', 'outputDir', 'schedule'] as const) delete spec[k];
  if (f.description.trim()) spec.description = f.description;
  if (cmd !== undefined) spec.command = cmd;
  if (f.timeoutSeconds.trim()) spec.timeoutSeconds = num(f.timeoutSeconds);
  if (f.outputDir.trim()) spec.outputDir = f.outputDir.trim();
  const schedule = scheduleFromForm(f, base);
  if (schedule) spec.schedule = schedule;
  return spec as TemplateSpecInput;
}

/** Issues keyed by the field path the schema reports ("image", "env[0].name", "limits.memory"). */
export function validate(f: TemplateForm, base: Template | undefined): { spec?: TemplateSpec; issues: Record<string, string> } {
  const r = TemplateSpecChecked.safeParse(specFromForm(f, base));
  if (r.success) return { spec: r.data, issues: {} };
  const issues: Record<string, string> = {};
  for (const i of r.error.issues) issues[formatPath(i.path)] ??= i.message;
  return { issues };
}

/** The issues a person should see now: the server's, and the form's for fields they have typed in. */
export function visibleIssues(
  local: Record<string, string>,
  server: Record<string, string>,
  touched: ReadonlySet<string>,
  submitted: boolean,
): Record<string, string> {
  const shown = Object.entries(local).filter(([path]) => submitted || [...touched].some((t) => path === t || path.startsWith(`${t}.`) || path.startsWith(`${t}[`)));
  return { ...Object.fromEntries(shown), ...server };
}
