import { Job, TERMINAL } from '../../../shared/job';

/**
 * History records are checked in two steps, so that opening a store of 100k jobs does not cost a
 * full zod parse of every one. At open, `isWellFormedRecord` checks, cheaply, every field the store
 * itself reads from a record it has not parsed yet (its id, status and the fields that filters and
 * sorts look at); a record that fails it is parsed with zod on the spot, and a record that fails
 * that sets the whole file aside, as before. The full zod parse of the others (nested fields,
 * defaults filled in) happens when a record is first read, or by the background check soon after
 * open; a record that fails it then is set aside on its own (JobTable.setRecordAside in jobs.ts).
 */
export function isWellFormedRecord(r: unknown): boolean {
  if (typeof r !== 'object' || r === null || Array.isArray(r)) return false;
  const j = r as Record<string, unknown>;
  if (typeof j.id !== 'string' || typeof j.templateName !== 'string' || typeof j.createdAt !== 'string') return false;
  if (typeof j.seq !== 'number' || typeof j.priority !== 'number') return false;
  // Only finished jobs belong in history: any other is parsed at once (it goes to the hot set).
  if (!(TERMINAL as readonly unknown[]).includes(j.status)) return false;
  if (!optionalString(j.templateId) || !optionalString(j.message) || !optionalString(j.startedAt) || !optionalString(j.finishedAt)) return false;
  const spec = j.spec as Record<string, unknown> | null | undefined;
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec) || typeof spec.image !== 'string') return false;
  const c = spec.command;
  if (c !== undefined && typeof c !== 'string' && !(Array.isArray(c) && c.every((x) => typeof x === 'string'))) return false;
  if (!Array.isArray(j.attempts)) return false;
  for (const a of j.attempts as unknown[]) {
    if (typeof a !== 'object' || a === null || typeof (a as { engineId?: unknown }).engineId !== 'string') return false;
  }
  return true;
}

const optionalString = (v: unknown): boolean => v === undefined || typeof v === 'string';

/** The first issue of a failed parse, as `path: message`. */
export function firstIssue(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }, prefix = ''): string {
  const i = error.issues[0];
  if (!i) return 'unknown';
  const path = [prefix, ...i.path.map(String)].filter((p) => p !== '').join('.');
  return `${path || '(root)'}: ${i.message}`;
}

export type RecordCheck = { ok: true; job: Job } | { ok: false; issue: string };

export function parseRecord(raw: unknown, prefix = ''): RecordCheck {
  const r = Job.safeParse(raw);
  return r.success ? { ok: true, job: r.data } : { ok: false, issue: firstIssue(r.error, prefix) };
}
