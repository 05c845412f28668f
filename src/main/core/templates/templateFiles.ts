import { stringify } from 'yaml';
import type { Issue } from '../../../shared/errors';
import { exportBaseName, kubernetesManifestFile } from '../../../shared/kubeManifest';
import type { TemplateSpec } from '../../../shared/template';
import { fromJobdeck, JOBDECK_API_VERSION, type Mapped } from './jobdeckFormat';
import { fromKubernetes } from './kubernetes';
import { isRecord, parseDocuments } from './parse';

export { scheduleProblem } from './scheduleRules';

/** One file read: the templates it holds (secrets in clear: this never leaves main as is). */
export interface ParsedFile {
  file: string;
  ok: boolean;
  templates: TemplateSpec[];
  errors: Issue[];
  warnings: string[];
}

const SUPPORTED = `supported: apiVersion ${JOBDECK_API_VERSION} kind Template, or apiVersion batch/v1 kind Job or CronJob`;

function mapDocument(doc: unknown): Mapped {
  if (!isRecord(doc)) return { ok: false, errors: [{ path: '(root)', message: `expected a mapping (an object); ${SUPPORTED}` }] };
  const { apiVersion, kind } = doc;
  if (apiVersion === JOBDECK_API_VERSION) {
    if (kind !== 'Template') return { ok: false, errors: [{ path: 'kind', message: `expected Template for ${JOBDECK_API_VERSION}, got ${JSON.stringify(kind)}` }] };
    return fromJobdeck(doc);
  }
  if ((apiVersion === 'batch/v1' || apiVersion === 'batch/v1beta1') && (kind === 'Job' || kind === 'CronJob')) return fromKubernetes(doc, kind);
  if (apiVersion === undefined) return { ok: false, errors: [{ path: 'apiVersion', message: `missing; ${SUPPORTED}` }] };
  return { ok: false, errors: [{ path: 'kind', message: `${String(apiVersion)} ${String(kind)} is not a template Jobdeck can read; ${SUPPORTED}` }] };
}

/**
 * One dropped or opened file → the templates it holds, or the errors that keep every one of
 * them out (a bad file stores nothing). Never throws.
 */
export function importTemplateFile(file: { name: string; content: string }): ParsedFile {
  const result = (errors: Issue[], templates: TemplateSpec[] = [], warnings: string[] = []): ParsedFile => ({
    file: file.name,
    ok: errors.length === 0,
    templates: errors.length ? [] : templates,
    errors,
    warnings,
  });
  try {
    const parsed = parseDocuments(file.name, file.content);
    if (!parsed.ok) return result(parsed.errors);
    const errors: Issue[] = [];
    const warnings: string[] = [];
    const templates: TemplateSpec[] = [];
    const many = parsed.docs.length > 1;
    parsed.docs.forEach((doc, i) => {
      const prefix = many ? `documents[${i}].` : '';
      const mapped = mapDocument(doc);
      if (!mapped.ok) {
        errors.push(...mapped.errors.map((e) => ({ ...e, path: prefix + e.path })));
        return;
      }
      warnings.push(...mapped.warnings.map((w) => prefix + w));
      templates.push(mapped.spec);
    });
    return result(errors, templates, warnings);
  } catch (error) {
    return result([{ path: '(root)', message: `could not read the file: ${error instanceof Error ? error.message : String(error)}` }]);
  }
}

export type TemplateFileFormat = 'yaml' | 'json' | 'kubernetes';

/** Jobdeck's own format, or a Kubernetes manifest; secret values are never written out. */
export function exportTemplate(spec: TemplateSpec, format: TemplateFileFormat): { filename: string; content: string } {
  // A batch/v1 Job or CronJob for kubectl, which Jobdeck's import also reads back.
  if (format === 'kubernetes') return kubernetesManifestFile(spec);
  const base = exportBaseName(spec.name);
  const doc = {
    apiVersion: JOBDECK_API_VERSION,
    kind: 'Template',
    ...spec,
    env: spec.env.map((e) => (e.secret ? { ...e, value: '' } : e)),
  };
  if (format === 'json') return { filename: `${base}.json`, content: `${JSON.stringify(doc, null, 2)}\n` };
  const secrets = spec.env.some((e) => e.secret);
  const header = secrets ? '# Secret values are not exported: fill them in before use.\n' : '';
  return { filename: `${base}.yaml`, content: header + stringify(doc) };
}

/**
 * Several templates for export: one file (YAML documents separated by ---, or a JSON array, both
 * of which the import reads back) or a file each, with names made unique ("a.yaml", "a-2.yaml").
 */
export function exportTemplates(
  specs: TemplateSpec[],
  format: TemplateFileFormat,
  bundle: 'oneFile' | 'filePerTemplate',
): { filename: string; content: string }[] {
  const files = specs.map((s) => exportTemplate(s, format));
  if (bundle === 'filePerTemplate') {
    const taken = new Set<string>();
    return files.map((f) => {
      const dot = f.filename.lastIndexOf('.');
      let name = f.filename;
      for (let n = 2; taken.has(name); n++) name = `${f.filename.slice(0, dot)}-${n}${f.filename.slice(dot)}`;
      taken.add(name);
      return { ...f, filename: name };
    });
  }
  if (format === 'json') {
    const docs: unknown[] = files.map((f) => JSON.parse(f.content));
    return [{ filename: 'jobdeck-templates.json', content: `${JSON.stringify(docs, null, 2)}\n` }];
  }
  if (format === 'kubernetes') return [{ filename: 'jobdeck-templates.k8s.yaml', content: files.map((f) => f.content).join('---\n') }];
  return [{ filename: 'jobdeck-templates.yaml', content: files.map((f) => f.content).join('---\n') }];
}
