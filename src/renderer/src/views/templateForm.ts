import { formatPath } from '../../../shared/errors';
import { TemplateSpec, TemplateSpecChecked, type EnvVar, type Mount, type Template, type TemplateSpecInput } from '../../../shared/template';
import {
  argsToLines,
  codesToText,
  labelsToText,
  linesToArgs,
  numberOrText as num,
  scalarText,
  textToCodes,
  textToLabels,
  Unrepresentable,
} from '../components/editor/formText';

/** A template as a plain document: the spec's keys and any others (fields this editor does not know yet). */
export type TemplateDoc = Record<string, unknown>;

export type CommandMode = 'script' | 'argv';

/** The editor's fields as typed text; converted to a spec and checked with the shared schema. */
export interface TemplateForm {
  name: string;
  description: string;
  image: string;
  /** A script runs with sh -c; argv runs as given, one argument per line. */
  commandMode: CommandMode;
  script: string;
  argv: string;
  entrypoint: string;
  workingDir: string;
  user: string;
  env: EnvVar[];
  mounts: Mount[];
  outputDir: string;
  memory: string;
  cpus: string;
  network: string;
  tty: boolean;
  timeoutSeconds: string;
  retryLimit: string;
  backoffInitial: string;
  backoffFactor: string;
  backoffMax: string;
  neverRetry: string;
  priority: string;
  engine: string;
  pullPolicy: string;
  labels: string;
  keepContainer: boolean;
  parallelism: string;
  completions: string;
  completionMode: string;
  cron: string;
  cronSeconds: boolean;
  /** '' = the host's local time (templates saved before zones were chosen). */
  timeZone: string;
  scheduleEnabled: boolean;
  allowFrequent: boolean;
  concurrencyPolicy: string;
  missedRunPolicy: string;
}

/** The form field → the schema path its errors come under (what "touched" is kept by). */
export const FIELD_PATH: Partial<Record<keyof TemplateForm, string>> = {
  script: 'command',
  argv: 'command',
  commandMode: 'command',
  retryLimit: 'retry.limit',
  backoffInitial: 'retry.backoffInitialSeconds',
  backoffFactor: 'retry.backoffFactor',
  backoffMax: 'retry.backoffMaxSeconds',
  neverRetry: 'retry.neverRetryExitCodes',
  memory: 'limits.memory',
  cpus: 'limits.cpus',
  cron: 'schedule.cron',
  cronSeconds: 'schedule.cron',
  timeZone: 'schedule.cron',
  allowFrequent: 'schedule.cron',
  concurrencyPolicy: 'schedule.concurrencyPolicy',
  missedRunPolicy: 'schedule.missedRunPolicy',
};
export const pathOf = (k: keyof TemplateForm): string => FIELD_PATH[k] ?? k;

/** A new schedule runs in the zone of whoever writes it, so the times shown are the times it fires. */
export const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** A new template: the schema's defaults, no network (what a job needs least), nothing else. */
export function newTemplateDoc(): TemplateDoc {
  const { name: _n, image: _i, ...defaults } = TemplateSpec.parse({ name: 'x', image: 'x' });
  return { name: '', image: '', ...defaults, network: 'none' };
}

/** What the editor edits of a stored template: everything but its identity and times. */
export function docOf(t: Template | undefined): TemplateDoc {
  if (!t) return newTemplateDoc();
  const { id: _id, createdAt: _c, updatedAt: _u, ...doc } = t;
  return doc;
}

const rec = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const bool = (field: string, v: unknown, dflt: boolean): boolean => {
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw new Unrepresentable(field, 'expected true or false');
  return v;
};

function listOf<T>(field: string, v: unknown, read: (x: Record<string, unknown>) => T): T[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new Unrepresentable(field, 'expected a list');
  return v.map((x) => {
    if (typeof x !== 'object' || x === null || Array.isArray(x)) throw new Unrepresentable(field, 'expected a list of mappings');
    return read(x as Record<string, unknown>);
  });
}

/**
 * The form for a document, or why the form cannot show it as it is (the YAML tab still can).
 * `isNew` decides only what an absent time zone means: the writer's zone for a new schedule.
 */
