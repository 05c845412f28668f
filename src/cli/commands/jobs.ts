// jobs list, show, cancel|retry|clone (by id, or every job of a state), cleanup.
import { describeExit } from '../../shared/exitCodes';
import { eventLine } from '../../shared/jobEvents';
import { attemptDurationMs, attemptSpan, jobDurationMs, jobSpan } from '../../shared/jobNumbers';
import type { z } from 'zod';
import type { CleanupStatus } from '../../shared/bulk';
import type { Job, JobStatus } from '../../shared/job';
import type { JobFilterInput } from '../../shared/query';
import { parseDuration, parseIntArg, parseSince, parseStatuses, UsageError } from '../args';
import { resolveJob, type Cli } from '../context';
import { formatDuration, formatTime, JOB_HEADERS, jobRows, paintedBadge, table } from '../format';
import type { Client } from '../client';
import { resolveTemplate } from './run';
import { untilStarted } from './watch';

export interface ListOptions {
  status?: string[];
  template?: string;
  engine?: string;
  since?: string;
  until?: string;
  limit?: string;
}

export async function listJobs(cli: Cli, o: ListOptions): Promise<number> {
  const filter: JobFilterInput = { limit: o.limit === undefined ? 50 : parseIntArg(o.limit, '--limit', 1, 1000) };
  if (o.status?.length) filter.status = parseStatuses(o.status);
  if (o.since) filter.from = parseSince(o.since, '--since', cli.now());
  if (o.until) filter.to = parseSince(o.until, '--until', cli.now());
  if (o.engine) filter.engineId = o.engine;
  const client = await cli.client();
  if (o.template) {
    const t = await resolveTemplate(client, o.template);
    if (t) filter.templateId = t.id;
    else filter.templateName = o.template; // a deleted template's jobs keep its name
  }
  const page = await client.call('jobs.list', filter);
  const { out } = cli;
  if (out.json) out.printJson(page);
  else if (out.quiet) for (const j of page.items) out.print(j.id);
  else {
    out.print(table(JOB_HEADERS, jobRows(out.style, page.items, cli.now())));
    if (page.total > page.items.length) out.note(`${page.items.length} of ${page.total} jobs; --limit shows more`);
  }
  return 0;
}

/** `show JOB`: the job's fields as lines, then its attempts. Kept as parts so more sections can follow. */
export function showLines(cli: Cli, job: Job): string[] {
  const { style } = cli.out;
  const last = job.attempts.at(-1);
  const span = jobSpan(job);
  const meaning = job.status === 'completed' || job.status === 'failed' || job.status === 'cancelled' ? describeExit(job.exitCode, job.reason).meaning : undefined;
  const fields: [string, string | undefined][] = [
    ['Job', job.id],
    ['Template', job.templateName],
    ['Status', paintedBadge(style, job) + (meaning ? ` — ${meaning}` : '')],
    ['Message', job.message],
    ['Image', job.spec.image],
    ['Command', job.spec.command === undefined ? undefined : Array.isArray(job.spec.command) ? JSON.stringify(job.spec.command) : job.spec.command],
    ['Priority', String(job.priority)],
    ['Engine', last?.engineId],
    ['Waiting for', job.waitingFor],
    ['After', job.dependsOn.length ? job.dependsOn.join(', ') : undefined],
    ['Created', formatTime(job.createdAt)],
    // The one set of numbers (shared/jobNumbers.ts): the run's span over its attempts' own stamps,
    // as the job page and the report give it.
    ['Started', formatTime(span.from)],
    ['Finished', formatTime(span.to)],
    ['Duration', durationOf(jobDurationMs(job, cli.now()))],
  ];
  const shown = fields.filter((f): f is [string, string] => f[1] !== undefined && f[1] !== '');
  const lines = table(['', ''], shown.map(([k, v]) => [`${k}:`, v])).split('\n').slice(1);
  if (job.attempts.length) {
    lines.push('', 'Attempts:');
    lines.push(
      ...table(
        ['#', 'ENGINE', 'STATUS', 'EXIT', 'STARTED', 'DURATION', 'MESSAGE'],
        job.attempts.map((a) => [String(a.number), a.engineId, a.status, a.exitCode === undefined || a.exitCode === null ? '' : `${a.exitCode}${a.reason ? ` (${a.reason})` : ''}`, formatTime(attemptSpan(a).from), durationOf(attemptDurationMs(a, cli.now())) ?? '', a.message ?? '']),
      )
        .split('\n')
        .map((l) => `  ${l}`),
    );
  }
  return lines;
}

/**
 * `show JOB [--events]`. With --events the job's timeline follows its fields; with --json too,
 * the output is the window's events export (JobEventsFile), so both exports read alike.
 */
const durationOf = (ms: number | null): string | undefined => (ms === null ? undefined : formatDuration(ms));

