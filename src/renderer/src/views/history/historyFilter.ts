import type { JobOrigin, JobStatus } from '../../../../shared/job';
import type { JobFilterInput } from '../../../../shared/query';
import type { SelectionFilter } from '../../../../shared/bulk';

export const STATUSES: JobStatus[] = ['pending', 'running', 'completed', 'failed', 'cancelled'];
export const ORIGINS: { value: JobOrigin; label: string }[] = [
  { value: 'manual', label: 'Run by hand' },
  { value: 'schedule', label: 'Schedule' },
  { value: 'retry', label: 'Retry' },
  { value: 'clone', label: 'Run again' },
  { value: 'import', label: 'Import' },
];
export const RANGES = { any: undefined, '1h': 3600e3, '24h': 86400e3, '7d': 7 * 86400e3, '30d': 30 * 86400e3, custom: undefined } as const;
export type Range = keyof typeof RANGES;
export type SortColumn = 'createdAt' | 'startedAt' | 'duration' | 'status' | 'templateName' | 'exitCode';
export const SORT_COLUMNS: SortColumn[] = ['createdAt', 'startedAt', 'duration', 'status', 'templateName', 'exitCode'];

/** What the History filters hold, as the user set them (text as typed; times as the inputs give them). */
export interface HistoryFilterState {
  status: JobStatus | '';
  templateName: string;
  engineId: string;
  range: Range;
  /** A custom range: ISO times (the inputs show them in local time). */
  from: string;
  to: string;
  /** As typed: a whole number, or empty for any. */
  exitCode: string;
  origin: JobOrigin | '';
  text: string;
  sort: SortColumn;
  order: 'asc' | 'desc';
  /** A Dashboard bar's bucket (ISO, finished in [from, before)); set only by the bar, shown as a chip. */
  finishedFrom: string;
  finishedBefore: string;
}

export const DEFAULT_FILTER: HistoryFilterState = {
  status: '',
  templateName: '',
  engineId: '',
  range: 'any',
  from: '',
  to: '',
  exitCode: '',
  origin: '',
  text: '',
  sort: 'createdAt',
  order: 'desc',
  finishedFrom: '',
  finishedBefore: '',
};

/** An exit code as typed: a whole number (negative too), or undefined with `bad` for anything else. */
export function parseExitCode(typed: string): { code?: number; bad: boolean } {
  const t = typed.trim();
  if (!t) return { bad: false };
  return /^-?\d{1,10}$/.test(t) ? { code: Number(t), bad: false } : { bad: true };
}

/** The custom range's problem in the user's words, or undefined when it is fine. */
export function rangeProblem(f: Pick<HistoryFilterState, 'range' | 'from' | 'to'>): string | undefined {
  if (f.range !== 'custom' || !f.from || !f.to) return undefined;
  return Date.parse(f.from) > Date.parse(f.to) ? 'The range ends before it starts' : undefined;
}

/** The jobs the filters select, without sort or page (what a bulk action over "all matching" sends). */
export function selectionFilter(f: HistoryFilterState, now: number): SelectionFilter {
  const ms = RANGES[f.range];
  const exit = parseExitCode(f.exitCode);
  const valid = (s: string) => s && !Number.isNaN(Date.parse(s));
  return {
    ...(f.status ? { status: [f.status] } : {}),
    ...(f.templateName ? { templateName: f.templateName } : {}),
    ...(f.engineId ? { engineId: f.engineId } : {}),
    ...(ms ? { from: new Date(now - ms).toISOString() } : {}),
    ...(f.range === 'custom' && valid(f.from) ? { from: new Date(f.from).toISOString() } : {}),
    ...(f.range === 'custom' && valid(f.to) ? { to: new Date(f.to).toISOString() } : {}),
    ...(exit.code !== undefined ? { exitCode: exit.code } : {}),
    ...(f.origin ? { origin: [f.origin] } : {}),
    ...(f.text.trim() ? { text: f.text.trim() } : {}),
    ...(valid(f.finishedFrom) ? { finishedFrom: new Date(f.finishedFrom).toISOString() } : {}),
    ...(valid(f.finishedBefore) ? { finishedBefore: new Date(f.finishedBefore).toISOString() } : {}),
  };
}

export function listFilter(f: HistoryFilterState, now: number): JobFilterInput {
  return { ...selectionFilter(f, now), sort: f.sort, order: f.order };
}

const KEYS: (keyof HistoryFilterState)[] = ['status', 'templateName', 'engineId', 'range', 'from', 'to', 'exitCode', 'origin', 'text', 'sort', 'order', 'finishedFrom', 'finishedBefore'];
/** Short names in the address: #/history?status=failed&template=nightly. */
const PARAM: Record<keyof HistoryFilterState, string> = {
  status: 'status',
  templateName: 'template',
  engineId: 'engine',
  range: 'range',
  from: 'from',
  to: 'to',
  exitCode: 'exit',
  origin: 'origin',
  text: 'q',
  sort: 'sort',
  order: 'order',
  finishedFrom: 'finished_from',
  finishedBefore: 'finished_before',
};

/** The filters as the query of History's address: only what differs from the defaults. */
export function toQuery(f: Partial<HistoryFilterState>): string {
  const p = new URLSearchParams();
  for (const k of KEYS) {
    const v = f[k];
    if (v !== undefined && v !== DEFAULT_FILTER[k]) p.set(PARAM[k], v);
  }
  return p.toString();
}

/** An address's query back to filters; unknown or bad values fall back to the defaults. */
export function fromQuery(query: string): HistoryFilterState {
  const p = new URLSearchParams(query);
  const get = (k: keyof HistoryFilterState) => p.get(PARAM[k]) ?? undefined;
  const oneOf = <T extends string>(v: string | undefined, allowed: readonly T[], fallback: T): T => (v !== undefined && (allowed as readonly string[]).includes(v) ? (v as T) : fallback);
  return {
    status: oneOf(get('status'), ['', ...STATUSES], ''),
    templateName: get('templateName') ?? '',
    engineId: get('engineId') ?? '',
    range: oneOf(get('range'), Object.keys(RANGES) as Range[], 'any'),
    from: get('from') ?? '',
    to: get('to') ?? '',
    exitCode: get('exitCode') ?? '',
    origin: oneOf(get('origin'), ['', ...ORIGINS.map((o) => o.value)], ''),
    text: get('text') ?? '',
    sort: oneOf(get('sort'), SORT_COLUMNS, 'createdAt'),
    order: oneOf(get('order'), ['asc', 'desc'] as const, 'desc'),
    finishedFrom: get('finishedFrom') ?? '',
    finishedBefore: get('finishedBefore') ?? '',
  };
}
