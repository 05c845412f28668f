import { rmSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import { errorText, type StoreProblem } from './files';
import type { History, Segment } from './history';
import { JsonText } from './lines';
import { journalFile, journalHeader, replayJournals, type JournalRead, type Op } from './journal';
import type { StateFile } from './schema';

/** Writes whole files; lowdb's adapter (steno: temp file + rename) unless a test injects one. */
export interface FileWriter {
  write(file: string, data: unknown): Promise<void>;
  /** Appends to the change journal; fs.appendFile where not given. */
  append?(file: string, text: string): Promise<void>;
}

/** lowdb over steno, compact JSON: the files are for the app, and size is what costs. */
export function lowdbWriter(): FileWriter {
  const dbs = new Map<string, Low<unknown>>();
  return {
    async write(file, data) {
      let db = dbs.get(file);
      if (!db) {
        // A history file comes serialized already, one record a line (lines.ts).
        db = new Low<unknown>(new DataFile<unknown>(file, { parse: JSON.parse, stringify: (v) => (v instanceof JsonText ? v.text : JSON.stringify(v)) }), null);
        dbs.set(file, db);
      }
      db.data = data;
      await db.write();
    },
    append: (file, text) => appendFile(file, text, 'utf8'),
  };
}

/** The StoreOptions that time the writes, defaults applied (see StoreOptions for each). */
export interface WriteTiming {
  writeDelayMs: number;
  minWriteGapMs: number;
  maxWriteDelayMs: number;
  historyMaxDelayMs: number;
  recentFinished: number;
}

/**
 * When and how changes reach the disk: coalesced by one timer into appends to the change journal
 * (journal.ts) while they keep coming, and whole-file writes of state.json and the history files
 * once they are quiet (or overdue). A failed write is reported and tried again on the next change.
 */
export class WriteCoalescer {
  /** Whole-file writes done (for tests and benchmarks). */
  writes = 0;
  /** Appends to the change journal done. */
  appends = 0;
  /** Memory differs from state.json. */
  stateDirty = false;
  /** When state.json last fell behind memory, last changed, and last began a write (ms). */
  private stateDirtySince = 0;
  private lastChange = 0;
  private lastStateWrite = 0;
  /** A change the journal cannot record happened since the last state.json write. */
  private unjournaled = false;
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
  private readonly stateFile: string;
  /** The History's departure count as of the snapshot of the last state.json on disk. */
  private savedDepartures = 0;

  constructor(
    private readonly dataDir: string,
    private readonly timing: WriteTiming,
    private readonly writer: FileWriter,
    private readonly onError: ((e: StoreProblem) => void) | undefined,
    private readonly history: History,
    /** state.json as memory is now. */
    private readonly snapshot: () => StateFile,
  ) {
    this.stateFile = join(dataDir, 'state.json');
  }

  /** A change to memory; `op`, if given, is what the journal records of it. */
  changed(op?: Op): void {
    const now = Date.now();
    if (!this.stateDirty) {
      this.stateDirty = true;
      this.stateDirtySince = now;
    }
    this.lastChange = now;
    this.stalled = false;
    if (this.replaying) return;
    if (!op) this.unjournaled = true;
    if (op) {
      if (this.ops.length === 0) this.firstOp = now;
      this.ops.push(op);
    }
    if (!this.closed) this.arm(now + this.timing.writeDelayMs);
  }

  /** A write in writeDelayMs (for history files marked outside a change). */
  soon(): void {
    this.arm(Date.now() + this.timing.writeDelayMs);
  }

  /**
   * The journals a crash left, in order (journal.ts), applied without being journaled again; the
   * ones still on disk are removed by the next write of state.json.
   */
  replay(journals: [number, JournalRead][], apply: (op: unknown) => void, report: (p: StoreProblem) => void): void {
    this.replaying = true;
    try {
      const { kept, next } = replayJournals(this.dataDir, journals, apply, report);
      for (const n of kept) this.journals.add(n);
      this.journalN = Math.max(this.journalN, next);
    } finally {
      this.replaying = false;
      this.ops = [];
      this.firstOp = 0;
    }
  }

  /** No timer from now on; flush() still writes. */
  close(): void {
    this.closed = true;
  }

  /**
   * On disk now, cheaply: the changes not yet there appended to the journal rather than a
   * whole-file write (for moments a crash must not lose, like the one before a container is
   * created). Resolves when they are there or the failure was reported.
   */
  async persist(): Promise<void> {
    if (this.unjournaled) return this.flushNow(false);
    if (this.ops.length) await this.appendOps();
    else if (this.appending) await this.appending;
    // Changes a state.json write has taken are on disk when it is.
    if (this.writing) await this.writing;
  }

  /** Write now whatever is dirty; `all` false (changes still coming) lets history wait a while. */
  async flushNow(all: boolean): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    while (this.writing) await this.writing;
    if (!this.stateDirty && !this.history.dirty) return;
    this.writing = this.write(all).finally(() => (this.writing = undefined));
    await this.writing;
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
    const { writeDelayMs, minWriteGapMs, maxWriteDelayMs } = this.timing;
    const now = Date.now();
    const quietAt = Math.max(this.lastChange + writeDelayMs, this.lastStateWrite + minWriteGapMs);
    if (this.stateDirty || this.history.dirty) {
      const overdue = this.stateDirty && now >= this.stateDirtySince + maxWriteDelayMs;
      if (now >= quietAt || overdue) {
        void this.flushNow(now >= quietAt).then(() => this.rearm());
        return;
      }
    }
    if (this.ops.length && now >= this.firstOp + writeDelayMs) void this.appendOps().then(() => this.rearm());
    else this.rearm();
  }

  private rearm(): void {
    if (this.closed || this.stalled) return;
    const { writeDelayMs, minWriteGapMs, maxWriteDelayMs } = this.timing;
    let at = Infinity;
    if (this.ops.length) at = Math.min(at, this.firstOp + writeDelayMs);
    if (this.stateDirty || this.history.dirty) {
      at = Math.min(at, Math.max(this.lastChange + writeDelayMs, this.lastStateWrite + minWriteGapMs));
    }
    if (this.stateDirty) at = Math.min(at, this.stateDirtySince + maxWriteDelayMs);
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
        this.failed(file, error, false);
      }
    })().finally(() => (this.appending = undefined));
    await this.appending;
  }

  private appendText(file: string, text: string): Promise<void> {
    return this.writer.append ? this.writer.append(file, text) : appendFile(file, text, 'utf8');
  }

  private async save(file: string, data: unknown): Promise<void> {
    await this.writer.write(file, data);
    this.writes++;
  }

  /**
   * History files first, then the hot file, then the history files that jobs left for the hot set:
   * at every moment each job is in at least one file. `all` false (changes still coming): history
   * waits, unless the jobs riding in the hot file meanwhile grow many or it has waited long.
   */
  private async write(all: boolean): Promise<void> {
    const now = Date.now();
    const { recentFinished, historyMaxDelayMs } = this.timing;
    const due = this.history.segments.filter(
      (s) => s.dirty && (all || this.history.unsavedCold.size > 4 * recentFinished || now - s.dirtySince >= historyMaxDelayMs),
    );
    const first: Segment[] = [];
    const after: Segment[] = [];
    /** Each file split, after the files that took its later jobs (written first). */
    const splitFrom = new Map<Segment, Segment[]>();
    for (const seg of due) {
      const parts = this.history.split(seg);
      first.push(...parts);
      if (parts.length) splitFrom.set(seg, parts);
      first.push(seg);
    }
    const failed = new Set<Segment>();
    // A file may be written before state.json only if no job left it since its last write; one
    // that a job leaves while this write goes on (a retry) waits, or it would be on disk without
    // that job while state.json is not yet on disk with it.
    for (const seg of first) {
      if (seg.departedAt > 0) {
        after.push(seg);
        continue;
      }
      await this.writeOne(seg, splitFrom, failed, true);
    }
    // Not dirty: state.json on disk holds every job that has left a history file so far.
    if (!this.stateDirty) this.savedDepartures = this.history.departures;
    else if (!(await this.writeState())) return; // the jobs that left these are not on disk in the hot file yet
    for (const seg of after) {
      // A job left it after that write of state.json began: it waits for the next one.
      if (seg.departedAt > this.savedDepartures) continue;
      // Jobs that rode in the hot file for it need not any more: the next hot write drops them.
      await this.writeOne(seg, splitFrom, failed, false);
    }
  }

  /**
   * One history file; a file split is written only once the files that took its later jobs are
   * (else those jobs would be in no file). Returns whether it was written.
   */
  private async writeOne(seg: Segment, splitFrom: Map<Segment, Segment[]>, failed: Set<Segment>, beforeState: boolean): Promise<void> {
    if (splitFrom.get(seg)?.some((p) => failed.has(p))) return;
    const n = await this.writeSegment(seg);
    if (n === undefined) failed.add(seg);
    else if (n > 0 && beforeState) {
      // What rode in state.json for it (or was listed there as removed) need not any more: the
      // state write of this round drops it.
      if (!this.stateDirty) {
        this.stateDirty = true;
        this.stateDirtySince = Date.now();
      }
    } else if (n > 0) this.changed(); // the next hot write drops them
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
    const unjournaled = this.unjournaled;
    this.unjournaled = false;
    this.lastStateWrite = Date.now();
    const departures = this.history.departures;
    const state = this.snapshot();
    try {
      await this.save(this.stateFile, state);
    } catch (error) {
      // Memory keeps the truth and the last good file stays as it was; try again on the next change.
      this.stateDirty = true;
      this.unjournaled ||= unjournaled;
      this.stateDirtySince = Date.now();
      this.failed(this.stateFile, error);
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
          this.failed(file, e);
        }
      }
      return false;
    }
    this.savedDepartures = departures;
    for (const n of [...this.journals]) {
      if (n > covered) continue;
      try {
        rmSync(journalFile(this.dataDir, n), { force: true });
        this.journals.delete(n);
      } catch (error) {
        this.failed(journalFile(this.dataDir, n), error);
      }
    }
    return true;
  }

  /** Resolves to the number of jobs that no longer need to ride in the hot file; undefined if it failed. */
  private async writeSegment(seg: Segment): Promise<number | undefined> {
    try {
      return await this.history.write(seg, (file, data) => this.save(file, data));
    } catch (error) {
      this.failed(seg.file, error);
      return undefined;
    }
  }

  private failed(file: string, error: unknown, stall = true): void {
    if (stall) this.stalled = true;
    this.onError?.({
      message: `could not save the store (${file}): ${errorText(error)}. Changes are kept in memory and saved when writing works again.`,
      file,
    });
  }
}