export async function showJob(cli: Cli, ref: string, o: { events?: boolean } = {}): Promise<number> {
  const client = await cli.client();
  const job = await resolveJob(client, ref);
  const events = o.events ? await client.call('jobs.events', { id: job.id }) : undefined;
  const { out } = cli;
  if (out.quiet) out.print(job.id);
  else if (out.json) out.printJson(events ? { jobId: job.id, templateName: job.templateName, events } : job);
  else {
    for (const l of showLines(cli, job)) out.print(l);
    if (events) {
      out.print('');
      out.print('Events:');
      if (!events.length) out.print('  none recorded (the job is older than the audit trail)');
      for (const e of events) out.print(`  ${eventLine(e)}`);
    }
  }
  return 0;
}

/** `report JOB`: the job as Markdown for a ticket (the job page's "Copy as issue"). */
export async function reportJob(cli: Cli, ref: string): Promise<number> {
  const client = await cli.client();
  const job = await resolveJob(client, ref);
  const report = await client.call('jobs.report', { id: job.id });
  if (cli.out.json) cli.out.printJson(report);
  else cli.out.print(report.markdown.replace(/\n$/, ''));
  return 0;
}

export interface ActOptions {
  status?: string[];
  since?: string;
}

/** cancel|retry|clone: the jobs named, or (with --status) every job in those states. */
export async function act(cli: Cli, action: 'cancel' | 'retry' | 'clone', refs: string[], o: ActOptions): Promise<number> {
  if (refs.length && o.status?.length) throw new UsageError(`${action}: give job ids or --status, not both`);
  if (!refs.length && !o.status?.length) throw new UsageError(`${action}: name the jobs (JOB…) or choose them with --status`);
  if (o.since && !o.status?.length) throw new UsageError(`--since: goes with --status (${action} --status failed --since 12h)`);
  const client = await cli.client();
  const { out } = cli;
  if (o.status?.length) {
    const status = parseStatuses(o.status);
    const filter = { status, ...(o.since ? { from: parseSince(o.since, '--since', cli.now()) } : {}) };
    const result = await client.call('jobs.bulk', { action, selection: { filter } });
    if (action !== 'cancel') await settleLocal(client, result.outcomes.filter((r) => r.outcome === 'done').map((r) => r.newId ?? r.id));
    if (out.json) out.printJson(result);
    else if (out.quiet) {
      for (const r of result.outcomes) if (r.outcome === 'done') out.print(r.newId ?? r.id);
    } else out.print(result.summary);
    return result.failed ? 1 : 0;
  }
  const jobs = await Promise.all(refs.map((r) => resolveJob(client, r)));
  const done: Job[] = [];
  for (const j of jobs) {
    const next = action === 'cancel' ? await client.call('jobs.cancel', { id: j.id }) : action === 'retry' ? await client.call('jobs.retry', { id: j.id }) : await client.call('jobs.clone', { id: j.id });
    done.push(next);
    if (!out.json && !out.quiet) out.print(`${next.id}  ${next.templateName}  ${paintedBadge(out.style, next)}`);
  }
  if (action !== 'cancel') await settleLocal(client, done.map((j) => j.id));
  if (out.json) out.printJson(done);
  else if (out.quiet) for (const j of done) out.print(j.id);
  return 0;
}

/** A core of our own ends with the command: the jobs it queued must have started first (see run). */
async function settleLocal(client: Client, ids: string[]): Promise<void> {
  if (client.mode !== 'local' || !ids.length || (await client.call('queue.state', {})).paused) return;
  await Promise.all(ids.map((id) => untilStarted(client, id)));
}

export interface CleanupOptions {
  olderThan?: string;
  status?: string[];
  dryRun?: boolean;
}

export async function cleanup(cli: Cli, o: CleanupOptions): Promise<number> {
  if (!o.olderThan) throw new UsageError('cleanup: --older-than is required (such as --older-than 7d)');
  const olderThanDays = parseDuration(o.olderThan, '--older-than') / 86_400_000;
  const statuses = o.status?.length ? (parseStatuses(o.status, '--status', ['completed', 'failed', 'cancelled']) as z.infer<typeof CleanupStatus>[]) : undefined;
  const rule = { olderThanDays, ...(statuses ? { statuses } : {}), asOf: new Date(cli.now()).toISOString() };
  const client = await cli.client();
  const preview = await client.call('retention.preview', rule);
  const { out } = cli;
  if (o.dryRun) {
    if (out.json) out.printJson(preview);
    else {
      const by = Object.entries(preview.byStatus).map(([s, n]) => `${n} ${s}`).join(', ');
      out.print(`Would remove ${preview.count} ${preview.count === 1 ? 'job' : 'jobs'}${by ? ` (${by})` : ''}${preview.kept ? `; ${preview.kept} kept because a waiting job depends on them` : ''}.`);
    }
    return 0;
  }
  const { removed } = await client.call('retention.run', rule);
  if (out.json) out.printJson({ removed });
  else if (!out.quiet) out.print(`Removed ${removed} ${removed === 1 ? 'job' : 'jobs'}${preview.kept ? `; ${preview.kept} kept because a waiting job depends on them` : ''}.`);
  return 0;
}

export type { JobStatus };
