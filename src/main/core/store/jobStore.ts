import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import { isTerminal, Job } from '../../../shared/job';
import type { JobFilter } from '../../../shared/query';
import { Settings, type SettingsPatch } from '../../../shared/settings';
import { Template } from '../../../shared/template';
import { bySchema, checkHistory, errorText, freeName, quarantineRecord, readStoreFile, settle, type HistoryRecords, type Loaded, type Read, type StoreProblem } from './files';
import { JOURNAL_NAME, journalFile, journalHeader, readJournal, type JournalRead, type Op } from './journal';
import { haystack, OrderIndex, rowFilter, statusMask, updateRow, type Row, type SortKey } from './query';
import { firstIssue, parseRecord } from './records';
import { Meta, SCHEMA_VERSION, StateFile, type HistoryFile } from './schema';

export type { StoreProblem } from './files';

/** Writes whole files; lowdb's adapter (steno: temp file + rename) unless a test injects one. */
export interface FileWriter {
  write(file: string, data: unknown): Promise<void>;
  /** Appends to the change journal; fs.appendFile where not given. */
  append?(file: string, text: string): Promise<void>;
}

export interface StoreOptions {
  dataDir: string;
  /**
   * How long a change waits to be on disk. A burst of changes followed by this much quiet makes
   * one write of state.json; while changes keep coming, they are appended to the change journal
   * (journal.ts) this long after the first of them instead, and state.json is rewritten once
   * every maxWriteDelayMs.
   */
  writeDelayMs?: number;
  /** Two writes of state.json at least this far apart (the journal covers the time between). */
  minWriteGapMs?: number;
  /** The longest state.json lags behind the journal while changes keep coming. */
  maxWriteDelayMs?: number;
  /**
   * Finished jobs kept in the hot file. It may grow to twice this before the oldest move to
   * history, so that history is rewritten once per N finished jobs, not per job.
   */
  recentFinished?: number;
  /** Jobs per history file (history.json, history-1.json, …): what one history write costs at most. */
  historyFileJobs?: number;
  /**
   * While changes keep coming, history files are not rewritten (the jobs on their way there ride
   * in the hot file meanwhile) until they have waited this long.
   */
  historyMaxDelayMs?: number;
  onError?: (e: StoreProblem) => void;
  /** For tests: replaces the lowdb writer (e.g. to fail like a full disk). */
  writer?: FileWriter;
}

/** lowdb over steno, compact JSON: the files are for the app, and size is what costs. */
export function lowdbWriter(): FileWriter {
  const dbs = new Map<string, Low<unknown>>();
  return {
    async write(file, data) {
      let db = dbs.get(file);
      if (!db) {
        db = new Low<unknown>(new DataFile<unknown>(file, { parse: JSON.parse, stringify: (v) => JSON.stringify(v) }), null);
        dbs.set(file, db);
      }
      db.data = data;
      await db.write();
    },
    append: (file, text) => appendFile(file, text, 'utf8'),
  };
}

/** A job as the store keeps it: the indexes' row, and where the job is kept on disk. */
interface StoreRow extends Row {
  /** The history file of a cold job; undefined for a hot one. */
  seg: Segment | undefined;
  /** Not yet given its full check (a history record read at open). */
  raw: boolean;
}

function newRow(job: Job, seg: Segment | undefined, raw: boolean): StoreRow {
  return { job, status: job.status, hay: undefined, createdAt: undefined, finishedAt: undefined, priority: undefined, duration: undefined, seg, raw };
}

/** One history file and the finished jobs it holds. */
interface Segment {
  n: number;
  file: string;
  rows: Set<StoreRow>;
  /** Memory differs from the file. */
  dirty: boolean;
  /** When it became dirty (for historyMaxDelayMs). */
  dirtySince: number;
  /** Bumped on every change, so a write can tell whether it saved the latest. */
  gen: number;
  /**
   * Jobs left it for the hot set since it was written: it must be written after the hot file
   * that holds them, or a crash between the two would leave them in neither.
   */
  departed: boolean;
  /** Records that failed their check and could not be set aside: kept in the file, never read. */
  held: unknown[];
  /** Jobs removed since it was written: listed in state.json until it is (a crash keeps them removed). */
  removed: Set<string>;
}

