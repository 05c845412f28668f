import { z } from 'zod';
import { JobFilter } from './query';

/**
 * Which jobs a bulk action acts on: ids the user picked, or every job matching a History filter
 * (all pages, resolved in the core, so "select all matching" never depends on the rows loaded).
 */
export const SelectionFilter = JobFilter.omit({ sort: true, order: true, offset: true, limit: true });
export type SelectionFilter = z.infer<typeof SelectionFilter>;
export const JobSelection = z.union([
  z.object({ ids: z.array(z.string().min(1).max(100)).min(1).max(10_000) }).strict(),
  z.object({ filter: SelectionFilter }).strict(),
]);
export type JobSelection = z.infer<typeof JobSelection>;

export const BulkAction = z.enum(['cancel', 'retry', 'clone', 'remove']);
export type BulkAction = z.infer<typeof BulkAction>;

/** One job's outcome: done (with the new job a retry or clone made), skipped and why, or failed. */
export const BulkOutcome = z.object({
  id: z.string(),
  outcome: z.enum(['done', 'skipped', 'failed']),
  /** The job made for it (a clone, or a retry of a cancelled job); the same id for a retry in place. */
  newId: z.string().optional(),
  reason: z.string().optional(),
});
export type BulkOutcome = z.infer<typeof BulkOutcome>;

export const BulkResult = z.object({
  action: BulkAction,
  matched: z.number().int(),
  done: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
  outcomes: z.array(BulkOutcome),
  /** For people: "Cancelled 3 jobs; 2 skipped: 2 were already finished." */
  summary: z.string(),
});
export type BulkResult = z.infer<typeof BulkResult>;

export const ExportFormat = z.enum(['json', 'csv']);
export type ExportFormat = z.infer<typeof ExportFormat>;

/** The finished-job states a clean-up may remove. */
export const CleanupStatus = z.enum(['completed', 'failed', 'cancelled']);
export const CleanupRule = z
  .object({
    /** Jobs that ended longer ago than this (a day is 24 h; fractions allowed for hours). */
    olderThanDays: z.number({ error: 'Older than must be a number' }).min(0, { error: 'Older than cannot be negative' }).max(3650, { error: 'Older than is at most 3650 days' }),
    statuses: z.array(CleanupStatus).min(1, { error: 'Pick at least one state to clean up' }).default(['completed', 'failed', 'cancelled']),
    /** The time the age is counted from (a preview's `asOf`), so the run removes what the preview counted. */
    asOf: z.string().datetime({ offset: true }).optional(),
  })
  .strict();
export type CleanupRule = z.infer<typeof CleanupRule>;

export const CleanupPreview = z.object({
  count: z.number().int(),
  byStatus: z.partialRecord(CleanupStatus, z.number().int()),
  /** Finished jobs that match but stay, because a job still waiting depends on them. */
  kept: z.number().int(),
  asOf: z.string(),
});
export type CleanupPreview = z.infer<typeof CleanupPreview>;

const ACTION_DONE: Record<BulkAction, string> = { cancel: 'Cancelled', retry: 'Retried', clone: 'Ran again', remove: 'Deleted' };

export const jobsWord = (n: number): string => `${n.toLocaleString('en-US')} ${n === 1 ? 'job' : 'jobs'}`;

/** "Cancelled 3 jobs; 2 skipped: 2 were already finished." — the skip reasons grouped, most first. */
export function bulkSummary(action: BulkAction, outcomes: readonly BulkOutcome[]): string {
  const done = outcomes.filter((o) => o.outcome === 'done').length;
  const parts = [`${ACTION_DONE[action]} ${jobsWord(done)}`];
  for (const kind of ['skipped', 'failed'] as const) {
    const these = outcomes.filter((o) => o.outcome === kind);
    if (!these.length) continue;
    const reasons = new Map<string, number>();
    for (const o of these) reasons.set(o.reason ?? 'no reason given', (reasons.get(o.reason ?? 'no reason given') ?? 0) + 1);
    const why = [...reasons].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${n} ${r}`);
    parts.push(`${these.length} ${kind}: ${why.join(', ')}`);
  }
  return `${parts.join('; ')}.`;
}
