import type { TemplateSummary } from '../../../shared/ipc';
import type { Job } from '../../../shared/job';
import { checkSchedule } from '../../../shared/schedule';
import type { Template } from '../../../shared/template';

/**
 * A job.updated event folded into the Templates list: the template's newest job is its
 * "Last result", live, with no reload. Older jobs (a retry of an old run) leave it as it is.
 */
export function foldLastJob(list: TemplateSummary[], job: Pick<Job, 'id' | 'seq' | 'status' | 'exitCode' | 'finishedAt' | 'templateId'>): TemplateSummary[] {
  if (!job.templateId) return list;
  const i = list.findIndex((s) => s.template.id === job.templateId);
  if (i === -1) return list;
  const current = list[i]!.lastJob;
  if (current && current.id !== job.id && current.seq > job.seq) return list;
  const next = [...list];
  next[i] = {
    ...list[i]!,
    lastJob: {
      id: job.id,
      seq: job.seq,
      status: job.status,
      ...(job.exitCode !== undefined ? { exitCode: job.exitCode } : {}),
      ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
    },
  };
  return next;
}

/** What the filter box keeps: name, image or description containing every word typed; with `scheduledOnly`, templates whose schedule is on. */
export function filterTemplates(list: TemplateSummary[], filter: string, scheduledOnly = false): TemplateSummary[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  return list.filter(({ template: t }) => {
    if (scheduledOnly && !t.schedule?.enabled) return false;
    const text = `${t.name} ${t.image} ${t.description ?? ''}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

/** When a template's schedule fires next (the same reading the core's launcher uses); none when off or unscheduled. */
export function nextRunOf(t: Pick<Template, 'schedule'>, now: Date): Date | undefined {
  const s = t.schedule;
  if (!s?.enabled) return undefined;
  return checkSchedule({ cron: s.cron, seconds: s.seconds, timeZone: s.timeZone, allowFrequent: s.allowFrequent }, now, 1).next[0];
}

export type TemplateSort = 'name' | 'lastRun' | 'nextRun';
export const SORT_LABELS: Record<TemplateSort, string> = { name: 'Name', lastRun: 'Last run, newest first', nextRun: 'Next run, soonest first' };

/**
 * The list in the chosen order; what has no value for it (never run, not scheduled) goes last,
 * and ties go by name, so the order never jumps between two renders.
 */
export function sortTemplates(list: TemplateSummary[], sort: TemplateSort, nextRuns: ReadonlyMap<string, Date | undefined>): TemplateSummary[] {
  const byName = (a: TemplateSummary, b: TemplateSummary) => a.template.name.localeCompare(b.template.name);
  const key = (s: TemplateSummary): number | undefined =>
    sort === 'lastRun' ? (s.lastJob ? -s.lastJob.seq : undefined) : sort === 'nextRun' ? nextRuns.get(s.template.id)?.getTime() : undefined;
  return [...list].sort((a, b) => {
    if (sort === 'name') return byName(a, b);
    const ka = key(a);
    const kb = key(b);
    if (ka === undefined || kb === undefined) return ka === kb ? byName(a, b) : ka === undefined ? 1 : -1;
    return ka - kb || byName(a, b);
  });
}

/** The count beside the title: what is shown, and of how many when a filter hides some. */
export function countLabel(shown: number, total: number): string {
  return shown === total ? String(total) : `${shown} of ${total}`;
}
