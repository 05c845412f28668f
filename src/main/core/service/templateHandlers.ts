import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import type { Handlers, ImportOutcome, ImportResult, TemplateSummary } from '../../../shared/ipc';
import type { Job } from '../../../shared/job';
import { specOf, type EnvVar, type Template, type TemplateSpec } from '../../../shared/template';
import { findTemplate } from '../../../shared/templateRef';
import { iso } from '../clock';
import { maskSpec, sealEnv, unsealEnv } from '../secrets';
import { templateArchive } from '../templates/templateArchive';
import { exportTemplate, exportTemplates, importTemplateFile, type ParsedFile } from '../templates/templateFiles';
import { changesBetween, keepStoredSecrets } from '../templates/diff';
import { assertHostLimits, cpuProblem } from '../templates/hostLimits';
import { freeName, hostMounts, planImport, type PlanItem } from '../templates/importPlan';
import { assertKnownContext } from '../kubernetes/contexts';
import type { CoreContext } from './context';
import { withValues } from './importValues';

type TemplateHandlers = Pick<
  Handlers,
  | 'templates.list'
  | 'templates.get'
  | 'templates.save'
  | 'templates.delete'
  | 'templates.import'
  | 'templates.importSave'
  | 'templates.export'
  | 'templates.duplicate'
  | 'templates.exportMany'
>;

export function mustTemplate(ctx: CoreContext, id: string): Template {
  const t = ctx.store.getTemplate(id);
  if (!t) throw new AppError('NOT_FOUND', `no template ${id}`);
  return t;
}

/** A template as a person names it (id, or name): NOT_FOUND says which name found none, on the field `template`. */
export function templateNamed(ctx: CoreContext, ref: string): Template {
  const t = findTemplate(ctx.store.listTemplates(), ref);
  if (t) return t;
  const message = `no template named ${ref}`;
  throw new AppError('NOT_FOUND', message, [{ path: 'template', message }]);
}

/** The one way a template is stored: same rules for the editor, an import and a replace. */
function storeTemplate(ctx: CoreContext, id: string | undefined, spec: TemplateSpec): Template {
  assertHostLimits(spec);
  assertKnownContext(spec.engineId, ctx.engines.list());
  const now = iso(ctx.clock.now());
  const previous = id ? mustTemplate(ctx, id) : undefined;
  const clash = ctx.store.listTemplates().find((t) => t.name === spec.name && t.id !== id);
  if (clash) throw new AppError('CONFLICT', `a template named "${spec.name}" already exists`, [{ path: 'name', message: `Name "${spec.name}" is already used by another template` }]);
  const template: Template = {
    ...spec,
    env: sealEnv(spec.env, ctx.codec, previous?.env),
    id: previous?.id ?? randomUUID(),
    createdAt: previous?.createdAt ?? now,
    updatedAt: now,
  };
  ctx.store.putTemplate(template);
  ctx.cron.sync();
  ctx.hub.emit('template.changed', { id: template.id, removed: false });
  return template;
}

/** A stored env with secrets in clear, to compare with what a file holds (never sent out). */
function plainEnv(ctx: CoreContext, env: EnvVar[]): EnvVar[] {
  return unsealEnv(env, ctx.codec).map((kv, i) => ({ ...env[i]!, value: kv.slice(kv.indexOf('=') + 1) }));
}

function previewFile(ctx: CoreContext, f: ParsedFile): ImportResult {
  const byName = new Map(ctx.store.listTemplates().map((t) => [t.name, t]));
  const errors = [...f.errors];
  f.templates.forEach((spec, i) => {
    const problem = cpuProblem(spec);
    if (problem) errors.push({ path: `${f.templates.length > 1 ? `documents[${i}].` : ''}limits.cpus`, message: problem });
  });
  return {
    file: f.file,
    ok: errors.length === 0,
    warnings: f.warnings,
    errors,
    templates: errors.length
      ? []
      : f.templates.map((spec) => {
          const existing = byName.get(spec.name);
          if (!existing) return { spec: maskSpec(spec) };
          const before = { ...specOf(existing), env: plainEnv(ctx, existing.env) };
          // A secret the file leaves empty keeps the stored value on replace: no change to show.
          const kept = (e: EnvVar) => (e.secret && e.value === '' ? before.env.find((b) => b.name === e.name && b.secret && b.value !== '') ?? e : e);
          const after = { ...spec, env: spec.env.map(kept) };
          return { spec: maskSpec(spec), existing: { id: existing.id, changes: changesBetween(before, after) } };
        }),
  };
}

