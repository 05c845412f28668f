import { formatPath } from '../../../shared/errors';
import { TemplateSpec, type EnvVar, type Template, type TemplateSpecInput } from '../../../shared/template';

/** The editor's fields as typed text; converted to a spec and checked with the shared schema. */
export interface TemplateForm {
  name: string;
  description: string;
  image: string;
  command: string;
  env: EnvVar[];
  engine: string;
  network: string;
  priority: string;
  timeoutSeconds: string;
  retryLimit: string;
  memory: string;
  cpus: string;
  outputDir: string;
  cron: string;
}

export function formFromTemplate(t: Template | undefined): TemplateForm {
  return {
    name: t?.name ?? '',
    description: t?.description ?? '',
    image: t?.image ?? '',
    command: t?.command === undefined ? '' : Array.isArray(t.command) ? JSON.stringify(t.command) : t.command,
    env: t?.env ?? [],
    engine: t?.engine ?? 'any',
    network: t?.network ?? 'none',
    priority: String(t?.priority ?? 3),
    timeoutSeconds: t?.timeoutSeconds === undefined ? '' : String(t.timeoutSeconds),
    retryLimit: String(t?.retry.limit ?? 0),
    memory: t?.limits.memory === undefined ? '' : String(t.limits.memory),
    cpus: t?.limits.cpus === undefined ? '' : String(t.limits.cpus),
    outputDir: t?.outputDir ?? '',
    cron: t?.schedule?.cron ?? '',
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

export function specFromForm(f: TemplateForm, base: Template | undefined): TemplateSpecInput {
  // Fields the form does not show (mounts, labels, completions…) are kept from the template.
  const { id: _id, createdAt: _c, updatedAt: _u, ...rest } = base ?? ({} as Partial<Template>);
  const cmd = command(f.command);
  const spec: Record<string, unknown> = {
    ...rest,
    name: f.name,
    image: f.image,
    env: f.env,
    engine: f.engine,
    network: f.network,
    priority: num(f.priority),
    retry: { ...(base?.retry ?? {}), limit: num(f.retryLimit) },
    limits: {
      ...(f.memory.trim() ? { memory: num(f.memory) } : {}),
      ...(f.cpus.trim() ? { cpus: num(f.cpus) } : {}),
    },
  };
  for (const k of ['description', 'command', 'timeoutSeconds', 'outputDir', 'schedule'] as const) delete spec[k];
  if (f.description.trim()) spec.description = f.description;
  if (cmd !== undefined) spec.command = cmd;
  if (f.timeoutSeconds.trim()) spec.timeoutSeconds = num(f.timeoutSeconds);
  if (f.outputDir.trim()) spec.outputDir = f.outputDir.trim();
  if (f.cron.trim()) spec.schedule = { ...(base?.schedule ?? {}), cron: f.cron.trim() };
  return spec as TemplateSpecInput;
}

/** Issues keyed by the field path the schema reports ("image", "env[0].name", "limits.memory"). */
export function validate(f: TemplateForm, base: Template | undefined): { spec?: TemplateSpec; issues: Record<string, string> } {
  const r = TemplateSpec.safeParse(specFromForm(f, base));
  if (r.success) return { spec: r.data, issues: {} };
  const issues: Record<string, string> = {};
  for (const i of r.error.issues) issues[formatPath(i.path)] ??= i.message;
  return { issues };
}