const segmentFile = (dir: string, n: number) => join(dir, n === 0 ? 'history.json' : `history-${n}.json`);
const SEGMENT_NAME = /^history-([1-9][0-9]*)\.json$/;
/** Records given their full check per turn of the event loop by the background check. */
const CHECK_SLICE = 500;

/**
 * The one writer of Jobdeck's JSON store. Reads come from memory; writes are coalesced and
 * atomic. Log output never comes here. Every job is either hot (state.json: active jobs and the
 * recent finished ones) or cold, in one history file of at most `historyFileJobs` jobs.
 *
 * Cold records are not parsed with zod at open (that was most of the cost of opening 100k jobs):
 * they get a cheap structural check then, and the full parse when first read or by a background
 * check right after open; one that fails it then is moved to a file of its own and reported.
 */
export class JobStore {
  /** Whole-file writes done (for tests and benchmarks). */
  writes = 0;
  /** Appends to the change journal done. */
  appends = 0;
  /** What went wrong at open or since, kept so a client that connects later hears it too. */
  readonly problems: StoreProblem[] = [];

  /** Every job, hot or cold, as the indexes hold it. */
  private readonly rows = new Map<string, StoreRow>();
  private readonly hot = new Set<string>();
  private readonly segments: Segment[] = [];
  /**
   * Cold jobs whose latest version is not yet in their history file: they are written in the hot
   * file too until it is (on load, the hot copy of a job found in both wins).
   */
  private readonly unsavedCold = new Set<StoreRow>();
  /** Cold records not yet given their full check (`raw`), and where the background check is. */
  private unchecked = 0;
  private checkCursor: Iterator<StoreRow> | undefined;
  private readonly indexes = new Map<SortKey, OrderIndex>();
  /** Hot jobs that are finished, for the spill to history. */
  private hotFinished = 0;
  private readonly templates = new Map<string, Template>();
  private settingsValue: Settings;
  private metaValue: Meta;
  private stateDirty = false;
  /** When state.json last fell behind memory, last changed, and last began a write (ms). */
  private stateDirtySince = 0;
  private lastChange = 0;
  private lastStateWrite = 0;
  /** Changes neither in a journal nor in a state.json write yet, and when the first was made. */
  private ops: Op[] = [];
  private firstOp = 0;
  /** The journal appended to now; the journals on disk. */
  private journalN = 1;
  private readonly journals = new Set<number>();
  private appending: Promise<void> | undefined;
  private replaying = false;
  /** A write failed: try again on the next change, not in a loop. */
  private stalled = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Infinity;
  private writing: Promise<void> | undefined;
  private closed = false;
  private checkHandle: ReturnType<typeof setImmediate> | undefined;
  private checkedResolve: (() => void) | undefined;
  private readonly checkedPromise: Promise<void>;
  private readonly dataDir: string;
  private readonly stateFile: string;
  private readonly writeDelayMs: number;
  private readonly minWriteGapMs: number;
  private readonly maxWriteDelayMs: number;
  private readonly historyMaxDelayMs: number;
  private readonly recentFinished: number;
  private readonly segmentJobs: number;
  private readonly writer: FileWriter;
  private readonly onError: ((e: StoreProblem) => void) | undefined;

