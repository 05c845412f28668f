import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import type { Handlers, TemplateSummary } from '../../../shared/ipc';
import type { Job } from '../../../shared/job';
import { specOf, type Template, type TemplateSpec } from '../../../shared/template';
import { iso } from '../clock';
import { maskSpec, sealEnv } from '../secrets';
import { exportTemplate, importTemplateFile, validateCron } from '../templates';
import type { CoreContext } from './context';

type TemplateHandlers = Pick<
  Handlers,
  'templates.list' | 'templates.get' | 'templates.save' | 'templates.delete' | 'templates.import' | 'templates.export'
>;

export function mustTemplate(ctx: CoreContext, id: string): Template {
  const t = ctx.store.getTemplate(id);
  if (!t) throw new AppError('NOT_FOUND', `no template ${id}`);
  return t;
}

function checkSchedule(spec: TemplateSpec): void {
  if (!spec.schedule) return;
  const problem = validateCron(spec.schedule.cron, spec.schedule.timeZone);
  if (problem) throw new AppError('VALIDATION', `schedule.cron: ${problem}`, [{ path: 'schedule.cron', message: problem }]);
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
          ...maskSpec(t),
          ...(j
            ? {
                lastJob: {
                  id: j.id,
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
      checkSchedule(spec);
      const now = iso(ctx.clock.now());
      const previous = id ? mustTemplate(ctx, id) : undefined;
      const clash = ctx.store.listTemplates().find((t) => t.name === spec.name && t.id !== id);
      if (clash) throw new AppError('CONFLICT', `a template named "${spec.name}" already exists`, [{ path: 'name', message: 'already used by another template' }]);
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
      return maskSpec(template);
    },
    async 'templates.delete'({ id }) {
      mustTemplate(ctx, id);
      ctx.store.deleteTemplate(id);
      ctx.cron.sync();
      ctx.hub.emit('template.changed', { id, removed: true });
      return { ok: true };
    },
    async 'templates.import'({ files }) {
      return files.map((f) => {
        const r = importTemplateFile(f);
        return { ...r, templates: r.templates.map(maskSpec) };
      });
    },
    async 'templates.export'({ id, format }) {
      return exportTemplate(specOf(mustTemplate(ctx, id)), format);
    },
  };
}
