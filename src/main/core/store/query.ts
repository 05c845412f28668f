import type { Job } from '../../../shared/job';
import type { JobFilter } from '../../../shared/query';

export function duration(j: Job): number {
  return j.startedAt && j.finishedAt ? Date.parse(j.finishedAt) - Date.parse(j.startedAt) : -1;
}

function commandText(j: Job): string {
  const c = j.spec.command;
  return c === undefined ? '' : typeof c === 'string' ? c : c.join(' ');
}

/** `text` is the filter's text, trimmed and lower-cased once by the caller. */
export function matchesFilter(j: Job, f: JobFilter, text: string | undefined): boolean {
  if (f.status && !f.status.includes(j.status)) return false;
  if (f.templateId && j.templateId !== f.templateId) return false;
  if (f.templateName && j.templateName !== f.templateName) return false;
  if (f.engineId && !j.attempts.some((a) => a.engineId === f.engineId)) return false;
  if (f.from && j.createdAt < new Date(f.from).toISOString()) return false;
  if (f.to && j.createdAt > new Date(f.to).toISOString()) return false;
  if (text) {
    const hay = `${j.id} ${j.templateName} ${j.spec.image} ${commandText(j)} ${j.message ?? ''}`.toLowerCase();
    if (!hay.includes(text)) return false;
  }
  return true;
}

export function sortJobs(jobs: Job[], sort: JobFilter['sort'], order: JobFilter['order']): void {
  const dir = order === 'asc' ? 1 : -1;
  const key: (j: Job) => string | number =
    sort === 'finishedAt' ? (j) => j.finishedAt ?? '' : sort === 'priority' ? (j) => j.priority : sort === 'duration' ? duration : (j) => j.createdAt;
  jobs.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return (ka < kb ? -1 : ka > kb ? 1 : a.seq - b.seq) * dir;
  });
}