export function readForm(doc: TemplateDoc, isNew = false): { form: TemplateForm } | { problem: string } {
  try {
    const command = doc.command;
    const argvMode = Array.isArray(command);
    const retry = rec(doc.retry);
    const limits = rec(doc.limits);
    const schedule = doc.schedule === undefined ? undefined : rec(doc.schedule);
    const form: TemplateForm = {
      name: scalarText('Name', doc.name),
      description: scalarText('Description', doc.description),
      image: scalarText('Image', doc.image),
      commandMode: argvMode ? 'argv' : 'script',
      script: argvMode ? '' : scalarText('Command', command),
      argv: argvMode ? argsToLines('Command', command) : '',
      entrypoint: argsToLines('Entrypoint', doc.entrypoint),
      workingDir: scalarText('Working directory', doc.workingDir),
      user: scalarText('User', doc.user),
      env: listOf('Environment', doc.env, (e) => ({ name: scalarText('Variable name', e.name), value: scalarText('Variable value', e.value), secret: bool('Variable secret', e.secret, false) })),
      mounts: listOf('Mounts', doc.mounts, (m) => ({ hostPath: scalarText('Host path', m.hostPath), containerPath: scalarText('Container path', m.containerPath), readOnly: bool('Mount read-only', m.readOnly, false) })),
      outputDir: scalarText('Artifacts dir', doc.outputDir),
      memory: scalarText('Memory limit', limits.memory),
      cpus: scalarText('CPUs', limits.cpus),
      network: scalarText('Network', doc.network ?? 'bridge'),
      tty: bool('tty', doc.tty, false),
      timeoutSeconds: scalarText('Timeout', doc.timeoutSeconds),
      retryLimit: scalarText('Retries', retry.limit ?? 0),
      backoffInitial: scalarText('First retry delay', retry.backoffInitialSeconds ?? 10),
      backoffFactor: scalarText('Backoff factor', retry.backoffFactor ?? 2),
      backoffMax: scalarText('Longest retry delay', retry.backoffMaxSeconds ?? 360),
      neverRetry: codesToText('Exit codes that never retry', retry.neverRetryExitCodes ?? [125, 126, 127]),
      priority: scalarText('Priority', doc.priority ?? 3),
      engine: typeof doc.engineId === 'string' ? `id:${doc.engineId}` : scalarText('Engine', doc.engine ?? 'any'),
      pullPolicy: scalarText('Pull policy', doc.pullPolicy ?? 'IfNotPresent'),
      labels: labelsToText(doc.labels),
      keepContainer: bool('Keep container', doc.keepContainer, false),
      parallelism: scalarText('Parallelism', doc.parallelism ?? 1),
      completions: scalarText('Completions', doc.completions ?? 1),
      completionMode: scalarText('Completion mode', doc.completionMode ?? 'NonIndexed'),
      cron: scalarText('Schedule', schedule?.cron),
      cronSeconds: bool('Schedule seconds', schedule?.seconds, false),
      timeZone: schedule ? scalarText('Time zone', schedule.timeZone) : isNew ? browserZone() : '',
      scheduleEnabled: bool('Schedule on', schedule?.enabled, true),
      allowFrequent: bool('Schedule allowFrequent', schedule?.allowFrequent, false),
      concurrencyPolicy: scalarText('Concurrency policy', schedule?.concurrencyPolicy ?? 'Allow'),
      missedRunPolicy: scalarText('Missed run policy', schedule?.missedRunPolicy ?? 'Skip'),
    };
    return { form };
  } catch (error) {
    if (error instanceof Unrepresentable) return { problem: error.message };
    throw error;
  }
}

export function formFromTemplate(t: Template | undefined): TemplateForm {
  const read = readForm(docOf(t), !t);
  if ('problem' in read) throw new Error(read.problem);
  return read.form;
}

/** The schedule as the form states it, over the document's (unknown keys kept); undefined when the cron box is empty. */
export function scheduleFromForm(f: TemplateForm, base: TemplateDoc): TemplateSpecInput['schedule'] {
  if (!f.cron.trim()) return undefined;
  const { seconds: _s, timeZone: _z, allowFrequent: _a, ...kept } = rec(base.schedule);
  return {
    ...kept,
    cron: f.cron.trim(),
    enabled: f.scheduleEnabled,
    concurrencyPolicy: f.concurrencyPolicy as never,
    missedRunPolicy: f.missedRunPolicy as never,
    ...(f.cronSeconds ? { seconds: true } : {}),
    ...(f.timeZone ? { timeZone: f.timeZone } : {}),
    ...(f.allowFrequent ? { allowFrequent: true } : {}),
  };
}

