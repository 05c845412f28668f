// What a notification says: the documented JSON payload (docs/notifications.md) built once from
// the job when the rule fires, and the other bodies (Slack text, ntfy, mail, desktop) made from it.
import { createHash } from 'node:crypto';
import { describeExit } from '../../../shared/exitCodes';
import { noticeForJob } from '../../../shared/jobEnds';
import type { Job } from '../../../shared/job';
import { jobDurationMs } from '../../../shared/jobNumbers';
import type { DesktopNotice, NotifyOn, NotifyPayload } from '../../../shared/notify';
import { iso } from '../clock';

/** Stable for one thing that happened to one job, per rule and channel: the same on every try and after a restart. */
export function idempotencyKey(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

const TITLES: Record<NotifyOn, string> = {
  start: 'started',
  success: 'succeeded',
  failure: 'failed',
  late: 'is running late',
  stuck: 'is stuck pending',
  recovered: 'recovered',
};

export function jobLink(jobId: string): string {
  return `jobdeck://job/${encodeURIComponent(jobId)}`;
}

export interface PayloadInput {
  job: Job;
  event: NotifyOn | 'test';
  ruleId: string;
  key: string;
  at: number;
  /** The headless host's base URL (http://127.0.0.1:port), where one serves the app. */
  baseUrl?: string;
}

function summaryOf(job: Job, event: NotifyOn | 'test'): string {
  if (event === 'test') return `Test notification from Jobdeck`;
  if (event === 'failure' && job.status === 'cancelled' && job.reason === 'UpstreamFailed') return `${job.templateName} did not run: a job it depends on failed or was cancelled`;
  const head = `${job.templateName} ${TITLES[event]}`;
  if (event === 'failure') {
    const a = job.attempts.at(-1);
    const code = job.exitCode ?? a?.exitCode;
    const reason = job.reason ?? a?.reason ?? 'Error';
    const m = describeExit(code, reason);
    return `${head}: ${code === null || code === undefined ? '' : `exit code ${code}, `}${reason} (${m.meaning})`;
  }
  return head;
}

export function buildPayload(p: PayloadInput): NotifyPayload {
  const { job } = p;
  const last = job.attempts.at(-1);
  const exitCode = job.exitCode ?? last?.exitCode;
  const reason = job.reason ?? last?.reason;
  const duration = jobDurationMs(job, p.at);
  return {
    version: 1,
    event: p.event,
    ruleId: p.ruleId,
    idempotencyKey: p.key,
    at: iso(p.at),
    summary: summaryOf(job, p.event),
    job: {
      id: job.id,
      status: job.status,
      ...(reason ? { reason } : {}),
      ...(job.message ? { message: job.message } : {}),
      ...(exitCode !== undefined ? { exitCode } : {}),
      ...(exitCode !== undefined || reason ? { exitMeaning: describeExit(exitCode, reason).meaning } : {}),
      template: job.templateName,
      ...(job.templateId ? { templateId: job.templateId } : {}),
      ...(last?.engineId ? { engine: last.engineId } : {}),
      createdAt: job.createdAt,
      ...(job.startedAt ? { startedAt: job.startedAt } : {}),
      ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
      ...(duration !== null ? { durationMs: duration } : {}),
      attempt: last?.number ?? 0,
      link: jobLink(job.id),
      ...(p.baseUrl ? { url: `${p.baseUrl.replace(/\/+$/, '')}/#/jobs/${encodeURIComponent(job.id)}` } : {}),
    },
  };
}

/** The facts as lines of text: the mail's body, the ntfy message. */
export function factLines(p: NotifyPayload): string[] {
  const j = p.job;
  const lines = [p.summary];
  if (p.alert) lines.push(`Alert: ${p.alert.title} (${p.alert.state})`, ...(p.alert.detail ? [p.alert.detail] : []));
  if (!j) return lines;
  lines.push(
    '',
    `Job:       ${j.id}`,
    `Template:  ${j.template}`,
    `Status:    ${j.status}${j.reason ? ` (${j.reason})` : ''}`,
  );
  if (j.exitCode !== undefined && j.exitCode !== null) lines.push(`Exit code: ${j.exitCode}${j.exitMeaning ? ` (${j.exitMeaning})` : ''}`);
  else if (j.exitMeaning) lines.push(`Meaning:   ${j.exitMeaning}`);
  if (j.message) lines.push(`Message:   ${j.message}`);
  if (j.engine) lines.push(`Engine:    ${j.engine}`);
  lines.push(`Attempt:   ${j.attempt}`, `Created:   ${j.createdAt}`);
  if (j.startedAt) lines.push(`Started:   ${j.startedAt}`);
  if (j.finishedAt) lines.push(`Finished:  ${j.finishedAt}`);
  if (j.durationMs !== undefined) lines.push(`Duration:  ${(j.durationMs / 1000).toFixed(1)} s`);
  lines.push(`Open:      ${j.url ?? j.link}`);
  return lines;
}

/**
 * What the desktop shows: for an end, what it said before rules (shared/jobEnds.ts, so a
 * notice reads the same as ever); for the other events, the summary as the title.
 */
export function desktopNotice(p: NotifyPayload, job?: Job): DesktopNotice {
  const old = job && (p.event === 'success' || p.event === 'failure') ? noticeForJob(job, { notifications: { enabled: true, muteSuccess: false } }) : null;
  if (old) return { ...old, key: p.idempotencyKey };
  const [title, ...rest] = p.summary.split(': ');
  const body = [rest.join(': '), p.job?.message ?? p.alert?.detail ?? ''].filter(Boolean).join('\n').slice(0, 240);
  return { title: title!.slice(0, 120), body, key: p.idempotencyKey, ...(p.job ? { jobId: p.job.id } : {}) };
}
