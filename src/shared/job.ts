import { z } from 'zod';
import { JobInputs, Requester } from './audit';
import { AttemptStep } from './pod';
import { JOB_STATUSES } from './jobStates';
import { TemplateSpec } from './template';

export { isTerminal, TERMINAL } from './jobStates';
export const JobStatus = z.enum(JOB_STATUSES);
export type JobStatus = z.infer<typeof JobStatus>;

/** Why a job or an attempt ended. */
export const EndReason = z.enum([
  'Completed',
  'Error',
  'OOMKilled',
  'DeadlineExceeded',
  'Cancelled',
  'ImagePullFailed',
  'EngineUnavailable',
  'EngineLost',
  'UpstreamFailed',
  // Kubernetes Job conditions' reasons (jobPolicies.ts):
  /** A podFailurePolicy FailJob rule matched; the message names the rule. */
  'PodFailurePolicy',
  /** A successPolicy rule was met; the rest of the job was stopped. */
  'SuccessCriteriaMet',
  /** Indexes failed under backoffLimitPerIndex; the message names them. */
  'FailedIndexes',
  /** More indexes failed than maxFailedIndexes allows. */
  'MaxFailedIndexesExceeded',
]);
export type EndReason = z.infer<typeof EndReason>;

export const AttemptStatus = z.enum(['starting', 'running', 'succeeded', 'failed', 'cancelled']);
export type AttemptStatus = z.infer<typeof AttemptStatus>;

export const Attempt = z.object({
  /** 1-based, counted across the whole job. */
  number: z.number().int().positive(),
  /** Completion index (0-based); 0 for a single-completion job. */
  index: z.number().int().min(0),
  engineId: z.string(),
  containerId: z.string().optional(),
  status: AttemptStatus,
  exitCode: z.number().int().nullable().optional(),
  reason: EndReason.optional(),
  message: z.string().optional(),
  createdAt: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  peakMemoryBytes: z.number().optional(),
  /** No longer written (a reattach now resumes from the log file); kept so older stores load. */
  lastLogTimestamp: z.string().optional(),
  logBytes: z.number().int().min(0).default(0),
  logTruncated: z.boolean().default(false),
  artifacts: z.array(z.object({ name: z.string(), size: z.number() })).default([]),
  /** Init containers and sidecars of the attempt, in the order they start. */
  steps: z.array(AttemptStep).optional(),
});
export type Attempt = z.infer<typeof Attempt>;

export const JobOrigin = z.enum(['manual', 'schedule', 'retry', 'clone', 'import']);
export type JobOrigin = z.infer<typeof JobOrigin>;

export const Job = z.object({
  id: z.string(),
  templateId: z.string().optional(),
  templateName: z.string(),
  /** The template as it was when the job was made, with overrides applied. */
  spec: TemplateSpec,
  status: JobStatus,
  reason: EndReason.optional(),
  message: z.string().optional(),
  exitCode: z.number().int().nullable().optional(),
  priority: z.number().int().min(1).max(5),
  /** FIFO order within a priority: a monotonically increasing number given at creation. */
  seq: z.number(),
  origin: JobOrigin.default('manual'),
  dependsOn: z.array(z.string()).default([]),
  createdAt: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  /** Earliest time the next attempt may start (retry backoff). */
  notBefore: z.string().optional(),
  /** Failed attempts so far, against spec.retry.limit. */
  failures: z.number().int().min(0).default(0),
  /** Completion indexes that have succeeded. */
  succeededIndexes: z.array(z.number().int()).default([]),
  /** Engine the job waits for, when none of its engines is available (shown, not a failure). */
  waitingFor: z.string().optional(),
  attempts: z.array(Attempt).default([]),
  scheduledFor: z.string().optional(),
  /** The user's suspend/resume; left out, the template's `suspend` holds. */
  suspended: z.boolean().optional(),
  /** Kept by ttlSecondsAfterFinished and retention alike. */
  pinned: z.boolean().optional(),
  /** Indexes that failed for good (backoffLimitPerIndex, FailIndex). */
  failedIndexes: z.array(z.number().int()).optional(),
  /** Failed attempts per index (backoffLimitPerIndex), keyed by the index. */
  indexFailures: z.record(z.string(), z.number().int().min(0)).optional(),
  // The audit trail (optional: older stores have none). The events themselves live beside the logs.
  /** Who asked for the job and through which client. */
  requestedBy: Requester.optional(),
  /** The template's version the job was made from: its updatedAt then. */
  templateVersion: z.string().optional(),
  /** What the run was given apart from the template (secrets masked). */
  inputs: JobInputs.optional(),
  /** Per-index retry backoff (backoffLimitPerIndex): the earliest start of each index, keyed by it; the other indexes start meanwhile. */
  indexNotBefore: z.record(z.string(), z.string()).optional(),
});
export type Job = z.infer<typeof Job>;


/**
 * The one transition table (DESIGN.md): pending → running → completed | failed,
 * pending | running → cancelled, failed → pending for a retry. A running job may
 * also go back to pending when its engine is lost and it will retry; it passes
 * through `failed` first so the table stays the only authority.
 */
export const TRANSITIONS: Readonly<Record<JobStatus, readonly JobStatus[]>> = {
  pending: ['running', 'cancelled', 'failed'],
  running: ['completed', 'failed', 'cancelled'],
  failed: ['pending'],
  completed: [],
  cancelled: [],
};

export class TransitionError extends Error {
  constructor(
    readonly from: JobStatus,
    readonly to: JobStatus,
  ) {
    super(`a job cannot go from ${from} to ${to}`);
    this.name = 'TransitionError';
  }
}

export function canTransition(from: JobStatus, to: JobStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(from: JobStatus, to: JobStatus): void {
  if (!canTransition(from, to)) throw new TransitionError(from, to);
}