/** Keys whose empty box means "not set": removed from the document rather than saved empty. */
const OPTIONAL_TEXT = ['description', 'workingDir', 'user', 'outputDir', 'timeoutSeconds'] as const;

/**
 * The document with the form's values laid over it. Keys the form does not show (fields added to
 * the schema after this editor, Kubernetes policies) pass through untouched: nothing is lost.
 */
export function specFromForm(f: TemplateForm, base: TemplateDoc | Template | undefined): TemplateDoc {
  const { id: _id, createdAt: _c, updatedAt: _u, ...rest } = (base ?? newTemplateDoc()) as TemplateDoc;
  const { memory: _m, cpus: _p, ...otherLimits } = rec(rest.limits);
  const command = f.commandMode === 'argv' ? linesToArgs(f.argv) : f.script.trim() ? f.script.replace(/\s+$/, '') : undefined;
  const { labels, error: labelError } = textToLabels(f.labels);
  const spec: TemplateDoc = {
    ...rest,
    name: f.name,
    image: f.image.trim(),
    env: f.env,
    mounts: f.mounts,
    network: f.network,
    tty: f.tty,
    priority: num(f.priority),
    // One engine by id keeps the kind open ('any'): engineId is narrower and wins.
    engine: f.engine.startsWith('id:') ? 'any' : f.engine,
    pullPolicy: f.pullPolicy,
    // An unreadable labels box is sent as its text, so the schema's message lands on the field.
    labels: labelError ? f.labels : labels,
    keepContainer: f.keepContainer,
    parallelism: num(f.parallelism),
    completions: num(f.completions),
    completionMode: f.completionMode,
    retry: {
      ...rec(rest.retry),
      limit: num(f.retryLimit),
      backoffInitialSeconds: num(f.backoffInitial),
      backoffFactor: num(f.backoffFactor),
      backoffMaxSeconds: num(f.backoffMax),
      neverRetryExitCodes: textToCodes(f.neverRetry),
    },
    // Kept as typed ("64Mi"): the executor converts; a bare number is bytes or CPUs.
    limits: {
      ...otherLimits,
      ...(f.memory.trim() ? { memory: num(f.memory.trim()) } : {}),
      ...(f.cpus.trim() ? { cpus: num(f.cpus.trim()) } : {}),
    },
  };
  for (const k of [...OPTIONAL_TEXT, 'command', 'entrypoint', 'schedule', 'engineId'] as const) delete spec[k];
  if (f.engine.startsWith('id:')) spec.engineId = f.engine.slice(3);
  if (f.description.trim()) spec.description = f.description;
  if (f.workingDir.trim()) spec.workingDir = f.workingDir.trim();
  if (f.user.trim()) spec.user = f.user.trim();
  if (f.outputDir.trim()) spec.outputDir = f.outputDir.trim();
  if (f.timeoutSeconds.trim()) spec.timeoutSeconds = num(f.timeoutSeconds);
  if (command !== undefined) spec.command = command;
  const entrypoint = linesToArgs(f.entrypoint);
  if (entrypoint) spec.entrypoint = entrypoint;
  const schedule = scheduleFromForm(f, rest);
  if (schedule) spec.schedule = schedule;
  return spec;
}

/** Issues keyed by the field path the schema reports ("image", "env[0].name", "limits.memory"). */
export function validateDoc(doc: TemplateDoc): { spec?: TemplateSpec; issues: Record<string, string> } {
  const r = TemplateSpecChecked.safeParse(doc);
  if (r.success) return { spec: r.data, issues: {} };
  const issues: Record<string, string> = {};
  for (const i of r.error.issues) issues[formatPath(i.path)] ??= i.message;
  return { issues };
}

export function validate(f: TemplateForm, base: TemplateDoc | Template | undefined): { spec?: TemplateSpec; issues: Record<string, string> } {
  const { labels: _l, error } = textToLabels(f.labels);
  const checked = validateDoc(specFromForm(f, base));
  return error ? { issues: { ...checked.issues, labels: error } } : checked;
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
