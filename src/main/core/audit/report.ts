import { requesterText } from '../../../shared/audit';
import { describeExit } from '../../../shared/exitCodes';
import type { Job } from '../../../shared/job';
import { eventText, inputLines, type JobEvent } from '../../../shared/jobEvents';
import { commandText, jobDurationMs, jobSpan } from '../../../shared/jobNumbers';
import { plainText, type LogStream } from '../../../shared/logLines';
import { scanLines } from '../logs/logSearch';

/** Lines of each stream a report quotes: what fits in a ticket and still shows the failure. */
export const TAIL_LINES = 50;

export interface ReportInput {
  /** The job as it leaves the core: secrets masked. */
  job: Job;
  events: JobEvent[];
  /** The engine of the last attempt, as the registry knows it now. */
  engine?: { id: string; kind: string; version?: string | undefined } | undefined;
  /** The template's updatedAt now (undefined: deleted or never stored), to say whether it changed since. */
  templateNow?: string | undefined;
  /** The last lines of the last attempt's stdout and stderr. */
  tails: Record<'stdout' | 'stderr', string[]>;
}

/** The last `n` lines of each output stream of an attempt's log file, colour codes out. */
export async function logTails(file: string | undefined, n = TAIL_LINES): Promise<ReportInput['tails']> {
  const tails: ReportInput['tails'] = { stdout: [], stderr: [] };
  if (!file) return tails;
  await scanLines(file, (line) => {
    const s: LogStream = line.stream;
    if (s === 'system') return;
    const tail = tails[s];
    tail.push(plainText(line.text));
    if (tail.length > n) tail.shift();
  });
  return tails;
}

/** A fence longer than any run of backticks in the text, so a log cannot close it early. */
function fenced(lines: string[], lang = 'text'): string {
  const text = lines.join('\n');
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${text}\n${fence}`;
}

/** A table cell: one line, pipes escaped. */
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function durationText(ms: number | null): string {
  if (ms === null) return '–';
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 100) / 10;
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** The job as Markdown, ready to paste into a ticket. */
export function jobReport(r: ReportInput): string {
  const { job } = r;
  const exit = describeExit(job.exitCode, job.reason);
  const span = jobSpan(job);
  const last = job.attempts[job.attempts.length - 1];
  const version = job.templateVersion
    ? `version of ${job.templateVersion}${r.templateNow && r.templateNow !== job.templateVersion ? ` (the template has changed since: ${r.templateNow})` : ''}`
    : 'version not recorded';
  const rows: [string, string][] = [
    ['Job', `\`${job.id}\``],
    ['Status', `${job.status}${job.reason ? ` (${job.reason})` : ''}`],
    ['Exit code', job.exitCode === undefined || job.exitCode === null ? exit.meaning : `${job.exitCode} — ${exit.meaning}`],
    ['Template', `${job.templateName}${job.templateId ? ` (\`${job.templateId}\`)` : ' (not stored)'}, ${version}`],
    ['Requested by', `${requesterText(job.requestedBy)}, ${job.origin}`],
    ['Image', `\`${job.spec.image}\``],
    ['Command', job.spec.command === undefined ? '(the image\'s own)' : `\`${commandText(job.spec.command)}\``],
    ['Engine', r.engine ? `${r.engine.id} (${r.engine.kind}${r.engine.version ? ` ${r.engine.version}` : ''})` : last ? last.engineId : 'none yet'],
    ['Attempts', String(job.attempts.length)],
    ['Created', job.createdAt],
    ['Started', span.from ?? '–'],
    ['Finished', span.to ?? job.finishedAt ?? '–'],
    ['Duration', durationText(jobDurationMs(job))],
  ];
  if (job.message) rows.push(['Message', job.message]);
  const inputs = inputLines(job.inputs);
  const parts = [
    `## Job ${job.templateName} ${job.id.slice(0, 8)}: ${job.status}`,
    '',
    '| | |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`),
    '',
    '### Inputs',
    '',
    ...(inputs.length ? inputs.map((l) => `- ${l}`) : ['None apart from the template.']),
    '',
  ];
  for (const stream of ['stderr', 'stdout'] as const) {
    const lines = r.tails[stream];
    parts.push(`### ${stream} (last ${TAIL_LINES} lines${last ? ` of attempt ${last.number}` : ''})`, '', lines.length ? fenced(lines) : `No ${stream} output.`, '');
  }
  parts.push('### Events', '', '| Time | Event | By |', '|---|---|---|');
  for (const e of r.events) parts.push(`| ${e.at} | ${cell(eventText(e))} | ${cell(requesterText('by' in e ? e.by : undefined))} |`);
  if (!r.events.length) parts.push('| – | no events recorded (a job from before the audit trail) | – |');
  return `${parts.join('\n')}\n`;
}
