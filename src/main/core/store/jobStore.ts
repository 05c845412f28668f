import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import { isTerminal, Job } from '../../../shared/job';
import type { JobFilter } from '../../../shared/query';
import { Settings, type SettingsPatch } from '../../../shared/settings';
import { Template } from '../../../shared/template';
import { errorText, loadFile, type StoreProblem } from './files';
import { matchesFilter, sortJobs } from './query';
import { HistoryFile, SCHEMA_VERSION, StateFile, type Meta } from './schema';

export type { StoreProblem } from './files';

/** Writes whole files; lowdb's adapter (steno: temp file + rename) unless a test injects one. */
export interface FileWriter {
  write(file: string, data: unknown): Promise<void>;
}

export interface StoreOptions {
  dataDir: string;
  /** Coalescing window: many changes inside it make one write. */
  writeDelayMs?: number;
  /**
   * Finished jobs kept in the hot file. It may grow to twice this before the oldest move to
   * history.json, so that history (the big file) is rewritten once per N finished jobs, not per job.
   */
  recentFinished?: number;
  onError?: (e: StoreProblem) => void;
  /** For tests: replaces the lowdb writer (e.g. to fail like a full disk). */
  writer?: FileWriter;
}

/** lowdb over steno, compact JSON: the files are for the app, and size is what costs. */
function lowdbWriter(): FileWriter {
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
  };
}

/**
 * The one writer of Jobdeck's JSON store. Reads come from memory; writes are coalesced and
 * atomic. Log output never comes here. Every job is in exactly one of `hot` (state.json) and
 * `cold` (history.json); active jobs are always hot.
 */
export class JobStore {
  /** Whole-file writes done (for tests and benchmarks). */
  writes = 0;
  /** What went wrong at open, kept so a client that connects later hears it too. */
  readonly problems: StoreProblem[] = [];

  private readonly jobs = new Map<string, Job>();
  private readonly hot = new Set<string>();
  private readonly cold = new Set<string>();
  /** Hot jobs that are finished, for the spill to history. */
  private hotFinished = 0;
  private readonly templates = new Map<string, Template>();
  private settingsValue: Settings;
  private metaValue: Meta;
  private stateDirty = false;
  private historyDirty = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> | undefined;
  private closed = false;
  private readonly stateFile: string;
  private readonly historyFile: string;
  private readonly writeDelayMs: number;
  private readonly recentFinished: number;
  private readonly writer: FileWriter;
  private readonly onError: ((e: StoreProblem) => void) | undefined;

  private constructor(opts: StoreOptions, state: StateFile, history: HistoryFile) {
    this.stateFile = join(opts.dataDir, 'state.json');
    this.historyFile = join(opts.dataDir, 'history.json');
    this.writeDelayMs = opts.writeDelayMs ?? 50;
    this.recentFinished = Math.max(1, opts.recentFinished ?? 500);
    this.writer = opts.writer ?? lowdbWriter();
    this.onError = opts.onError;
    this.settingsValue = state.settings;
    this.metaValue = state.meta;
    for (const t of state.templates) this.templates.set(t.id, t);
    for (const j of history.jobs) {
      this.jobs.set(j.id, j);
      this.cold.add(j.id);
    }
    for (const j of state.jobs) {
      // A job in both files (a crash between the two writes) is newest in the hot one.
      if (this.cold.delete(j.id)) this.historyDirty = true;
      this.jobs.set(j.id, j);
      this.hot.add(j.id);
      if (isTerminal(j.status)) this.hotFinished++;
    }
    // Only finished jobs belong in history.
    for (const id of this.cold) {
      const j = this.jobs.get(id)!;
      if (!isTerminal(j.status)) this.moveHot(id);
    }
  }

  static async open(opts: StoreOptions): Promise<JobStore> {
    mkdirSync(opts.dataDir, { recursive: true });
    const stateFile = join(opts.dataDir, 'state.json');
    const historyFile = join(opts.dataDir, 'history.json');
    const problems: StoreProblem[] = [];
    // Both are checked for a newer schema before either is touched.
    const s = loadFile(stateFile, StateFile);
    const h = loadFile(historyFile, HistoryFile);
    if (s.kind === 'quarantined') problems.push(s.problem);
    if (h.kind === 'quarantined') problems.push(h.problem);
    const store = new JobStore(opts, s.kind === 'ok' ? s.data : emptyState(), h.kind === 'ok' ? h.data : { schemaVersion: SCHEMA_VERSION, jobs: [] });
    for (const p of problems) {
      store.problems.push(p);
      opts.onError?.(p);
    }
    // A fresh store writes its files now: the instance id is kept from the first start on, and
    // a quarantined file is replaced at once so that it can never be read again by mistake.
    // A migrated file is written back in the current shape straight away.
    if (s.kind !== 'ok' || s.migratedFrom !== undefined) store.stateDirty = true;
    if (h.kind === 'quarantined' || (h.kind === 'ok' && h.migratedFrom !== undefined)) store.historyDirty = true;
    await store.flush();
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
    this.markState();
  }
  nextSeq(): number {
    this.metaValue = { ...this.metaValue, seq: this.metaValue.seq + 1 };
    this.markState();
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
    this.markState();
  }
  deleteTemplate(id: string): boolean {
    const had = this.templates.delete(id);
    if (had) this.markState();
    return had;
  }

