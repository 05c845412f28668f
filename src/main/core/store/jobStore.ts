import { mkdirSync } from 'node:fs';
import { Job } from '../../../shared/job';
import type { JobFilter } from '../../../shared/query';
import { applyPatch } from '../../../shared/patch';
import { Settings, type SettingsPatch } from '../../../shared/settings';
import { Template } from '../../../shared/template';
import type { StoreProblem } from './files';
import { deepFreeze } from './frozen';
import { History } from './history';
import { JobTable } from './jobs';
import { emptyState, readStoreDir, type HistoryLoad } from './load';
import { firstIssue } from './records';
import { Meta, SCHEMA_VERSION, type StateFile } from './schema';
import { lowdbWriter, WriteCoalescer, type FileWriter } from './writes';

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

/**
 * The one writer of Jobdeck's JSON store. Reads come from memory (jobs.ts); writes are coalesced
 * and atomic (writes.ts). Log output never comes here. Every job is either hot (state.json: active
 * jobs and the recent finished ones) or cold, in one history file of at most `historyFileJobs`
 * jobs (history.ts).
 */
export class JobStore {
  /** What went wrong at open or since, kept so a client that connects later hears it too. */
  readonly problems: StoreProblem[] = [];

  private readonly history: History;
  private readonly jobs: JobTable;
  private readonly scheduler: WriteCoalescer;
  private readonly templates = new Map<string, Template>();
  private settingsValue: Settings;
  private metaValue: Meta;
  private readonly onError: ((e: StoreProblem) => void) | undefined;
  /** The summary indexes made after open for history files without one (history.ts). */
  private indexing: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(opts: StoreOptions, state: StateFile, history: HistoryLoad[]) {
    const writeDelayMs = opts.writeDelayMs ?? 50;
    const recentFinished = Math.max(1, opts.recentFinished ?? 500);
    this.onError = opts.onError;
    this.settingsValue = state.settings;
    this.metaValue = state.meta;
    for (const t of state.templates) this.templates.set(t.id, t);
    this.history = new History(opts.dataDir, Math.max(1, opts.historyFileJobs ?? 5000));
    const timing = {
      writeDelayMs,
      minWriteGapMs: opts.minWriteGapMs ?? 100,
      maxWriteDelayMs: Math.max(writeDelayMs, opts.maxWriteDelayMs ?? 1000),
      historyMaxDelayMs: opts.historyMaxDelayMs ?? 10_000,
      recentFinished,
    };
    this.scheduler = new WriteCoalescer(opts.dataDir, timing, opts.writer ?? lowdbWriter(), opts.onError, this.history, () => this.snapshot());
    this.jobs = new JobTable(this.history, recentFinished, { changed: () => this.scheduler.changed(), report: (p) => this.report(p) });
    if (this.jobs.load(history, state.jobs, state.removedFromHistory ?? [])) this.scheduler.stateDirty = true;
  }

  static async open(opts: StoreOptions): Promise<JobStore> {
    mkdirSync(opts.dataDir, { recursive: true });
    const { state: s, history, journals, problems } = readStoreDir(opts.dataDir);
    const store = new JobStore(opts, s.kind === 'ok' ? s.data : emptyState(), history);
    for (const p of problems) store.report(p);
    store.scheduler.replay(journals, (op) => store.apply(op), (p) => store.report(p));
    // A fresh store writes its files now: the instance id is kept from the first start on.
    // A quarantined or migrated file is written back in the current shape straight away, and
    // replayed changes are written into state.json (which removes their journals).
    if (s.kind !== 'ok' || s.migratedFrom !== undefined || journals.length) store.scheduler.stateDirty = true;
    await store.flush();
    // A history file over the size limit (one from before the limit) is split soon, not now.
    if (store.history.markOversized()) store.scheduler.soon();
    // Once the background check is done, so as not to slow the first pages.
    store.indexing = store.jobs.checked.then(() => store.history.indexUnindexed(() => store.closed)).catch(() => undefined);
    return store;
  }