  private constructor(opts: StoreOptions, state: StateFile, history: { n: number; data: HistoryRecords; dirty: boolean }[]) {
    this.dataDir = opts.dataDir;
    this.stateFile = join(opts.dataDir, 'state.json');
    this.writeDelayMs = opts.writeDelayMs ?? 50;
    this.minWriteGapMs = opts.minWriteGapMs ?? 100;
    this.maxWriteDelayMs = Math.max(this.writeDelayMs, opts.maxWriteDelayMs ?? 1000);
    this.historyMaxDelayMs = opts.historyMaxDelayMs ?? 10_000;
    this.recentFinished = Math.max(1, opts.recentFinished ?? 500);
    this.segmentJobs = Math.max(1, opts.historyFileJobs ?? 5000);
    this.writer = opts.writer ?? lowdbWriter();
    this.onError = opts.onError;
    this.settingsValue = state.settings;
    this.metaValue = state.meta;
    for (const t of state.templates) this.templates.set(t.id, t);
    if (!history.some((h) => h.n === 0)) history.unshift({ n: 0, data: { jobs: [], parsed: new Set() }, dirty: false });
    for (const h of history) {
      const seg = this.addSegment(h.n);
      if (h.dirty) this.markSegment(seg);
      const { jobs, parsed } = h.data;
      for (let i = 0; i < jobs.length; i++) {
        const j = jobs[i]!;
        if (this.rows.has(j.id)) {
          // In two history files (a crash while one was split): the first copy is kept.
          this.markSegment(seg);
          continue;
        }
        const raw = !parsed.has(i);
        const row = newRow(j, seg, raw);
        this.rows.set(j.id, row);
        seg.rows.add(row);
        if (raw) this.unchecked++;
      }
    }
    for (const id of state.removedFromHistory ?? []) {
      // Removed before a crash, its history file not yet rewritten.
      const row = this.rows.get(id);
      if (!row?.seg) continue;
      const seg = row.seg;
      this.rows.delete(id);
      this.settle(row);
      this.dropCold(row);
      seg.removed.add(id);
    }
    for (const j of state.jobs) {
      // A job in both (a crash between two writes, or one on its way to history) is newest in the hot file.
      const cold = this.rows.get(j.id);
      if (cold) this.settle(cold);
      if (cold?.seg) this.leaveSegment(cold);
      this.rows.set(j.id, newRow(j, undefined, false));
      this.hot.add(j.id);
      if (isTerminal(j.status)) this.hotFinished++;
    }
    // Only finished jobs belong in history (records.ts parses any other at once).
    for (const row of this.rows.values()) {
      if (row.seg && !isTerminal(row.job.status)) {
        this.leaveSegment(row);
        this.hot.add(row.job.id);
        this.stateDirty = true; // written into state.json before its history file drops it
      }
    }
    const byCreated = new OrderIndex('createdAt');
    byCreated.build(this.rows.values());
    this.indexes.set('createdAt', byCreated);
    this.checkedPromise = new Promise((resolve) => (this.checkedResolve = resolve));
    this.scheduleCheck();
  }

  static async open(opts: StoreOptions): Promise<JobStore> {
    mkdirSync(opts.dataDir, { recursive: true });
    const dir = opts.dataDir;
    const stateFile = join(dir, 'state.json');
    const numbers = [0];
    const journalNumbers: number[] = [];
    for (const name of readdirSync(dir)) {
      const m = SEGMENT_NAME.exec(name);
      if (m) numbers.push(Number(m[1]));
      const k = JOURNAL_NAME.exec(name);
      if (k) journalNumbers.push(Number(k[1]));
    }
    numbers.sort((a, b) => a - b);
    journalNumbers.sort((a, b) => a - b);
    // Every file is read, and checked for a newer schema, before any is touched.
    const reads: [string, Read][] = [[stateFile, readStoreFile(stateFile)], ...numbers.map((n): [string, Read] => [segmentFile(dir, n), readStoreFile(segmentFile(dir, n))])];
    const journals = journalNumbers.map((n): [number, JournalRead] => [n, readJournal(journalFile(dir, n))]);
    const problems: StoreProblem[] = [];
    const s = settle(stateFile, reads[0]![1], bySchema(StateFile));
    if (s.kind === 'quarantined') problems.push(s.problem);
    const history: { n: number; data: HistoryRecords; dirty: boolean }[] = [];
    numbers.forEach((n, i) => {
      const [file, read] = reads[i + 1]!;
      reads[i + 1] = [file, { kind: 'missing' }]; // let the raw text's objects go as soon as they can
      const h: Loaded<HistoryRecords> = settle(file, read, checkHistory);
      if (h.kind === 'quarantined') problems.push(h.problem);
      if (h.kind === 'ok') history.push({ n, data: h.data, dirty: h.migratedFrom !== undefined });
      // A quarantined file is replaced at once so that it can never be read again by mistake.
      else if (h.kind === 'quarantined') history.push({ n, data: { jobs: [], parsed: new Set() }, dirty: true });
    });
    const store = new JobStore(opts, s.kind === 'ok' ? s.data : emptyState(), history);
    for (const p of problems) store.report(p);
    store.replay(journals);
    // A fresh store writes its files now: the instance id is kept from the first start on.
    // A quarantined or migrated file is written back in the current shape straight away, and
    // replayed changes are written into state.json (which removes their journals).
    if (s.kind !== 'ok' || s.migratedFrom !== undefined || journals.length) store.stateDirty = true;
    await store.flush();
    // A history file over the size limit (one from before the limit) is split soon, not now.
    let oversized = false;
    for (const seg of store.segments) {
      if (seg.rows.size > store.segmentJobs) {
        store.markSegment(seg);
        oversized = true;
      }
    }
    if (oversized) store.arm(Date.now() + store.writeDelayMs);
    return store;
  }

