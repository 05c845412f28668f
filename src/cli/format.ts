// What people read: aligned tables, badges as text ("exit 3 (Error)"), colour only on a terminal
// with NO_COLOR unset. Pure: the streams and the environment come in.
import { describeExit } from '../shared/exitCodes';
import type { Job, JobStatus } from '../shared/job';
import type { JobSummary } from '../shared/query';

export interface Style {
  color: boolean;
}

/** Colour when the stream is a terminal, NO_COLOR is unset (no-color.org) and --no-color was not given. */
export function styleFor(stream: { isTTY?: boolean }, env: Record<string, string | undefined>, noColor = false): Style {
  return { color: Boolean(stream.isTTY) && !noColor && (env.NO_COLOR === undefined || env.NO_COLOR === '') };
}

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, dim: 2, bold: 1 } as const;
export type Tone = keyof typeof CODES;
export const paint = (style: Style, tone: Tone, text: string): string => (style.color ? `\x1b[${CODES[tone]}m${text}\x1b[0m` : text);

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
const width = (s: string) => [...s.replace(ANSI, '')].length;

/** Columns padded to their widest cell, two spaces apart; the last column is not padded. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i]! - width(c))))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

const STATUS_TONE: Record<JobStatus, Tone> = { pending: 'dim', running: 'blue', completed: 'green', failed: 'red', cancelled: 'yellow' };

/** A job's state as its badge reads: "running", "exit 0 (Completed)", "exit 3 (Error)", "Cancelled". */
export function badge(job: Pick<Job, 'status' | 'exitCode' | 'reason'>): string {
  if (job.status === 'pending' || job.status === 'running') return job.status;
  const code = job.exitCode ?? null;
  const reason = job.reason ?? (job.status === 'completed' ? 'Completed' : undefined);
  if (code === null) return reason ?? job.status;
  return `exit ${code} (${reason ?? describeExit(code).meaning})`;
}

export const paintedBadge = (style: Style, job: Pick<Job, 'status' | 'exitCode' | 'reason'>): string => paint(style, STATUS_TONE[job.status], badge(job));

/** 850ms, 12.3s, 4m 05s, 2h 10m, 3d 4h. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** How long a job ran (or has been running, up to `now`); blank before it started. */
export function ranFor(j: { startedAt?: string | undefined; finishedAt?: string | undefined; ran?: { from?: string | undefined; to?: string | undefined } | undefined }, now: number): string {
  const from = j.ran?.from ?? j.startedAt;
  if (!from) return '';
  const to = j.ran?.to ?? j.finishedAt;
  return formatDuration((to ? Date.parse(to) : now) - Date.parse(from));
}

/** "2026-03-01 09:00:05" in local time: what a person compares with their clock. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** The first 8 characters of an id, as `docker ps` shortens its ids; `show` takes either. */
export const shortId = (id: string): string => id.slice(0, 8);

export function jobRows(style: Style, items: readonly JobSummary[], now: number): string[][] {
  return items.map((j) => [shortId(j.id), j.templateName, paintedBadge(style, j), formatTime(j.createdAt), ranFor(j, now), j.engineId ?? '']);
}
export const JOB_HEADERS = ['ID', 'TEMPLATE', 'STATUS', 'CREATED', 'DURATION', 'ENGINE'];
