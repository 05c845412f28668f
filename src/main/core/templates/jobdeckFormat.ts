import { zodIssues, type Issue } from '../../../shared/errors';
import { podProblems } from '../../../shared/pod';
import { TemplateSpecChecked, type TemplateSpec } from '../../../shared/template';
import { scheduleMessageForFile } from './scheduleRules';
import { isRecord } from './parse';

export const JOBDECK_API_VERSION = 'jobdeck/v1';

export type Mapped = { ok: true; spec: TemplateSpec; warnings: string[] } | { ok: false; errors: Issue[] };

/** `env` may be written as a map; the stored form is a list. */
function normalizeEnv(env: unknown): unknown {
  if (!isRecord(env)) return env;
  return Object.entries(env).map(([name, value]) =>
    isRecord(value) ? { name, ...value } : { name, value: value === null || value === undefined ? '' : String(value) },
  );
}

/** Jobdeck's own format: apiVersion + kind, then the template's fields. */
export function fromJobdeck(doc: Record<string, unknown>): Mapped {
  const { apiVersion: _a, kind: _k, ...fields } = doc;
  const candidate = 'env' in fields ? { ...fields, env: normalizeEnv(fields.env) } : fields;
  const parsed = TemplateSpecChecked.safeParse(candidate);
  if (!parsed.success) {
    return { ok: false, errors: zodIssues(parsed.error).map(explainUnknownKeys).map((i) => ({ ...i, message: scheduleMessageForFile(i.message, 'jobdeck') })) };
  }
  const pod = podProblems(parsed.data);
  if (pod.length) return { ok: false, errors: pod };
  return { ok: true, spec: parsed.data, warnings: [] };
}

function explainUnknownKeys(i: Issue): Issue {
  return /Unrecognized key/.test(i.message) ? { ...i, message: `${i.message}: not a Jobdeck template field` } : i;
}
