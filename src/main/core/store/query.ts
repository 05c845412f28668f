import { isTerminal, type Job, type JobStatus } from '../../../shared/job';
import { jobSpan, ranMs } from '../../../shared/jobNumbers';
import type { JobFilter } from '../../../shared/query';

function commandText(j: Job): string {
  const c = j.spec.command;
  return c === undefined ? '' : typeof c === 'string' ? c : c.join(' ');
}

/** What a text filter searches: id, template name, image, command and message, lower-cased. */
export function haystack(j: Job): string {
  return `${j.id} ${j.templateName} ${j.spec.image} ${commandText(j)} ${j.message ?? ''}`.toLowerCase();
}

/**
 * One job as the indexes hold it: the job, its status where a scan reads it without reaching into
 * the job, and its haystack once a search (or the background check) has made it. A put replaces
 * the job and forgets the haystack (the scheduler changes job objects in place before it puts them).
 */
export interface Row {
  /** Undefined for a history record not read yet (its text is kept: lines.ts). */
  job: Job | undefined;
  status: JobStatus;
  /** What filters, the createdAt order and the template list read, kept whether or not `job` is. */
  id: string;
  seq: number;
  templateId: string | undefined;
  templateName: string;
  origin: Job['origin'];
  /** The job's exit code (`exitCode` is the exit code order's entry). */
  code: Job['exitCode'];
  /** createdAt in ms (the createdAt order's key). */
  created: number;
  /** finishedAt in ms, -Infinity while unfinished (the Dashboard's buckets filter by it). */
  finished: number;
  /** The engines of its attempts: one id when they all ran on one (nearly always), else each. */
  engines: string | string[] | undefined;
  hay: string | undefined;
  /**
   * Its place in each index, one field per sort (no map from id to entry, nor an object per row:
   * at 100k jobs, building those cost most of an index).
   */
  createdAt: Entry | undefined;
  finishedAt: Entry | undefined;
  priority: Entry | undefined;
  duration: Entry | undefined;
  startedAt: Entry | undefined;
  /** The status sort's (`status` is the row's status itself). */
  statusOrder: Entry | undefined;
  exitCode: Entry | undefined;
}

export function updateRow(row: Row, job: Job): void {
  row.job = job;
  summarize(row, job);
  row.hay = undefined;
}

/** The row's copy of what the indexes read of `j` (a job, or a record as parsed: same shape). */
export function summarize(row: Row, j: Job): void {
  row.status = j.status;
  row.id = j.id;
  row.seq = j.seq;
  row.templateId = j.templateId;
  row.templateName = j.templateName;
  row.origin = j.origin;
  row.code = j.exitCode;
  row.created = time(j.createdAt);
  row.finished = time(j.finishedAt);
  row.engines = enginesOf(j.attempts);
}

function enginesOf(attempts: Job['attempts']): string | string[] | undefined {
  const first = attempts[0]?.engineId;
  for (let i = 1; i < attempts.length; i++) if (attempts[i]!.engineId !== first) return attempts.map((a) => a.engineId);
  return first;
}

const onEngine = (engines: Row['engines'], id: string): boolean => (typeof engines === 'string' ? engines === id : (engines?.includes(id) ?? false));

const STATUS_BIT: Record<JobStatus, number> = { pending: 1, running: 2, completed: 4, failed: 8, cancelled: 16 };

/** The statuses a filter asks for as a bit mask over STATUS_BIT; 0 for any. */
export function statusMask(statuses: readonly JobStatus[] | undefined): number {
  if (!statuses) return 0;
  let m = 0;
  for (const s of statuses) m |= STATUS_BIT[s];
  return m || 32; // none asked for: matches nothing
}

export type Bounds = { from?: number | undefined; to?: number | undefined };

/**
 * The test a filter makes of a row beyond its statuses (statusMask, checked by the scan itself),
 * built once per query from only the parts the filter has.
 * `text` is the filter's text, trimmed and lower-cased; `bounds` its from/to parsed; a scan
 * ordered by createdAt passes its key, so that it is not parsed again.
 */
