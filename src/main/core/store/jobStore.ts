import { randomUUID } from 'node:crypto';
import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { isTerminal, type Job } from '../../../shared/job';
import type { JobFilter } from '../../../shared/query';
import { Settings, type SettingsPatch } from '../../../shared/settings';
import type { Template } from '../../../shared/template';
import { matchesFilter, sortJobs } from './query';
import { HistoryFile, migrate, NewerSchemaError, SCHEMA_VERSION, StateFile, type Meta } from './schema';

export interface StoreProblem {
  message: string;
  file?: string;
}

export interface StoreOptions {
  dataDir: string;
  /** Coalescing window: many changes inside it make one write. */
  writeDelayMs?: number;
  /** Finished jobs kept in the hot file; older ones live in history.json. */
  recentFinished?: number;
  onError?: (e: StoreProblem) => void;
}

/**
 * The one writer of Jobdeck's JSON store. Reads come from memory; writes are coalesced and
 * atomic (lowdb → steno: temp file + rename). Log output never comes here.
 */
export class JobStore {
  /** Whole-file writes done (for tests and benchmarks). */
  writes = 0;
  /** What went wrong at open, kept so a client that connects later hears it too. */
  readonly problems: StoreProblem[] = [];

  private jobs = new Map<string, Job>();
  private templates = new Map<string, Template>();
  private settingsValue: Settings;
  private meta: Meta;
  /** Terminal jobs in the order they ended; the last `recent` stay hot. */
  private finished: string[] = [];
  private stateDirty = false;
  private historyDirty = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> | undefined;
  private closed = false;

  private constructor(
    private readonly state: Low<StateFile>,
    private readonly history: Low<HistoryFile>,
    private readonly opts: Required<Omit<StoreOptions, 'onError'>> & Pick<StoreOptions, 'onError'>,
    initial: { state: StateFile; history: HistoryFile },
  ) {
    this.settingsValue = initial.state.settings;
    this.meta = initial.state.meta;
    for (const t of initial.state.templates) this.templates.set(t.id, t);
    const all = [...initial.history.jobs, ...initial.state.jobs];
    for (const j of all) this.jobs.set(j.id, j);
    this.finished = all
      .filter((j) => isTerminal(j.status))
      .sort((a, b) => (a.finishedAt ?? '').localeCompare(b.finishedAt ?? ''))
      .map((j) => j.id);
  }

  static async open(options: StoreOptions): Promise<JobStore> {
    const opts = { writeDelayMs: 50, recentFinished: 500, ...options };
    mkdirSync(opts.dataDir, { recursive: true });
    const problems: StoreProblem[] = [];
    const stateFile = join(opts.dataDir, 'state.json');
    const historyFile = join(opts.dataDir, 'history.json');
    const state = new Low<StateFile>(new JSONFile(stateFile), emptyState());
    const history = new Low<HistoryFile>(new JSONFile(historyFile), { schemaVersion: SCHEMA_VERSION, jobs: [] });
    const loadedState = await load(state, stateFile, StateFile, emptyState, problems);
    const loadedHistory = await load(history, historyFile, HistoryFile, () => ({ schemaVersion: SCHEMA_VERSION, jobs: [] }), problems);
    const store = new JobStore(state, history, opts, { state: loadedState, history: loadedHistory });
    for (const p of problems) {
      store.problems.push(p);
      opts.onError?.(p);
    }
    if (problems.length) {
      // Write the fresh files now, so the damaged ones are never read again by mistake.
      store.stateDirty = true;
      store.historyDirty = true;
      await store.flush();
    }
    return store;
  }

  get instanceId(): string {
    return this.meta.instanceId;
  }

