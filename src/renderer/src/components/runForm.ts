import { parse, quote } from 'shell-quote';
import { SECRET_MASK } from '../../../shared/ipc';
import { CpuQuantity, MemoryLimit } from '../../../shared/quantity';
import { ENV_NAME, TimeoutSeconds, type EnvVar, type JobOverridesInput, type TemplateSpec } from '../../../shared/template';

/** One variable row of the run dialog; `original` is the template's own, unchanged. */
export interface EnvRow {
  key: number;
  name: string;
  value: string;
  secret: boolean;
  original?: EnvVar;
}

/** The run dialog's fields, as text, starting from what the template (or cloned job) says. */
export interface RunForm {
  command: string;
  env: EnvRow[];
  memory: string;
  cpus: string;
  timeout: string;
  priority: string;
  /** 'any' | 'docker' | 'podman' (a kind), or 'id:<engine id>'. */
  engine: string;
  copies: string;
}

export type RunField = 'command' | 'env' | 'memory' | 'cpus' | 'timeout' | 'copies';
export type RunErrors = Partial<Record<RunField, string>>;

export const MAX_COPIES = 50;

let keys = 0;
export const newEnvRow = (over: Partial<EnvRow> = {}): EnvRow => ({ key: ++keys, name: '', value: '', secret: false, ...over });

/** The command as the field shows it: a shell line as written, an argv list quoted as a shell would need it. */
export function commandField(command: TemplateSpec['command']): string {
  if (command === undefined) return '';
  return Array.isArray(command) ? quote(command) : command;
}

const text = (v: string | number | undefined) => (v === undefined ? '' : String(v));

export function runFormFrom(spec: TemplateSpec): RunForm {
  return {
    command: commandField(spec.command),
    env: spec.env.map((e) => newEnvRow({ name: e.name, value: e.value, secret: e.secret, original: e })),
    memory: text(spec.limits.memory),
    cpus: text(spec.limits.cpus),
    timeout: text(spec.timeoutSeconds),
    priority: String(spec.priority),
    engine: spec.engineId ? `id:${spec.engineId}` : spec.engine,
    copies: '1',
  };
}

const firstIssue = (r: { success: boolean; error?: { issues: { message: string }[] } }) => (r.success ? undefined : r.error?.issues[0]?.message);
const cannotRemove = (what: string, was: string) => `a run cannot remove the template's ${what} (${was}): give a value`;

/** An argv list from what the user typed in place of one; operators (| > &&) need a shell line. */
function argvOf(line: string): { argv?: string[]; error?: string } {
  const parts = parse(line);
  if (parts.some((p) => typeof p !== 'string')) return { error: 'Command: this template runs a list of arguments; | > && and globs need a shell line (sh -c "…")' };
  return { argv: parts as string[] };
}

function envOverrides(rows: EnvRow[]): { env: EnvVar[]; error?: string } {
  const env: EnvVar[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    const name = r.name.trim();
    if (!r.original && !name && !r.value) continue;
    if (!ENV_NAME.test(name)) return { env, error: `Variable "${name}": names use letters, digits and _, and do not start with a digit` };
    if (seen.has(name)) return { env, error: `Variable ${name} is given twice` };
    seen.add(name);
    const o = r.original;
    if (o && r.value === o.value && r.secret === o.secret) continue;
    // A masked value was never sent here: changing only "secret" would store the mask itself.
    if (o?.secret && r.value === SECRET_MASK) {
      if (r.secret !== o.secret) return { env, error: `Variable ${name}: type its value again to make it plain` };
      continue;
    }
    env.push({ name, value: r.value, secret: r.secret });
  }
  return { env };
}

/**
 * What the run changes, as the overrides jobs.create and jobs.clone take: only the fields that
 * differ from the template's, each checked with the template's own rule and message.
 */
export function runOverrides(form: RunForm, spec: TemplateSpec): { overrides: JobOverridesInput; errors: RunErrors; copies: number } {
  const errors: RunErrors = {};
  const overrides: JobOverridesInput = {};

  const cmd = form.command.trim();
  if (cmd !== commandField(spec.command).trim()) {
    if (!cmd) {
      if (spec.command !== undefined) errors.command = cannotRemove('command', commandField(spec.command));
    } else if (Array.isArray(spec.command)) {
      const { argv, error } = argvOf(cmd);
      if (error) errors.command = error;
      else if (argv && argv.length > 0) overrides.command = argv;
    } else overrides.command = cmd;
  }

  const env = envOverrides(form.env);
  if (env.error) errors.env = env.error;
  else if (env.env.length > 0) overrides.env = env.env;

  const limits: NonNullable<JobOverridesInput['limits']> = {};
  const quantity = (field: 'memory' | 'cpus', label: string, check: typeof MemoryLimit | typeof CpuQuantity) => {
    const value = form[field].trim();
    const was = text(spec.limits[field]);
    if (value === was) return;
    if (!value) return void (errors[field] = cannotRemove(label, was));
    const problem = firstIssue(check.safeParse(value));
    if (problem) errors[field] = problem;
    else limits[field] = value;
  };
  quantity('memory', 'memory limit', MemoryLimit);
  quantity('cpus', 'CPU limit', CpuQuantity);
  if (Object.keys(limits).length > 0) overrides.limits = limits;

  const timeout = form.timeout.trim();
  if (timeout !== text(spec.timeoutSeconds)) {
    if (!timeout) errors.timeout = cannotRemove('timeout', `${spec.timeoutSeconds} s`);
    else {
      const n = Number(timeout);
      const problem = firstIssue(TimeoutSeconds.safeParse(Number.isFinite(n) ? n : timeout));
      if (problem) errors.timeout = problem;
      else overrides.timeoutSeconds = n;
    }
  }

  if (Number(form.priority) !== spec.priority) overrides.priority = Number(form.priority);

  const engine = spec.engineId ? `id:${spec.engineId}` : spec.engine;
  if (form.engine !== engine) {
    if (form.engine.startsWith('id:')) overrides.engineId = form.engine.slice(3);
    else overrides.engine = form.engine as 'any' | 'docker' | 'podman';
  }

  const copies = Number(form.copies);
  if (!Number.isInteger(copies) || copies < 1 || copies > MAX_COPIES) errors.copies = `Copies must be a whole number from 1 to ${MAX_COPIES}`;
  return { overrides, errors, copies: errors.copies ? 1 : copies };
}