export function rowFilter(
  f: JobFilter,
  text: string | undefined,
  bounds: Bounds,
  /** The job, or its record as parsed, for the search text of a row whose job is not read yet. */
  jobOf: (row: Row) => Job,
): ((row: Row, created?: number) => boolean) | undefined {
  const tests: ((row: Row, created?: number) => boolean)[] = [];
  const { templateId, templateName, engineId, exitCode, origin } = f;
  if (exitCode !== undefined) tests.push((r) => r.code === exitCode);
  if (origin !== undefined) tests.push((r) => origin.includes(r.origin));
  if (templateId !== undefined) tests.push((r) => r.templateId === templateId);
  if (templateName !== undefined) tests.push((r) => r.templateName === templateName);
  if (engineId !== undefined) tests.push((r) => onEngine(r.engines, engineId));
  const { from, to } = bounds;
  if (from !== undefined || to !== undefined) {
    tests.push((r, created) => {
      const t = created ?? r.created;
      return (from === undefined || t >= from) && (to === undefined || t <= to);
    });
  }
  // A bucket of the Dashboard's chart: half-open, as stats.get floors a finish into its bucket.
  const finishedFrom = f.finishedFrom === undefined ? undefined : Date.parse(f.finishedFrom);
  const finishedBefore = f.finishedBefore === undefined ? undefined : Date.parse(f.finishedBefore);
  if (finishedFrom !== undefined || finishedBefore !== undefined) {
    tests.push((r) => {
      const t = r.finished;
      return t !== -Infinity && (finishedFrom === undefined || t >= finishedFrom) && (finishedBefore === undefined || t < finishedBefore);
    });
  }
  if (text) tests.push((r) => (r.hay ??= haystack(jobOf(r))).includes(text));
  if (tests.length === 0) return undefined;
  if (tests.length === 1) return tests[0];
  return (r, created) => {
    for (const t of tests) if (!t(r, created)) return false;
    return true;
  };
}

/** Sorts kept as a numeric order index; templateName is sorted per query (a string key). */
export type SortKey = Exclude<JobFilter['sort'], 'templateName'>;
const STATUS_RANK: Record<JobStatus, number> = { pending: 0, running: 1, completed: 2, failed: 3, cancelled: 4 };

const digit = (s: string, i: number): number => {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : NaN;
};
const num = (s: string, i: number, n: number): number => {
  let v = 0;
  for (let k = i; k < i + n; k++) v = v * 10 + digit(s, k);
  return v;
};

/** Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil), as Date.UTC counts them. */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

/**
 * ms since the epoch of an ISO time; −Infinity for none or a bad one. The form toISOString()
 * writes (every time Jobdeck stores) is read directly: Date.parse on 100k of them is most of the
 * cost of building an order.
 */
export function time(s: string | undefined): number {
  if (!s) return -Infinity;
  if (s.length === 24 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45 && s.charCodeAt(10) === 84 && s.charCodeAt(13) === 58 && s.charCodeAt(16) === 58 && s.charCodeAt(19) === 46 && s.charCodeAt(23) === 90) {
    const y = num(s, 0, 4);
    const mo = num(s, 5, 2);
    const d = num(s, 8, 2);
    const h = num(s, 11, 2);
    const mi = num(s, 14, 2);
    const sec = num(s, 17, 2);
    // Out-of-range fields (month 13) would roll over: leave those to Date.parse (NaN fails these too).
    if (mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 && sec <= 59) return ((daysFromCivil(y, mo, d) * 24 + h) * 60 + mi) * 60_000 + sec * 1000 + num(s, 20, 3);
  }
  const t = Date.parse(s);
  return Number.isNaN(t) ? -Infinity : t;
}

/**
 * The number a sort orders by; ties go by seq (FIFO ascending, the reverse descending). The
 * createdAt order reads the row alone (it is built at open, before records are read); the others
 * are built once every row has its job (JobTable.index).
 */
export const SORT_KEYS: Record<Exclude<SortKey, 'createdAt'>, (j: Job) => number> = {
  finishedAt: (j) => time(j.finishedAt),
  priority: (j) => j.priority,
  // The duration a row shows (its latest run over its attempts' stamps); without those (an old
  // record) the job's own start to end; unknown or still running sorts lowest.
  duration: (j) => {
    if (!isTerminal(j.status)) return -1;
    return ranMs(jobSpan(j)) ?? (j.startedAt && j.finishedAt ? time(j.finishedAt) - time(j.startedAt) : -1);
  },
  startedAt: (j) => time(j.startedAt),
  status: (j) => STATUS_RANK[j.status],
  // No exit code (never ran, or the engine said none) sorts below every code.
  exitCode: (j) => (typeof j.exitCode === 'number' ? j.exitCode : -Infinity),
};

export interface Entry {
  row: Row;
  /** The row's status as a STATUS_BIT, beside the key, so that a scan by status touches no job. */
  b: number;
  /** Sort key and seq as they were when the entry was placed (jobs change in place). */
  k: number;
  s: number;
}