  /** Whole-file writes done (for tests and benchmarks). */
  get writes(): number {
    return this.scheduler.writes;
  }
  /** Appends to the change journal done. */
  get appends(): number {
    return this.scheduler.appends;
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
    this.scheduler.changed({ meta: this.metaValue });
  }
  nextSeq(): number {
    this.metaValue = { ...this.metaValue, seq: this.metaValue.seq + 1 };
    this.scheduler.changed({ meta: this.metaValue });
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
    this.scheduler.changed({ template: t });
  }
  deleteTemplate(id: string): boolean {
    const had = this.templates.delete(id);
    if (had) this.scheduler.changed({ deleteTemplate: id });
    return had;
  }

  // jobs
  getJob(id: string): Job | undefined {
    return deepFreeze(this.jobs.get(id));
  }
  /**
   * Insert or replace; the object is kept frozen (frozen.ts). Only the repository (repository.ts)
   * calls this, so that every change is also announced; journal replay at open is the exception.
   */
  putJob(job: Job): Job {
    check(Job, job, `job ${job.id}`);
    deepFreeze(job);
    this.jobs.put(job);
    this.scheduler.changed({ job });
    return job;
  }
  removeJobs(ids: string[]): number {
    const removed = this.jobs.remove(ids);
    if (removed.length) this.scheduler.changed({ remove: removed });
    return removed.length;
  }
  /** Pending and running jobs; they are always in the hot set, so this stays cheap at 100k jobs. */
  activeJobs(): Job[] {
    return this.jobs.active().map(deepFreeze);
  }
  /** Every job, each given its full check first if it has not had it. */
  *allJobs(): Generator<Job> {
    for (const j of this.jobs.all()) yield deepFreeze(j);
  }
  /** A page of jobs, from the order of the filter's sort (see JobTable.list). */
  jobTemplateNames(): string[] {
    return this.jobs.templateNames();
  }
  listJobs(filter: JobFilter): { total: number; items: Job[] } {
    const page = this.jobs.list(filter);
    return { total: page.total, items: page.items.map(deepFreeze) };
  }
  /** Resolves once the background work after open is done (or the store was closed). */
  whenChecked(): Promise<void> {
    return this.jobs.checked;
  }
  /** Resolves once the history files opened without a summary index have one (or the store was closed). */
  whenIndexed(): Promise<void> {
    return this.indexing;
  }

  // settings
  settings(): Settings {
    return this.settingsValue;
  }
  updateSettings(patch: SettingsPatch): Settings {
    this.settingsValue = Settings.parse(applyPatch(Settings, this.settingsValue, patch));
    this.scheduler.changed({ settings: this.settingsValue });
    return this.settingsValue;
  }

  /** Every change so far on disk, by the cheapest way (usually a journal append). */
  persist(): Promise<void> {
    return this.scheduler.persist();
  }

  /** Write now whatever is dirty, history too; resolves when it is on disk or the failure was reported. */
  async flush(): Promise<void> {
    await this.scheduler.flushNow(true);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.scheduler.close();
    this.jobs.close();
    await this.indexing;
    await this.flush();
  }

  private report(p: StoreProblem): void {
    this.problems.push(p);
    this.onError?.(p);
  }

  /** One change read back from a journal. */
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

  /** state.json as memory is now. */
  private snapshot(): StateFile {
    const removedFromHistory = this.history.removedIds();
    return {
      schemaVersion: SCHEMA_VERSION,
      meta: this.metaValue,
      settings: this.settingsValue,
      templates: [...this.templates.values()],
      jobs: this.jobs.hotFileJobs(),
      ...(removedFromHistory.length ? { removedFromHistory } : {}),
    };
  }
}

function check(schema: typeof Job | typeof Template, value: unknown, what: string): void {
  const r = schema.safeParse(value);
  if (!r.success) throw new Error(`store: refusing an invalid ${what} (${firstIssue(r.error)})`);
}