function saveItem(ctx: CoreContext, item: PlanItem): ImportOutcome {
  const base = { file: item.file, name: item.spec.name };
  const existing = ctx.store.listTemplates().find((t) => t.name === item.spec.name);
  const action = item.action ?? (existing ? undefined : 'create');
  if (action === 'skip') return { ...base, outcome: 'skipped' };
  if (action === undefined) {
    return { ...base, outcome: 'failed', message: `a template named "${item.spec.name}" already exists: choose Replace, Keep both or Skip` };
  }
  try {
    if (action === 'replace' && existing) {
      const t = storeTemplate(ctx, existing.id, { ...item.spec, env: keepStoredSecrets(item.spec.env, existing.env) });
      return { ...base, outcome: 'replaced', id: t.id };
    }
    if (action === 'keepBoth' && existing) {
      const name = freeName(item.spec.name, new Set(ctx.store.listTemplates().map((t) => t.name)));
      const t = storeTemplate(ctx, undefined, { ...item.spec, name });
      return { ...base, outcome: 'keptBoth', id: t.id, savedAs: name };
    }
    const t = storeTemplate(ctx, undefined, item.spec);
    return { ...base, outcome: 'created', id: t.id };
  } catch (error) {
    return { ...base, outcome: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
}

/** "name (copy)", then "name (copy 2)"…, within the name limit. */
export function copyNameFor(name: string, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? ' (copy)' : ` (copy ${n})`;
    const candidate = `${name.slice(0, 120 - suffix.length)}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

export function templateHandlers(ctx: CoreContext): TemplateHandlers {
  return {
    async 'templates.list'() {
      const last = new Map<string, Job>();
      for (const j of ctx.store.allJobs()) {
        if (!j.templateId) continue;
        const prev = last.get(j.templateId);
        if (!prev || prev.seq < j.seq) last.set(j.templateId, j);
      }
      return ctx.store.listTemplates().map((t): TemplateSummary => {
        const j = last.get(t.id);
        return {
          template: maskSpec(t),
          ...(j
            ? {
                lastJob: {
                  id: j.id,
                  seq: j.seq,
                  status: j.status,
                  ...(j.exitCode !== undefined ? { exitCode: j.exitCode } : {}),
                  ...(j.finishedAt ? { finishedAt: j.finishedAt } : {}),
                },
              }
            : {}),
        };
      });
    },
    async 'templates.get'({ id }) {
      return maskSpec(mustTemplate(ctx, id));
    },
    async 'templates.save'({ id, spec }) {
      return maskSpec(storeTemplate(ctx, id, spec));
    },
    async 'templates.delete'({ id }) {
      mustTemplate(ctx, id);
      ctx.store.deleteTemplate(id);
      ctx.cron.sync();
      ctx.hub.emit('template.changed', { id, removed: true });
      return { ok: true };
    },
    async 'templates.import'({ files }) {
      return files.map((f) => previewFile(ctx, importTemplateFile(f)));
    },
    async 'templates.importSave'({ files, decisions, confirmHostMounts, values }) {
      const parsed = withValues(files.map(importTemplateFile), values);
      const items = planImport(parsed, ctx.store.listTemplates(), decisions);
      const mounts = hostMounts(items);
      if (mounts.length && !confirmHostMounts) {
        const message = `these templates mount host directories; confirm them to save: ${mounts.join('; ')}`;
        throw new AppError('VALIDATION', message, [{ path: 'confirmHostMounts', message }]);
      }
      const outcomes: ImportOutcome[] = parsed
        .filter((f) => !f.ok)
        .map((f) => ({ file: f.file, name: f.file, outcome: 'failed', message: f.errors.map((e) => `${e.path}: ${e.message}`).join('; ') }));
      for (const item of items) outcomes.push(saveItem(ctx, item));
      return outcomes;
    },
    async 'templates.export'({ id, format }) {
      return exportTemplate(specOf(mustTemplate(ctx, id)), format);
    },
    async 'templates.duplicate'({ id, name }) {
      const source = mustTemplate(ctx, id);
      const taken = new Set(ctx.store.listTemplates().map((t) => t.name));
      const copyName = name ?? copyNameFor(source.name, taken);
      // Secrets go across in clear to be sealed again; a copied schedule waits until turned on.
      const spec: TemplateSpec = {
        ...specOf(source),
        name: copyName,
        env: plainEnv(ctx, source.env),
        ...(source.schedule ? { schedule: { ...source.schedule, enabled: false } } : {}),
      };
      return maskSpec(storeTemplate(ctx, undefined, spec));
    },
    async 'templates.exportMany'({ ids, format, bundle }) {
      const templates = ids ? ids.map((i) => mustTemplate(ctx, i)) : [...ctx.store.listTemplates()].sort((a, b) => a.name.localeCompare(b.name));
      if (bundle === 'archive') return { files: [await templateArchive(exportTemplates(templates.map(specOf), format, 'filePerTemplate'), new Date(ctx.clock.now()))] };
      return { files: exportTemplates(templates.map(specOf), format, bundle) };
    },
  };
}