  // meta
  get instanceId(): string {
    return this.metaValue.instanceId;
  }
  cronLastRun(templateId: string): string | undefined {
    return this.metaValue.cronLastRun[templateId];
  }
  setCronLastRun(templateId: string, at: string): void {
    this.metaValue = { ...this.metaValue, cronLastRun: { ...this.metaValue.cronLastRun, [templateId]: at } };
    this.markState({ meta: this.metaValue });
  }
  nextSeq(): number {
    this.metaValue = { ...this.metaValue, seq: this.metaValue.seq + 1 };
    this.markState({ meta: this.metaValue });
    return this.metaValue.seq;
  }

  // templates
  listTemplates(): Template[] {
    return [...this.templates.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
  getTemplate(id: string): Template | undefined {
    return this.templates.get(id);
  }
  /** Checked here: one bad object written would otherwise cost the whole file at the next start. */
  putTemplate(t: Template): void {
    check(Template, t, `template ${t.id}`);
    this.templates.set(t.id, t);
    this.markState({ template: t });
  }
  deleteTemplate(id: string): boolean {
    const had = this.templates.delete(id);
    if (had) this.markState({ deleteTemplate: id });
    return had;
  }

  // jobs
  getJob(id: string): Job | undefined {
    const row = this.rows.get(id);
    return row?.raw ? this.checkRecord(row) : row?.job;
  }
  /** Insert or replace. The object is kept as given (the scheduler updates it in place and touches it). */
  putJob(job: Job): void {
    check(Job, job, `job ${job.id}`);
    let row = this.rows.get(job.id);
    const before = row?.job;
    if (row) {
      updateRow(row, job);
      this.settle(row);
    } else this.rows.set(job.id, (row = newRow(job, undefined, false)));
    for (const index of this.indexes.values()) index.put(row);
    const done = isTerminal(job.status);
    const seg = row.seg;
    if (seg) {
      if (done) {
        // Rides in the hot file until its history file is written.
        this.markSegment(seg);
        this.unsavedCold.add(row);
      } else {
        // A retry brings an old job back.
        this.leaveSegment(row);
        this.hot.add(job.id);
      }
    } else {
      this.hot.add(job.id);
      const wasDone = before !== undefined && isTerminal(before.status);
      if (done && !wasDone) this.hotFinished++;
      else if (!done && wasDone) this.hotFinished--;
      if (this.hotFinished > 2 * this.recentFinished) this.spill();
    }
    this.markState({ job });
  }
  removeJobs(ids: string[]): number {
    const removed: string[] = [];
    const rows: Row[] = [];
    for (const id of ids) {
      const row = this.rows.get(id);
      if (!row) continue;
      const j = row.job;
      this.rows.delete(id);
      this.settle(row);
      removed.push(id);
      rows.push(row);
      const seg = row.seg;
      if (seg) {
        this.dropCold(row);
        seg.removed.add(id);
      } else if (this.hot.delete(id) && isTerminal(j.status)) this.hotFinished--;
    }
    for (const index of this.indexes.values()) index.remove(rows);
    if (removed.length) this.markState({ remove: removed });
    return removed.length;
  }
  /** Pending and running jobs; they are always in the hot set, so this stays cheap at 100k jobs. */
  activeJobs(): Job[] {
    const out: Job[] = [];
    for (const id of this.hot) {
      const j = this.job(id);
      if (j.status === 'pending' || j.status === 'running') out.push(j);
    }
    return out;
  }
  /** Every job, each given its full check first if it has not had it. */
  *allJobs(): Generator<Job> {
    for (const row of this.rows.values()) {
      if (!row.raw) yield row.job;
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
  listJobs(filter: JobFilter): { total: number; items: Job[] } {
    const text = filter.text?.trim().toLowerCase() || undefined;
    const bounds = {
      from: filter.from ? Date.parse(filter.from) : undefined,
      to: filter.to ? Date.parse(filter.to) : undefined,
    };
    const test = rowFilter(filter, text, bounds);
    const { total, rows } = this.index(filter.sort).scan(filter.order, filter.offset, filter.limit, statusMask(filter.status), test, filter.sort === 'createdAt');
    const items: Job[] = [];
    for (const row of rows as StoreRow[]) {
      const c = row.raw ? this.checkRecord(row) : row.job;
      // A record that failed its check is gone now: count again without it.
      if (!c) return this.listJobs(filter);
      items.push(c);
    }
    return { total, items };
  }
  /** Resolves once the background work after open is done (or the store was closed). */
  whenChecked(): Promise<void> {
    return this.checkedPromise;
  }

  // settings
  settings(): Settings {
    return this.settingsValue;
  }
  updateSettings(patch: SettingsPatch): Settings {
    this.settingsValue = Settings.parse({ ...this.settingsValue, ...patch });
    this.markState({ settings: this.settingsValue });
    return this.settingsValue;
  }

  /** Write now whatever is dirty, history too; resolves when it is on disk or the failure was reported. */
  async flush(): Promise<void> {
    await this.flushNow(true);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.checkHandle) clearImmediate(this.checkHandle);
    this.checkHandle = undefined;
    this.checkedResolve?.();
    await this.flush();
  }

  /** A job known to be there. */
  private job(id: string): Job {
    return this.rows.get(id)!.job;
  }

  private report(p: StoreProblem): void {
    this.problems.push(p);
    this.onError?.(p);
  }

  private index(sort: SortKey): OrderIndex {
    let index = this.indexes.get(sort);
    if (!index) {
      // Built on first use, kept up to date after.
      index = new OrderIndex(sort);
      // In createdAt order: near the order of finishedAt, so that sort has little to do.
      index.build(this.indexes.get('createdAt')!.rows());
      this.indexes.set(sort, index);
    }
    return index;
  }

  /** The full check of a cold record: its parsed form replaces it, or it is set aside. */
  private checkRecord(row: StoreRow): Job | undefined {
    const raw = row.job;
    this.settle(row);
    const r = parseRecord(raw);
    if (r.ok) {
      updateRow(row, r.job);
      // Made here so that the first text search after open finds it made.
      row.hay = haystack(r.job);
      for (const index of this.indexes.values()) index.put(row);
      return r.job;
    }
    this.setRecordAside(row, r.issue);
    return undefined;
  }

  /** No longer waiting for its full check (checked, replaced or removed). */
  private settle(row: StoreRow): void {
    if (!row.raw) return;
    row.raw = false;
    this.unchecked--;
  }

  private setRecordAside(row: StoreRow, issue: string): void {
    const raw = row.job;
    const id = raw.id;
    const seg = row.seg!;
    this.rows.delete(id);
    row.seg = undefined;
    seg.rows.delete(row);
    this.unsavedCold.delete(row);
    for (const index of this.indexes.values()) index.remove([row]);
    const name = basename(seg.file);
    const why = `job ${id} in ${name} does not match the store schema (${issue})`;
    try {
      const moved = quarantineRecord(seg.file, raw);
      // Written again without it.
      this.markSegment(seg);
      this.markState();
      this.report({ message: `${why}. It was moved to ${moved} and Jobdeck goes on without it.`, file: moved });
    } catch (error) {
      // Could not set it aside: it stays in its file, unread.
      seg.held.push(raw);
      this.report({ message: `${why}, and it could not be moved aside (${errorText(error)}): it stays in ${name} and Jobdeck goes on without it.`, file: seg.file });
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

  /**
   * The journals a crash left, in order, over what the files hold. A damaged one is set aside
   * after the changes before the damage are applied; the journals after it are still replayed.
   */
  private replay(journals: [number, JournalRead][]): void {
    this.replaying = true;
    try {
      for (const [n, read] of journals) {
        const file = journalFile(this.dataDir, n);
        let damaged = read.damaged;
        let applied = 0;
        for (const op of read.ops) {
          try {
            this.apply(op);
            applied++;
          } catch (error) {
            damaged = `change ${applied + 1} could not be applied (${errorText(error)})`;
            break;
          }
        }
        this.journals.add(n);
        this.journalN = Math.max(this.journalN, n + 1);
        if (damaged !== undefined) {
          const moved = freeName(file);
          try {
            renameSync(file, moved);
          } catch (error) {
            throw new Error(`${file} is damaged (${damaged}) and could not be moved aside: ${errorText(error)}`, { cause: error });
          }
          this.journals.delete(n);
          this.report({
            message: `${basename(file)} could not be read to the end: ${damaged}. The ${applied} changes before that were kept; it was moved to ${moved}.`,
            file: moved,
          });
        }
      }
    } finally {
      this.replaying = false;
      this.ops = [];
      this.firstOp = 0;
    }
  }

  private apply(op: unknown): void {
    if (typeof op !== 'object' || op === null) throw new Error('not a change');
    const o = op as Record<string, unknown>;
    if ('job' in o) this.putJob(o.job as Job);
    else if ('remove' in o && Array.isArray(o.remove) && o.remove.every((id) => typeof id === 'string')) this.removeJobs(o.remove as string[]);
    else if ('template' in o) this.putTemplate(o.template as Template);
    else if ('deleteTemplate' in o && typeof o.deleteTemplate === 'string') this.deleteTemplate(o.deleteTemplate);
    else if ('meta' in o) this.metaValue = Meta.parse(o.meta);
    else if ('settings' in o) this.settingsValue = Settings.parse(o.settings);
    else throw new Error('not a change');
  }

  private addSegment(n: number): Segment {
    const seg: Segment = { n, file: segmentFile(this.dataDir, n), rows: new Set(), dirty: false, dirtySince: 0, gen: 0, departed: false, held: [], removed: new Set() };
    this.segments.push(seg);
    this.segments.sort((a, b) => a.n - b.n);
    return seg;
  }

  private markSegment(seg: Segment): void {
    seg.gen++;
    if (!seg.dirty) {
      seg.dirty = true;
      seg.dirtySince = Date.now();
    }
  }

  /** A cold job leaves memory: its history file is written again without it. */
  private dropCold(row: StoreRow): void {
    const seg = row.seg!;
    row.seg = undefined;
    seg.rows.delete(row);
    this.unsavedCold.delete(row);
    this.markSegment(seg);
  }

  /** A cold job becomes hot (the caller adds it): its history file must follow the hot file. */
  private leaveSegment(row: StoreRow): void {
    const seg = row.seg!;
    row.seg = undefined;
    seg.rows.delete(row);
    seg.departed = true;
    this.unsavedCold.delete(row);
    this.markSegment(seg);
  }

  /** A change to memory; `op`, if given, is what the journal records of it. */
  private markState(op?: Op): void {
    const now = Date.now();
    if (!this.stateDirty) {
      this.stateDirty = true;
      this.stateDirtySince = now;
    }
    this.lastChange = now;
    this.stalled = false;
    if (this.replaying) return;
    if (op) {
      if (this.ops.length === 0) this.firstOp = now;
      this.ops.push(op);
    }
    if (!this.closed) this.arm(now + this.writeDelayMs);
  }

  /** The timer, set for `at` unless it is set for sooner already. */
  private arm(at: number): void {
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.tick();
    }, Math.max(0, at - Date.now()));
  }

  /**
   * What is due: state.json once changes have been quiet for writeDelayMs (and the last write
   * of it is minWriteGapMs old), or once it has lagged maxWriteDelayMs; otherwise the journal,
   * writeDelayMs after the first change it lacks.
   */
  private tick(): void {
    if (this.closed) return;
    const now = Date.now();
    const quietAt = Math.max(this.lastChange + this.writeDelayMs, this.lastStateWrite + this.minWriteGapMs);
    const historyDirty = this.segments.some((s) => s.dirty);
    if (this.stateDirty || historyDirty) {
      const overdue = this.stateDirty && now >= this.stateDirtySince + this.maxWriteDelayMs;
      if (now >= quietAt || overdue) {
        void this.flushNow(now >= quietAt).then(() => this.rearm());
        return;
      }
    }
    if (this.ops.length && now >= this.firstOp + this.writeDelayMs) void this.appendOps().then(() => this.rearm());
    else this.rearm();
  }

  private rearm(): void {
    if (this.closed || this.stalled) return;
    let at = Infinity;
    if (this.ops.length) at = Math.min(at, this.firstOp + this.writeDelayMs);
    if (this.stateDirty || this.segments.some((s) => s.dirty)) {
      at = Math.min(at, Math.max(this.lastChange + this.writeDelayMs, this.lastStateWrite + this.minWriteGapMs));
    }
    if (this.stateDirty) at = Math.min(at, this.stateDirtySince + this.maxWriteDelayMs);
    if (at < Infinity) this.arm(at);
  }

  /** The changes made since the last append or state write, as lines at the end of the journal. */
  private async appendOps(): Promise<void> {
    while (this.appending) await this.appending;
    if (this.ops.length === 0) return;
    const ops = this.ops;
    this.ops = [];
    this.firstOp = 0;
    const n = this.journalN;
    const file = journalFile(this.dataDir, n);
    let text = this.journals.has(n) ? '' : journalHeader();
    for (const op of ops) text += `${JSON.stringify(op)}\n`;
    this.journals.add(n);
    this.appending = (async () => {
      try {
        await this.appendText(file, text);
        this.appends++;
      } catch (error) {
        // Whatever part was written ends that journal. The changes stay in memory, and state.json
        // is written at once instead (replaying the part of them that did reach the journal again,
        // before the next journal, changes nothing).
        this.journalN++;
        this.ops = [...ops, ...this.ops];
        this.firstOp = Date.now();
        this.stateDirtySince = 0;
        this.writeFailed(file, error, false);
      }
    })().finally(() => (this.appending = undefined));
    await this.appending;
  }

  private appendText(file: string, text: string): Promise<void> {
    return this.writer.append ? this.writer.append(file, text) : appendFile(file, text, 'utf8');
  }

  private async flushNow(all: boolean): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    while (this.writing) await this.writing;
    if (!this.stateDirty && !this.segments.some((s) => s.dirty)) return;
    this.writing = this.write(all).finally(() => (this.writing = undefined));
    await this.writing;
  }

  /** The oldest finished hot jobs (by finishedAt) go to history until `recentFinished` remain. */
  private spill(): void {
    const finished: Job[] = [];
    for (const id of this.hot) {
      const j = this.job(id);
      if (isTerminal(j.status)) finished.push(j);
    }
    finished.sort((a, b) => (a.finishedAt ?? '').localeCompare(b.finishedAt ?? '') || a.seq - b.seq);
    let tail = this.segments[this.segments.length - 1]!;
    for (const j of finished.slice(0, finished.length - this.recentFinished)) {
      if (tail.rows.size >= this.segmentJobs) tail = this.addSegment(tail.n + 1);
      const row = this.rows.get(j.id)!;
      this.hot.delete(j.id);
      this.hotFinished--;
      tail.rows.add(row);
      row.seg = tail;
      // Rides in the hot file until its history file is written.
      this.unsavedCold.add(row);
      this.markSegment(tail);
    }
  }

  /** A history file past the size limit gives its later jobs to new files (written before it). */
  private split(seg: Segment): Segment[] {
    const out: Segment[] = [];
    if (seg.rows.size <= this.segmentJobs) return out;
    const rows = [...seg.rows];
    seg.rows = new Set(rows.slice(0, this.segmentJobs));
    for (let i = this.segmentJobs; i < rows.length; i += this.segmentJobs) {
      const next = this.addSegment(this.segments[this.segments.length - 1]!.n + 1);
      for (const row of rows.slice(i, i + this.segmentJobs)) {
        next.rows.add(row);
        row.seg = next;
      }
      this.markSegment(next);
      out.push(next);
    }
    return out;
  }

  /**
   * History files first, then the hot file, then the history files that jobs left for the hot set:
   * at every moment each job is in at least one file. `all` false (changes still coming): history
   * waits, unless the jobs riding in the hot file meanwhile grow many or it has waited long.
   */
  private async write(all: boolean): Promise<void> {
    const now = Date.now();
    const due = this.segments.filter(
      (s) => s.dirty && (all || this.unsavedCold.size > 4 * this.recentFinished || now - s.dirtySince >= this.historyMaxDelayMs),
    );
    const first: Segment[] = [];
    const after: Segment[] = [];
    for (const seg of due) {
      const parts = this.split(seg);
      first.push(...parts);
      (seg.departed ? after : first).push(seg);
    }
    for (const seg of first) {
      // What rode in state.json for it (or was listed there as removed) need not any more.
      if ((await this.writeSegment(seg)) > 0 && !this.stateDirty) {
        this.stateDirty = true;
        this.stateDirtySince = Date.now();
      }
    }
    const wrote = this.stateDirty ? await this.writeState() : true;
    if (!wrote) return; // the jobs that left these are not on disk in the hot file yet
    for (const seg of after) {
      // Jobs that rode in the hot file for it need not any more: the next hot write drops them.
      if ((await this.writeSegment(seg)) > 0) this.markState();
    }
  }

  /** state.json as memory is now; the journals it covers go once it is on disk. */
  private async writeState(): Promise<boolean> {
    while (this.appending) await this.appending;
    // From here to the write call, nothing awaits: the snapshot and the switch of journal agree.
    const covered = this.journalN++;
    const taken = this.ops;
    this.ops = [];
    this.firstOp = 0;
    this.stateDirty = false;
    this.lastStateWrite = Date.now();
    const jobs: Job[] = [];
    for (const id of this.hot) jobs.push(this.job(id));
    for (const row of this.unsavedCold) jobs.push(row.job);
    const removedFromHistory = this.segments.flatMap((seg) => [...seg.removed]);
    const state: StateFile = {
      schemaVersion: SCHEMA_VERSION,
      meta: this.metaValue,
      settings: this.settingsValue,
      templates: [...this.templates.values()],
      jobs,
      ...(removedFromHistory.length ? { removedFromHistory } : {}),
    };
    try {
      await this.writer.write(this.stateFile, state);
      this.writes++;
    } catch (error) {
      // Memory keeps the truth and the last good file stays as it was; try again on the next change.
      this.stateDirty = true;
      this.stateDirtySince = Date.now();
      this.writeFailed(this.stateFile, error);
      // The changes this write would have saved go to the journal it covered (replayed before
      // the later ones), so that they are on disk all the same.
      if (taken.length) {
        const file = journalFile(this.dataDir, covered);
        let text = this.journals.has(covered) ? '' : journalHeader();
        for (const op of taken) text += `${JSON.stringify(op)}\n`;
        try {
          await this.appendText(file, text);
          this.journals.add(covered);
          this.appends++;
        } catch (e) {
          this.writeFailed(file, e);
        }
      }
      return false;
    }
    for (const n of [...this.journals]) {
      if (n > covered) continue;
      try {
        rmSync(journalFile(this.dataDir, n), { force: true });
        this.journals.delete(n);
      } catch (error) {
        this.writeFailed(journalFile(this.dataDir, n), error);
      }
    }
    return true;
  }

  /** Resolves to the number of jobs that no longer need to ride in the hot file. */
  private async writeSegment(seg: Segment): Promise<number> {
    const gen = seg.gen;
    const departed = seg.departed;
    const rows = [...seg.rows];
    const removed = [...seg.removed];
    seg.dirty = false;
    seg.departed = false;
    try {
      if (rows.length === 0 && seg.held.length === 0 && seg.n > 0) {
        rmSync(seg.file, { force: true });
        this.segments.splice(this.segments.indexOf(seg), 1);
      } else {
        const history: HistoryFile = { schemaVersion: SCHEMA_VERSION, jobs: [...rows.map((r) => r.job), ...(seg.held as Job[])] };
        await this.writer.write(seg.file, history);
        this.writes++;
      }
      let saved = 0;
      // Its file no longer holds them: state.json need not list them.
      for (const id of removed) seg.removed.delete(id);
      if (removed.length) saved++;
      if (seg.gen === gen) {
        // Saved as it is in memory: what rode in the hot file for it need not any more.
        for (const row of rows) if (this.unsavedCold.delete(row)) saved++;
      }
      return saved;
    } catch (error) {
      if (!seg.dirty) {
        seg.dirty = true;
        seg.dirtySince = Date.now();
      }
      seg.departed ||= departed;
      this.writeFailed(seg.file, error);
      return 0;
    }
  }

  private writeFailed(file: string, error: unknown, stall = true): void {
    if (stall) this.stalled = true;
    this.onError?.({
      message: `could not save the store (${file}): ${errorText(error)}. Changes are kept in memory and saved when writing works again.`,
      file,
    });
  }
}

function emptyState(): StateFile {
  return {
    schemaVersion: SCHEMA_VERSION,
    meta: { instanceId: randomUUID(), seq: 0, cronLastRun: {} },
    settings: Settings.parse({}),
    templates: [],
    jobs: [],
  };
}

function check(schema: typeof Job | typeof Template, value: unknown, what: string): void {
  const r = schema.safeParse(value);
  if (!r.success) throw new Error(`store: refusing an invalid ${what} (${firstIssue(r.error)})`);
}
