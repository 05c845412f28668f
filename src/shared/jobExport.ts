import type { Job } from './job';
import { jobSpan, ranMs } from './jobNumbers';

/**
 * One CSV field as RFC 4180 has it: quoted when it holds a comma, a quote or a line break, quotes
 * doubled. A field that a spreadsheet would run as a formula (=, +, -, @ first) gets a leading
 * apostrophe, so an exported command line never executes in Excel (OWASP "CSV injection").
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CSV_COLUMNS = [
  'id',
  'template',
  'status',
  'reason',
  'exitCode',
  'origin',
  'engine',
  'attempts',
  'image',
  'command',
  'createdAt',
  'startedAt',
  'finishedAt',
  'durationMs',
] as const;

function commandText(j: Job): string {
  const c = j.spec.command;
  return c === undefined ? '' : typeof c === 'string' ? c : c.join(' ');
}

/** The jobs as CSV (a header row, CRLF line ends as RFC 4180 says), one row per job. */
export function jobsCsv(jobs: readonly Job[]): string {
  const lines: string[] = [CSV_COLUMNS.join(',')];
  for (const j of jobs) {
    const ms = ranMs(jobSpan(j));
    const row = [
      j.id,
      j.templateName,
      j.status,
      j.reason,
      j.exitCode,
      j.origin,
      j.attempts.at(-1)?.engineId,
      j.attempts.length,
      j.spec.image,
      commandText(j),
      j.createdAt,
      j.startedAt,
      j.finishedAt,
      ms === null ? undefined : Math.round(ms),
    ];
    lines.push(row.map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** A file name for an export made at `at`: jobdeck-jobs-2026-12-01T13-52-33.csv. */
export function exportFilename(format: 'json' | 'csv', at: Date): string {
  return `jobdeck-jobs-${at.toISOString().slice(0, 19).replace(/:/g, '-')}.${format}`;
}
