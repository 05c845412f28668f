import type { Job } from '../../../shared/job';
import type { JobFilter } from '../../../shared/query';

/** finishedAt − startedAt in ms; −1 while a job has not both (it sorts before any finished one). */
export function duration(j: Job): number {
  return j.startedAt && j.finishedAt ? Date.parse(j.finishedAt) - Date.parse(j.startedAt) : -1;
}

function commandText(j: Job): string {
  const c = j.spec.command;
  return c === undefined ? '' : typeof c === 'string' ? c : c.join(' ');
}

/** `text` is the filter's text, trimmed and lower-cased once; `bounds` its from/to parsed once. */
export function matchesFilter(j: Job, f: JobFilter, text: string | undefined, bounds: { from?: number | undefined; to?: number | undefined }): boolean {
  if (f.status && !f.status.includes(j.status)) return false;
  if (f.templateId !== undefined && j.templateId !== f.templateId) return false;
  if (f.templateName !== undefined && j.templateName !== f.templateName) return false;
  if (f.engineId !== undefined && !j.attempts.some((a) => a.engineId === f.engineId)) return false;
  if (bounds.from !== undefined || bounds.to !== undefined) {
    const t = Date.parse(j.createdAt);
    if (bounds.from !== undefined && !(t >= bounds.from)) return false;
    if (bounds.to !== undefined && !(t <= bounds.to)) return false;
  }
  if (text) {
    const hay = `${j.id} ${j.templateName} ${j.spec.image} ${commandText(j)} ${j.message ?? ''}`.toLowerCase();
    if (!hay.includes(text)) return false;
  }
  return true;
}

/** Keys computed once per job (not per comparison); ties keep FIFO order (seq) in either direction. */
export function sortJobs(jobs: Job[], sort: JobFilter['sort'], order: JobFilter['order']): Job[] {
  const dir = order === 'asc' ? 1 : -1;
  const key: (j: Job) => string | number =
    sort === 'finishedAt'
      ? (j) => (j.finishedAt ? Date.parse(j.finishedAt) : -Infinity)
      : sort === 'priority'
        ? (j) => j.priority
        : sort === 'duration'
          ? duration
          : (j) => Date.parse(j.createdAt);
  const keyed = jobs.map((j) => ({ j, k: key(j) }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.j.seq - b.j.seq) * dir);
  return keyed.map((x) => x.j);
}