  // templates
  listTemplates(): Template[] {
    return [...this.templates.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
  getTemplate(id: string): Template | undefined {
    return this.templates.get(id);
  }
  putTemplate(t: Template): void {
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
  putJob(job: Job): void {
    const before = this.jobs.get(job.id);
    this.jobs.set(job.id, job);
    const wasDone = before ? isTerminal(before.status) : false;
    const isDone = isTerminal(job.status);
    if (isDone && !wasDone) {
      this.finished.push(job.id);
      if (this.finished.length > this.opts.recentFinished) this.historyDirty = true;
    } else if (!isDone && wasDone) {
      this.dropFinished([job.id]);
    } else if (isDone && this.inHistory(job.id)) {
      this.historyDirty = true;
    }
    this.markState();
  }
  removeJobs(ids: string[]): number {
    let n = 0;
    const gone = new Set<string>();
    for (const id of ids) {
      if (this.jobs.delete(id)) {
        n++;
        gone.add(id);
      }
    }
    if (n) {
      this.dropFinished([...gone]);
      this.markState();
    }
    return n;
  }
  activeJobs(): Job[] {
    const out: Job[] = [];
    for (const j of this.jobs.values()) if (j.status === 'pending' || j.status === 'running') out.push(j);
    return out;
  }
  allJobs(): Iterable<Job> {
    return this.jobs.values();
  }
  listJobs(filter: JobFilter): { total: number; items: Job[] } {
    const matched: Job[] = [];
    const text = filter.text?.trim().toLowerCase();
    for (const j of this.jobs.values()) if (matchesFilter(j, filter, text)) matched.push(j);
    sortJobs(matched, filter.sort, filter.order);
    return { total: matched.length, items: matched.slice(filter.offset, filter.offset + filter.limit) };
  }
  nextSeq(): number {
    this.meta = { ...this.meta, seq: this.meta.seq + 1 };
    this.markState();
    return this.meta.seq;
  }

  // settings and meta
  settings(): Settings {
    return this.settingsValue;
  }
  updateSettings(patch: SettingsPatch): Settings {
    this.settingsValue = Settings.parse({ ...this.settingsValue, ...patch });
    this.markState();
    return this.settingsValue;
  }
  cronLastRun(templateId: string): string | undefined {
    return this.meta.cronLastRun[templateId];
  }
  setCronLastRun(templateId: string, at: string): void {
    this.meta = { ...this.meta, cronLastRun: { ...this.meta.cronLastRun, [templateId]: at } };
    this.markState();
  }

  /** Write now whatever is dirty; resolves when it is on disk (or the failure was reported). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.writing) await this.writing;
    if (!this.stateDirty && !this.historyDirty) return;
    this.writing = this.write().finally(() => (this.writing = undefined));
    await this.writing;
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  private markState(): void {
    this.stateDirty = true;
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.opts.writeDelayMs);
  }

  private inHistory(id: string): boolean {
    const cut = this.finished.length - this.opts.recentFinished;
    return cut > 0 && this.finished.indexOf(id) < cut && this.finished.includes(id);
  }

  private dropFinished(ids: string[]): void {
    const cut = this.finished.length - this.opts.recentFinished;
    const set = new Set(ids);
    if (cut > 0 && this.finished.slice(0, cut).some((id) => set.has(id))) this.historyDirty = true;
    this.finished = this.finished.filter((id) => !set.has(id));
  }

  private async write(): Promise<void> {
    const writeHistory = this.historyDirty;
    this.stateDirty = false;
    this.historyDirty = false;
    const cut = Math.max(0, this.finished.length - this.opts.recentFinished);
    const cold = new Set(this.finished.slice(0, cut));
    const hot: Job[] = [];
    for (const j of this.jobs.values()) if (!cold.has(j.id)) hot.push(j);
    this.state.data = {
      schemaVersion: SCHEMA_VERSION,
      meta: this.meta,
      settings: this.settingsValue,
      templates: [...this.templates.values()],
      jobs: hot,
    };
    try {
      if (writeHistory) {
        this.history.data = { schemaVersion: SCHEMA_VERSION, jobs: [...cold].map((id) => this.jobs.get(id)!).filter(Boolean) };
        await this.history.write();
        this.writes++;
      }
      await this.state.write();
      this.writes++;
    } catch (error) {
      // Memory keeps the truth and the last good file stays as it was; try again on the next change.
      this.stateDirty = true;
      if (writeHistory) this.historyDirty = true;
      this.opts.onError?.({
        message: `could not save the store: ${error instanceof Error ? error.message : String(error)}; changes are kept in memory and saved when writing works again`,
        file: this.opts.dataDir,
      });
    }
  }
}

function emptyState(): StateFile {
  return { schemaVersion: SCHEMA_VERSION, meta: { instanceId: randomUUID(), seq: 0, cronLastRun: {} }, settings: Settings.parse({}), templates: [], jobs: [] };
}

/**
 * Read and check one file. Missing → fresh. Damaged (not JSON, truncated, wrong shape) → moved
 * aside as `<name>.corrupt-<time>.json` and reported; never overwritten, never silently dropped.
 */
async function load<T>(
  db: Low<T>,
  file: string,
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } },
  fresh: () => T,
  problems: StoreProblem[],
): Promise<T> {
  let raw: unknown;
  try {
    await db.read();
    raw = db.data;
  } catch (error) {
    return quarantine(file, `it is not valid JSON (${error instanceof Error ? error.message : String(error)})`, fresh, problems, db);
  }
  if (raw === null || raw === undefined) return (db.data = fresh());
  if (typeof raw !== 'object' || Array.isArray(raw)) return quarantine(file, 'it does not hold a Jobdeck store', fresh, problems, db);
  let migrated: unknown;
  try {
    migrated = migrate(raw as Record<string, unknown>);
  } catch (error) {
    if (error instanceof NewerSchemaError) throw error;
    return quarantine(file, error instanceof Error ? error.message : String(error), fresh, problems, db);
  }
  const parsed = schema.safeParse(migrated);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    return quarantine(file, `its contents do not match the store schema (${i ? `${i.path.join('.')}: ${i.message}` : 'unknown'})`, fresh, problems, db);
  }
  return (db.data = parsed.data);
}

function quarantine<T>(file: string, why: string, fresh: () => T, problems: StoreProblem[], db: Low<T>): T {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const moved = file.replace(/\.json$/, `.corrupt-${stamp}.json`);
  renameSync(file, moved);
  problems.push({ message: `${file} could not be read: ${why}. It was moved to ${moved} and Jobdeck started without it.`, file: moved });
  return (db.data = fresh());
}
