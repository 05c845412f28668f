import { z } from 'zod';
import { EndReason, Job, JobOrigin, JobStatus } from './job';
import { jobSpan } from './jobNumbers';
import { attemptPhase } from './pod';

export const JobFilter = z
  .object({
    status: z.array(JobStatus).optional(),
    templateId: z.string().optional(),
    templateName: z.string().optional(),
    engineId: z.string().optional(),
    /** ISO times, on createdAt. */
    from: z.string().datetime({ offset: true }).optional(),
    to: z.string().datetime({ offset: true }).optional(),
    /** Case-insensitive match on id, template name, image, command and message. */
    text: z.string().max(200).optional(),
    sort: z.enum(['createdAt', 'finishedAt', 'priority', 'duration', 'startedAt', 'status', 'templateName', 'exitCode']).default('createdAt'),
    order: z.enum(['asc', 'desc']).default('desc'),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(1000).default(50),
    /** The job's exit code (its last attempt's). */
    exitCode: z.number().int().optional(),
    /** How the job came to be: run by hand, by its schedule, a retry, a clone (run again). */
    origin: z.array(JobOrigin).optional(),
    /** Finished in [finishedFrom, finishedBefore) (ISO): a Dashboard bar's time bucket, as stats.get counts it. */
    finishedFrom: z.string().datetime({ offset: true }).optional(),
    finishedBefore: z.string().datetime({ offset: true }).optional(),
  })
  .strict();
export type JobFilter = z.infer<typeof JobFilter>;
export type JobFilterInput = z.input<typeof JobFilter>;

/** What a list row needs; the full job (attempts, spec) comes from jobs.get. */
export const JobSummary = Job.pick({
  id: true,
  templateId: true,
  templateName: true,
  status: true,
  reason: true,
  exitCode: true,
  priority: true,
  seq: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  waitingFor: true,
  dependsOn: true,
  origin: true,
}).extend({
  image: z.string(),
  engineId: z.string().optional(),
  attempts: z.number().int(),
  /** The latest run over its attempts' stamps (shared/jobNumbers.ts): what a row's duration reads. */
  ran: z.object({ from: z.string().optional(), to: z.string().optional() }).optional(),
  /** Before the main container runs: which init container or sidecar the latest attempt is at ("Init: migrate running"). */
  phase: z.string().optional(),
});
export type JobSummary = z.infer<typeof JobSummary>;

export const JobPage = z.object({ total: z.number().int(), items: z.array(JobSummary) });
export type JobPage = z.infer<typeof JobPage>;

export const TemplateStats = z.object({
  templateName: z.string(),
  total: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
  successRate: z.number().nullable(),
  meanDurationMs: z.number().nullable(),
  p95DurationMs: z.number().nullable(),
  /** Queue waits (created → first attempt, shared/jobNumbers.ts queueWaitMs) of the jobs that have left the queue. */
  meanWaitMs: z.number().nullable(),
  p95WaitMs: z.number().nullable(),
});

export const Stats = z.object({
  counts: z.record(JobStatus, z.number().int()),
  successRate: z.number().nullable(),
  meanDurationMs: z.number().nullable(),
  p95DurationMs: z.number().nullable(),
  byTemplate: z.array(TemplateStats),
  meanWaitMs: z.number().nullable(),
  p95WaitMs: z.number().nullable(),
  failuresByReason: z.partialRecord(EndReason, z.number().int()),
  /** The range these figures cover (ISO): the one asked for, ending now when no end was given. */
  from: z.string(),
  to: z.string(),
  /** Width of a timeline bucket: an hour for a day, wider for longer ranges. */
  bucketMs: z.number().int().positive(),
  /** Finished jobs per bucket (t = the bucket's start), for the chart; buckets with none are left out. */
  timeline: z.array(
    z.object({ t: z.string(), completed: z.number().int(), failed: z.number().int(), meanDurationMs: z.number().nullable() }),
  ),
});
export type Stats = z.infer<typeof Stats>;

/** The list row of a job; the core pages with it and the renderer folds job.updated events with it. */
export function summarize(j: Job): JobSummary {
  const last = j.attempts[j.attempts.length - 1];
  return {
    id: j.id,
    ...(j.templateId ? { templateId: j.templateId } : {}),
    templateName: j.templateName,
    status: j.status,
    ...(j.reason ? { reason: j.reason } : {}),
    ...(j.exitCode !== undefined ? { exitCode: j.exitCode } : {}),
    priority: j.priority,
    seq: j.seq,
    createdAt: j.createdAt,
    ...(j.startedAt ? { startedAt: j.startedAt } : {}),
    ...(j.finishedAt ? { finishedAt: j.finishedAt } : {}),
    ...(j.waitingFor ? { waitingFor: j.waitingFor } : {}),
    dependsOn: j.dependsOn,
    origin: j.origin,
    image: j.spec.image,
    ...(last ? { engineId: last.engineId } : {}),
    attempts: j.attempts.length,
    ran: jobSpan(j),
    ...(last && attemptPhase(last) ? { phase: attemptPhase(last) } : {}),
  };
}