  // jobs
  getJob(id: string): Job | undefined {
    return this.jobs.get(id);
  }
  /** Insert or replace. The object is kept as given (the scheduler updates it in place and touches it). */
  putJob(job: Job): void {
    check(Job, job, `job ${job.id}`);
    const before = this.jobs.get(job.id);
    this.jobs.set(job.id, job);
    const done = isTerminal(job.status);
    if (this.cold.has(job.id)) {
      this.historyDirty = true;
      if (!done) this.moveHot(job.id); // a retry brings an old job back
    } else {
      if (!this.hot.has(job.id)) this.hot.add(job.id);
      const wasDone = before !== undefined && isTerminal(before.status);
      if (done && !wasDone) this.hotFinished++;
      else if (!done && wasDone) this.hotFinished--;
      if (this.hotFinished > 2 * this.recentFinished) this.spill();
    }
    this.markState();
  }
  removeJobs(ids: string[]): number {
    let n = 0;
    for (const id of ids) {
      const j = this.jobs.get(id);
      if (!j) continue;
      this.jobs.delete(id);
      n++;
      if (this.cold.delete(id)) this.historyDirty = true;
      else if (this.hot.delete(id) && isTerminal(j.status)) this.hotFinished--;
    }
    if (n) this.markState();
    return n;
  }
  /** Pending and running jobs; they are always in the hot set, so this stays cheap at 100k jobs. */
  activeJobs(): Job[] {
    const out: Job[] = [];
    for (const id of this.hot) {
      const j = this.jobs.get(id)!;
      if (j.status === 'pending' || j.status === 'running') out.push(j);
    }
    return out;
  }
  allJobs(): Iterable<Job> {
    return this.jobs.values();
  }
  listJobs(filter: JobFilter): { total: number; items: Job[] } {
    const matched: Job[] = [];
    const text = filter.text?.trim().toLowerCase() || undefined;
    const bounds = {
      from: filter.from ? Date.parse(filter.from) : undefined,
      to: filter.to ? Date.parse(filter.to) : undefined,
    };
    for (const j of this.jobs.values()) if (matchesFilter(j, filter, text, bounds)) matched.push(j);
    const sorted = sortJobs(matched, filter.sort, filter.order);
    return { total: sorted.length, items: sorted.slice(filter.offset, filter.offset + filter.limit) };
  }

  // settings
  settings(): Settings {
    return this.settingsValue;
  }
  updateSettings(patch: SettingsPatch): Settings {
    this.settingsValue = Settings.parse({ ...this.settingsValue, ...patch });
    this.markState();
    return this.settingsValue;
  }

  /** Write now whatever is dirty; resolves when it is on disk or the failure was reported. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.writing) await this.writing;
    if (!this.stateDirty && !this.historyDirty) return;
    this.writing = this.write().finally(() => (this.writing = undefined));
    await this.writing;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private markState(): void {
    this.stateDirty = true;
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.writeDelayMs);
  }

  private moveHot(id: string): void {
    this.cold.delete(id);
    this.hot.add(id);
    this.historyDirty = true;
    if (isTerminal(this.jobs.get(id)!.status)) this.hotFinished++;
  }

  /** The oldest finished hot jobs (by finishedAt) go to history until `recentFinished` remain. */
  private spill(): void {
    const finished: Job[] = [];
    for (const id of this.hot) {
      const j = this.jobs.get(id)!;
      if (isTerminal(j.status)) finished.push(j);
    }
    finished.sort((a, b) => (a.finishedAt ?? '').localeCompare(b.finishedAt ?? '') || a.seq - b.seq);
    for (const j of finished.slice(0, finished.length - this.recentFinished)) {
      this.hot.delete(j.id);
      this.cold.add(j.id);
      this.hotFinished--;
    }
    this.historyDirty = true;
  }

  private async write(): Promise<void> {
    const writeHistory = this.historyDirty;
    this.stateDirty = false;
    this.historyDirty = false;
    const pick = (ids: Set<string>) => Array.from(ids, (id) => this.jobs.get(id)!);
    const state: StateFile = {
      schemaVersion: SCHEMA_VERSION,
      meta: this.metaValue,
      settings: this.settingsValue,
      templates: [...this.templates.values()],
      jobs: pick(this.hot),
    };
    let file = this.historyFile;
    try {
      // History first: a crash between the two leaves a moved job in both files, never in neither.
      if (writeHistory) {
        const history: HistoryFile = { schemaVersion: SCHEMA_VERSION, jobs: pick(this.cold) };
        await this.writer.write(this.historyFile, history);
        this.writes++;
      }
      file = this.stateFile;
      await this.writer.write(this.stateFile, state);
      this.writes++;
    } catch (error) {
      // Memory keeps the truth and the last good file stays as it was; try again on the next change.
      this.stateDirty = true;
      if (writeHistory && file === this.historyFile) this.historyDirty = true;
      this.onError?.({
        message: `could not save the store (${file}): ${errorText(error)}. Changes are kept in memory and saved when writing works again.`,
        file,
      });
    }
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
  if (!r.success) {
    const i = r.error.issues[0];
    throw new Error(`store: refusing an invalid ${what} (${i ? `${i.path.join('.')}: ${i.message}` : 'invalid'})`);
  }
}
