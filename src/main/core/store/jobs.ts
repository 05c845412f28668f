import { basename } from 'node:path';
import { isTerminal, type Job } from '../../../shared/job';
import type { JobFilter } from '../../../shared/query';
import { errorText, quarantineRecord, type StoreProblem } from './files';
import { markSegment, newRow, type History, type Segment, type StoreRow } from './history';
import { recordAt } from './lines';
import type { HistoryLoad } from './load';
import { haystack, OrderIndex, rowFilter, statusMask, updateRow, type Row, type SortKey } from './query';
import { parseRecord } from './records';

/** Records given their full check per turn of the event loop by the background check. */
const CHECK_SLICE = 500;

/** What the table tells the store of. */
export interface JobTableHooks {
  /** Memory changed beyond what the caller journals (a record set aside). */
  changed(): void;
  report(p: StoreProblem): void;
}

/**
 * Every job in memory, hot or cold, with the sort orders that pages are read from (query.ts).
 * Cold records are not parsed with zod at open (that was most of the cost of opening 100k jobs):
 * they get a cheap structural check then, and the full parse when first read or by a background
 * check right after open; one that fails it then is moved to a file of its own and reported.
 */
export class JobTable {
  private readonly rows = new Map<string, StoreRow>();
  private readonly hot = new Set<string>();
  /** Hot jobs that are finished, for the spill to history. */
  private hotFinished = 0;
  private readonly indexes = new Map<SortKey, OrderIndex>();
  /** Cold records not yet given their full check (`raw`), and where the background check is. */
  private unchecked = 0;
  private checkCursor: Iterator<StoreRow> | undefined;
  private checkHandle: ReturnType<typeof setImmediate> | undefined;
  private checkedResolve: (() => void) | undefined;
  /** Resolves once the background work after open is done (or the store was closed). */
  readonly checked: Promise<void>;
  private closed = false;

  constructor(
    private readonly history: History,
    /** Finished jobs kept hot; up to twice this before the oldest spill to history. */
    private readonly recentFinished: number,
    private readonly hooks: JobTableHooks,
  ) {
    this.checked = new Promise((resolve) => (this.checkedResolve = resolve));
  }

  /**
   * The files as read at open, then the background check begins. Returns true if state.json must
   * be written before a history file drops a job (an unfinished one found in history).
   */
  load(history: HistoryLoad[], hotJobs: Job[], removedFromHistory: string[]): boolean {
    let stateDirty = false;
    const unfinished: StoreRow[] = [];
    if (!history.some((h) => h.n === 0)) history.unshift({ n: 0, data: { jobs: [], parsed: new Set() }, dirty: false, indexed: false });
    for (const h of history) {
      const seg = this.history.add(h.n);
      seg.indexed = h.indexed;
      if (h.dirty) markSegment(seg);
      const { jobs, parsed, rows } = h.data;
      // A file in the older form (not one record a line) keeps its records as parsed.
      if (!rows) {
        if (jobs.length) seg.compact = true;
        for (let i = 0; i < jobs.length; i++) this.addCold(seg, newRow(jobs[i]!, jobs[i], seg, !parsed.has(i)), unfinished);
      } else for (const row of rows) this.addCold(seg, row, unfinished);
    }
    for (const id of removedFromHistory) {
      // Removed before a crash, its history file not yet rewritten.
      const row = this.rows.get(id);
      if (!row?.seg) continue;
      this.rows.delete(id);
      this.settle(row);
      this.history.drop(row).removed.add(id);
    }
    for (const j of hotJobs) {
      // A job in both (a crash between two writes, or one on its way to history) is newest in the hot file.
      const cold = this.rows.get(j.id);
      if (cold) this.settle(cold);
      if (cold?.seg) this.history.leave(cold);
      this.rows.set(j.id, newRow(j, j, undefined, false));
      this.hot.add(j.id);
      if (isTerminal(j.status)) this.hotFinished++;
    }
    // Only finished jobs belong in history (records.ts parses any other at once, so only a parsed
    // one can be unfinished).
    for (const row of unfinished) {
      if (row.seg && this.rows.get(row.id) === row) {
        // Parsed at open (records.ts), so it has its job.
        this.history.leave(row);
        this.hot.add(row.id);
        stateDirty = true; // written into state.json before its history file drops it
      }
    }
    const byCreated = new OrderIndex('createdAt');
    byCreated.build(this.rows.values());
    this.indexes.set('createdAt', byCreated);
    this.scheduleCheck();
    return stateDirty;
  }

