import type { TemplateSummary } from '../../../shared/ipc';
import type { Job } from '../../../shared/job';

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

/** What the filter box keeps: name, image or description containing every word typed. */
export function filterTemplates(list: TemplateSummary[], filter: string): TemplateSummary[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return list;
  return list.filter(({ template: t }) => {
    const text = `${t.name} ${t.image} ${t.description ?? ''}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

/** The count beside the title: what is shown, and of how many when a filter hides some. */
export function countLabel(shown: number, total: number): string {
  return shown === total ? String(total) : `${shown} of ${total}`;
}