const before = (a: Entry, k: number, s: number): boolean => a.k < k || (a.k === k && a.s < s);
const atOrBefore = (a: Entry, k: number, s: number): boolean => a.k < k || (a.k === k && a.s <= s);

/**
 * Every job in the order of one sort key, kept up to date on each change: a page, however deep,
 * is a slice, and a filtered one a single pass without a sort. Most changes keep a job's key
 * (a new job comes last, so it is pushed on the end).
 */
export class OrderIndex {
  private entries: Entry[] = [];
  private readonly key: (r: Row) => number;
  /** The row's field that holds its entry in this index. */
  private readonly slot: Exclude<SortKey, 'status'> | 'statusOrder';

  constructor(readonly sort: SortKey) {
    const key = sort === 'createdAt' ? undefined : SORT_KEYS[sort];
    this.key = key ? (r) => key(r.job!) : (r) => r.created;
    this.slot = sort === 'status' ? 'statusOrder' : sort;
  }

  get size(): number {
    return this.entries.length;
  }

  /** Replaces the contents: one sort (quick on rows that come roughly in order already). */
  build(rows: Iterable<Row>): void {
    const entries: Entry[] = [];
    for (const row of rows) {
      const e: Entry = { row, b: STATUS_BIT[row.status], k: this.key(row), s: row.seq };
      entries.push(e);
      row[this.slot] = e;
    }
    entries.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.s - b.s));
    this.entries = entries;
  }

  /** Rows in ascending order. */
  rows(): Row[] {
    return this.entries.map((e) => e.row);
  }

  /** Add a row, or note a change to one: it moves only if its key or seq changed. */
  put(row: Row): void {
    const k = this.key(row);
    const s = row.seq;
    const e = row[this.slot];
    if (e) {
      e.b = STATUS_BIT[row.status];
      if (e.k === k && e.s === s) return;
      this.entries.splice(this.indexOf(e), 1);
      e.k = k;
      e.s = s;
      this.insert(e);
    } else {
      const n: Entry = { row, b: STATUS_BIT[row.status], k, s };
      row[this.slot] = n;
      this.insert(n);
    }
  }

  remove(rows: Iterable<Row>): void {
    const gone: Entry[] = [];
    for (const row of rows) {
      const e = row[this.slot];
      if (e) gone.push(e);
      row[this.slot] = undefined;
    }
    if (gone.length === 0) return;
    if (gone.length <= 16) {
      for (const e of gone) this.entries.splice(this.indexOf(e), 1);
    } else {
      const set = new Set(gone);
      this.entries = this.entries.filter((e) => !set.has(e));
    }
  }

  /**
   * The rows whose status is in `mask` (any, for 0) and that pass `test` (if any), counted, and
   * those from `offset` to `offset + limit` kept. `passKey`: hand the test each entry's key (the
   * createdAt index).
   */
  scan(
    order: 'asc' | 'desc',
    offset: number,
    limit: number,
    mask: number,
    test: ((row: Row, key?: number) => boolean) | undefined,
    passKey: boolean,
  ): { total: number; rows: Row[] } {
    const es = this.entries;
    const n = es.length;
    const rows: Row[] = [];
    if (!test && !mask) {
      for (let i = offset; i < offset + limit && i < n; i++) rows.push(es[order === 'asc' ? i : n - 1 - i]!.row);
      return { total: n, rows };
    }
    const end = offset + limit;
    let total = 0;
    const asc = order === 'asc';
    for (let i = 0; i < n; i++) {
      const e = es[asc ? i : n - 1 - i]!;
      if (mask !== 0 && (e.b & mask) === 0) continue;
      if (test && !test(e.row, passKey ? e.k : undefined)) continue;
      if (total >= offset && total < end) rows.push(e.row);
      total++;
    }
    return { total, rows };
  }

  private insert(e: Entry): void {
    const es = this.entries;
    const last = es[es.length - 1];
    if (!last || atOrBefore(last, e.k, e.s)) {
      es.push(e);
      return;
    }
    // Before the first entry after (k, s).
    es.splice(firstWhereNot(es, (x) => atOrBefore(x, e.k, e.s)), 0, e);
  }

  private indexOf(e: Entry): number {
    const es = this.entries;
    for (let i = firstWhereNot(es, (x) => before(x, e.k, e.s)); i < es.length; i++) if (es[i] === e) return i;
    return es.indexOf(e); // never reached while keys are numbers (SORT_KEYS never gives NaN)
  }
}

/** Binary search: the first index whose entry fails `pred`, for a `pred` true on a prefix. */
function firstWhereNot<T>(xs: T[], pred: (x: T) => boolean): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(xs[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