  /** A history record read at open. */
  private addCold(seg: Segment, row: StoreRow, unfinished: StoreRow[]): void {
    if (this.rows.has(row.id)) {
      // In two history files (a crash while one was split): the first copy is kept.
      markSegment(seg);
      return;
    }
    row.seg = seg;
    this.rows.set(row.id, row);
    seg.rows.add(row);
    if (row.raw) this.unchecked++;
    else if (!isTerminal(row.status)) unfinished.push(row);
  }

  /** The distinct template names of all jobs, hot and cold (one pass over memory; no parse). */
  templateNames(): string[] {
    const names = new Set<string>();
    for (const row of this.rows.values()) names.add(row.templateName);
    return [...names].sort((a, b) => a.localeCompare(b));
  }

  get(id: string): Job | undefined {
    const row = this.rows.get(id);
    return row?.raw ? this.checkRecord(row) : row?.job;
  }

  /** Insert or replace (the caller has checked it). */
  put(job: Job): void {
    let row = this.rows.get(job.id);
    const before = row?.status;
    if (row) {
      updateRow(row, job);
      this.settle(row);
    } else this.rows.set(job.id, (row = newRow(job, job, undefined, false)));
    for (const index of this.indexes.values()) index.put(row);
    const done = isTerminal(job.status);
    const seg = row.seg;
    if (seg) {
      if (done) {
        // Rides in the hot file until its history file is written.
        markSegment(seg);
        this.history.unsavedCold.add(row);
      } else {
        // A retry brings an old job back.
        this.history.leave(row);
        this.hot.add(job.id);
      }
    } else {
      this.hot.add(job.id);
      const wasDone = before !== undefined && isTerminal(before);
      if (done && !wasDone) this.hotFinished++;
      else if (!done && wasDone) this.hotFinished--;
      if (this.hotFinished > 2 * this.recentFinished) this.spill();
    }
  }

  /** Returns the ids that were there. */
  remove(ids: string[]): string[] {
    const removed: string[] = [];
    const rows: Row[] = [];
    for (const id of ids) {
      const row = this.rows.get(id);
      if (!row) continue;
      const status = row.status;
      this.rows.delete(id);
      this.settle(row);
      removed.push(id);
      rows.push(row);
      if (row.seg) this.history.drop(row).removed.add(id);
      else {
        // A hot job that left a history file not written since: that file lists it as removed.
        this.history.forget(row);
        if (this.hot.delete(id) && isTerminal(status)) this.hotFinished--;
      }
    }
    for (const index of this.indexes.values()) index.remove(rows);
    return removed;
  }

  /** Pending and running jobs; they are always in the hot set, so this stays cheap at 100k jobs. */
  active(): Job[] {
    const out: Job[] = [];
    for (const id of this.hot) {
      const j = this.job(id);
      if (j.status === 'pending' || j.status === 'running') out.push(j);
    }
    return out;
  }

  /** Every job, each given its full check first if it has not had it. */
  *all(): Generator<Job> {
    for (const row of this.rows.values()) {
      if (!row.raw) yield row.job!;
      else {
        const c = this.checkRecord(row);
        if (c) yield c;
      }
    }
  }

  /**
   * A page of jobs: one pass over the order of the filter's sort (kept up to date on every change,
   * so neither a sort nor a deep offset costs), counting matches and keeping the page.
   */
  list(filter: JobFilter): { total: number; items: Job[] } {
    const text = filter.text?.trim().toLowerCase() || undefined;
    const bounds = {
      from: filter.from ? Date.parse(filter.from) : undefined,
      to: filter.to ? Date.parse(filter.to) : undefined,
    };
    const test = rowFilter(filter, text, bounds, (row) => row.job ?? recordAt((row as StoreRow).src!, (row as StoreRow).line, row.id));
    const { total, rows } =
      filter.sort === 'templateName'
        ? this.byName(filter, test)
        : this.index(filter.sort).scan(filter.order, filter.offset, filter.limit, statusMask(filter.status), test, filter.sort === 'createdAt');
    const items: Job[] = [];
    for (const row of rows as StoreRow[]) {
      const c = row.raw ? this.checkRecord(row) : row.job!;
      // A record that failed its check is gone now: count again without it.
      if (!c) return this.list(filter);
      items.push(c);
    }
    return { total, items };
  }

  /** A page sorted by template name: the matches sorted per query (names are no numeric key), ties by seq. */
  private byName(filter: JobFilter, test: ReturnType<typeof rowFilter>): { total: number; rows: Row[] } {
    const all = this.index('createdAt').scan('asc', 0, Number.MAX_SAFE_INTEGER, statusMask(filter.status), test, true).rows;
    const dir = filter.order === 'asc' ? 1 : -1;
    all.sort((a, b) => dir * (a.templateName.localeCompare(b.templateName) || a.seq - b.seq));
    return { total: all.length, rows: all.slice(filter.offset, filter.offset + filter.limit) };
  }

  /** The jobs state.json holds: the hot ones, and the cold ones not yet in their history file. */
  hotFileJobs(): Job[] {
    const jobs: Job[] = [];
    for (const id of this.hot) jobs.push(this.job(id));
    for (const row of this.history.unsavedCold) jobs.push(row.job!);
    return jobs;
  }

  /** Stops the background check. */
  close(): void {
    this.closed = true;
    if (this.checkHandle) clearImmediate(this.checkHandle);
    this.checkHandle = undefined;
    this.checkedResolve?.();
  }

  /** A hot job (every hot row has its job). */
  private job(id: string): Job {
    return this.rows.get(id)!.job!;
  }

  /** The oldest finished hot jobs go to history until `recentFinished` remain. */
  private spill(): void {
    const finished: StoreRow[] = [];
    for (const id of this.hot) {
      const row = this.rows.get(id)!;
      if (isTerminal(row.status)) finished.push(row);
    }
    for (const row of this.history.spill(finished, this.recentFinished)) {
      this.hot.delete(row.id);
      this.hotFinished--;
    }
  }

  private index(sort: SortKey): OrderIndex {
    let index = this.indexes.get(sort);
    if (!index) {
      // Built on first use, kept up to date after; its keys read jobs, so every record is read first.
      if (this.unchecked > 0) for (const row of [...this.rows.values()]) if (row.raw) this.checkRecord(row);
      index = new OrderIndex(sort);
      // In createdAt order: near the order of finishedAt, so that sort has little to do.
      index.build(this.indexes.get('createdAt')!.rows());
      this.indexes.set(sort, index);
    }
    return index;
  }

  /** The full check of a cold record: its parsed form replaces it, or it is set aside. */
  private checkRecord(row: StoreRow): Job | undefined {
    const raw = row.job ?? recordAt(row.src!, row.line, row.id);
    this.settle(row);
    const r = parseRecord(raw);
    if (r.ok) {
      updateRow(row, r.job);
      // Made here so that the first text search after open finds it made.
      row.hay = haystack(r.job);
      for (const index of this.indexes.values()) index.put(row);
      return r.job;
    }
    this.setRecordAside(row, r.issue, raw);
    return undefined;
  }

  /** No longer waiting for its full check (checked, replaced or removed). */
  private settle(row: StoreRow): void {
    if (!row.raw) return;
    row.raw = false;
    row.src = undefined; // its file's text goes once no row needs it
    this.unchecked--;
  }

  private setRecordAside(row: StoreRow, issue: string, raw: Job): void {
    const id = row.id;
    this.rows.delete(id);
    const seg = this.history.detach(row);
    for (const index of this.indexes.values()) index.remove([row]);
    const name = basename(seg.file);
    const why = `job ${id} in ${name} does not match the store schema (${issue})`;
    try {
      const moved = quarantineRecord(seg.file, raw);
      // Written again without it.
      markSegment(seg);
      this.hooks.changed();
      this.hooks.report({ message: `${why}. It was moved to ${moved} and Jobdeck goes on without it.`, file: moved });
    } catch (error) {
      // Could not set it aside: it stays in its file, unread.
      seg.held.push(raw);
      this.hooks.report({ message: `${why}, and it could not be moved aside (${errorText(error)}): it stays in ${name} and Jobdeck goes on without it.`, file: seg.file });
    }
  }

  /**
   * The background work after open, a slice per turn of the event loop so that it is never held
   * long: the full check of every history record (which also makes its search text), then the
   * orders of the other sorts, so that the first page sorted by one does not wait for it.
   */
  private scheduleCheck(): void {
    if (this.closed) {
      this.checkHandle = undefined;
      this.checkedResolve?.();
      return;
    }
    const sort = (['finishedAt', 'priority', 'duration'] as const).find((k) => !this.indexes.has(k));
    if (this.unchecked === 0 && !sort) {
      this.checkHandle = undefined;
      this.checkedResolve?.();
      return;
    }
    this.checkHandle = setImmediate(() => {
      if (this.unchecked === 0) {
        this.index(sort!);
      } else {
        // One pass over the rows (a map's iterator goes on past changes made meanwhile).
        this.checkCursor ??= this.rows.values();
        for (let n = 0; n < CHECK_SLICE; ) {
          const next = this.checkCursor.next();
          if (next.done) {
            this.checkCursor = undefined;
            break;
          }
          if (!next.value.raw) continue;
          this.checkRecord(next.value);
          n++;
        }
      }
      this.scheduleCheck();
    });
  }
}
