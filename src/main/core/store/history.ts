import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Job } from '../../../shared/job';
import { historyText, JsonText, recordText, type LineSource } from './lines';
import { summarize, type Row } from './query';
import { fillRows, removeSummaryIndex, summaryIndex, writeSummaryIndex, type SummaryColumns } from './summaryIndex';

/**
 * The history files (history.json, history-1.json, …): which finished job lives in which, the
 * spill of finished jobs from the hot set into them, and rewriting one (split when it outgrows
 * the limit). When each is written, and in what order with state.json, is writes.ts's.
 */

/** A job as the store keeps it: the indexes' row, and where the job is kept on disk. */
export interface StoreRow extends Row {
  /** The history file of a cold job; undefined for a hot one. */
  seg: Segment | undefined;
  /** Not yet given its full check (a history record read at open). */
  raw: boolean;
  /** Where its record's text is while `job` is not read yet (lines.ts), and which line. */
  src: LineSource | undefined;
  line: number;
}

/**
 * A row for `job`, or, with `job` undefined, for a record kept as text (`src`, line `line`) whose
 * parse at open is `summary`: the row keeps only what the indexes read of it.
 */
export function newRow(summary: Job, job: Job | undefined, seg: Segment | undefined, raw: boolean, src?: LineSource, line = -1): StoreRow {
  const row = blankRow(job, seg, raw, src, line);
  summarize(row, summary);
  return row;
}

/**
 * The rows of a history file opened through its summary index (summaryIndex.ts): each record
 * left as text in `src` until it is read, its row filled from the index.
 */
export function indexedRows(x: SummaryColumns, bytes: Buffer): StoreRow[] {
  const src: LineSource = { text: bytes, count: x.count, newlines: x.newlines };
  return fillRows(x, (i) => blankRow(undefined, undefined, true, src, i));
}

/** Every row made in one shape (one literal), so that the engine keeps them alike. */
function blankRow(job: Job | undefined, seg: Segment | undefined, raw: boolean, src: LineSource | undefined, line: number): StoreRow {
  return {
    job,
    status: 'completed',
    id: '',
    seq: 0,
    templateId: undefined,
    templateName: '',
    origin: 'manual',
    code: undefined,
    created: 0,
    finished: -Infinity,
    engines: undefined,
    hay: undefined,
    createdAt: undefined,
    finishedAt: undefined,
    priority: undefined,
    duration: undefined,
    startedAt: undefined,
    statusOrder: undefined,
    exitCode: undefined,
    seg,
    raw,
    src,
    line,
  };
}

/** A row's record as this version writes it in a history file. */
export const rowText = (row: StoreRow): string => (row.job ? JSON.stringify(row.job) : recordText(row.src!, row.line, row.id));

/** One history file and the finished jobs it holds. */
export interface Segment {
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
   * Jobs left it for the hot set since it was written: it must be written after a hot file that
   * holds them, or a crash between the two would leave them in neither. The History's departure
   * count at the latest of them (0: none), so that a write of state.json begun before it is not
   * taken for one that holds them.
   */
  departedAt: number;
  /**
   * Jobs that left it since it was written: its file may still hold an older copy of each. Until
   * it is written again they ride in the hot file (History.stale), which wins over every copy.
   */
  left: Set<StoreRow>;
  /** Records that failed their check and could not be set aside: kept in the file, never read. */
  held: unknown[];
  /** Jobs removed since it was written: listed in state.json until it is (a crash keeps them removed). */
  removed: Set<string>;
  /** Read in the older form (not one record a line, lines.ts): written again soon after open. */
  compact: boolean;
  /** Its summary index (summaryIndex.ts) describes its file as it is on disk. */
  indexed: boolean;
}

export const segmentFile = (dir: string, n: number) => join(dir, n === 0 ? 'history.json' : `history-${n}.json`);
export const SEGMENT_NAME = /^history-([1-9][0-9]*)\.json$/;

export function markSegment(seg: Segment): void {
  seg.gen++;
  if (!seg.dirty) {
    seg.dirty = true;
    seg.dirtySince = Date.now();
  }
}

export class History {
  /** In file order; the last one takes the jobs spilled from the hot set. */
  readonly segments: Segment[] = [];
  /**
   * Cold jobs whose latest version is not yet in their history file: they are written in the hot
   * file too until it is (on load, the hot copy of a job found in both wins).
   */
  readonly unsavedCold = new Set<StoreRow>();
  /** Departures so far (Segment.departedAt). */
  departures = 0;
  /**
   * Jobs that left history files not written since, and which: an older copy of each may be in
   * those files, so the job stays in the hot file until they are written again, and its removal
   * is listed for them too. Without it, a job retried out of one history file and spilled into
   * another came back from a restart as its older copy (the first file's, kept on load).
   */
  private readonly stale = new Map<StoreRow, Set<Segment>>();

  constructor(
    private readonly dataDir: string,
    /** Jobs per history file: what one history write costs at most. */
    readonly jobsPerFile: number,
  ) {}

  add(n: number): Segment {
    const seg: Segment = { n, file: segmentFile(this.dataDir, n), rows: new Set(), dirty: false, dirtySince: 0, gen: 0, departedAt: 0, left: new Set(), held: [], removed: new Set(), compact: false, indexed: false };
    this.segments.push(seg);
    this.segments.sort((a, b) => a.n - b.n);
    return seg;
  }

  get dirty(): boolean {
    return this.segments.some((s) => s.dirty);
  }

  /** What state.json lists as removed from history files not yet rewritten. */
  removedIds(): string[] {
    return this.segments.flatMap((seg) => [...seg.removed]);
  }

  /** A cold job is no longer in its history file in memory (the caller marks the file). */
  detach(row: StoreRow): Segment {
    const seg = row.seg!;
    row.seg = undefined;
    seg.rows.delete(row);
    this.unsavedCold.delete(row);
    return seg;
  }

  /** A cold job leaves memory: its history file is written again without it. */
  drop(row: StoreRow): Segment {
    const seg = this.detach(row);
    markSegment(seg);
    this.forget(row);
    return seg;
  }

  /**
   * A job leaves memory (removed): the files that may still hold an older copy of it list it as
   * removed too, until they are written again.
   */
  forget(row: StoreRow): void {
    const segs = this.stale.get(row);
    if (!segs) return;
    this.stale.delete(row);
    for (const seg of segs) {
      seg.left.delete(row);
      seg.removed.add(row.id);
      markSegment(seg);
    }
  }

  /** A cold job becomes hot (the caller adds it): its history file must follow the hot file. */
  leave(row: StoreRow): void {
    const seg = this.detach(row);
    seg.departedAt = ++this.departures;
    markSegment(seg);
    this.left(row, seg);
  }

  /** `seg`'s file may hold an older copy of the job from now until it is written again. */
  private left(row: StoreRow, seg: Segment): void {
    if (seg.left.has(row)) return;
    seg.left.add(row);
    let segs = this.stale.get(row);
    if (!segs) this.stale.set(row, (segs = new Set()));
    segs.add(seg);
  }

  /** Whether a cold job must still ride in the hot file: a file it left may hold an older copy. */
  isStale(row: StoreRow): boolean {
    const segs = this.stale.get(row);
    if (!segs) return false;
    for (const s of segs) if (s !== row.seg) return true;
    return false;
  }

  /**
   * The oldest of these finished hot jobs (by finishedAt) go to history until `keep` remain.
   * Returns those that went, for the caller to take out of the hot set.
   */
  spill(finished: StoreRow[], keep: number): StoreRow[] {
    finished.sort((a, b) => (a.job!.finishedAt ?? '').localeCompare(b.job!.finishedAt ?? '') || a.seq - b.seq);
    const going = finished.slice(0, finished.length - keep);
    let tail = this.segments[this.segments.length - 1]!;
    for (const row of going) {
      if (tail.rows.size >= this.jobsPerFile) tail = this.add(tail.n + 1);
      tail.rows.add(row);
      row.seg = tail;
      // Rides in the hot file until its history file is written.
      this.unsavedCold.add(row);
      markSegment(tail);
    }
    return going;
  }

  /**
   * Marks the files over the size limit (ones from before the limit) and those in the older form,
   * to be written again; true if there were any.
   */
  markOversized(): boolean {
    let oversized = false;
    for (const seg of this.segments) {
      if (seg.rows.size > this.jobsPerFile || seg.compact) {
        markSegment(seg);
        oversized = true;
      }
    }
    return oversized;
  }

  /** A history file past the size limit gives its later jobs to new files (written before it). */
  split(seg: Segment): Segment[] {
    const out: Segment[] = [];
    if (seg.rows.size <= this.jobsPerFile) return out;
    const rows = [...seg.rows];
    seg.rows = new Set(rows.slice(0, this.jobsPerFile));
    for (let i = this.jobsPerFile; i < rows.length; i += this.jobsPerFile) {
      const next = this.add(this.segments[this.segments.length - 1]!.n + 1);
      for (const row of rows.slice(i, i + this.jobsPerFile)) {
        next.rows.add(row);
        row.seg = next;
        // Until the file split is written, a change to the job rides in the hot file as well.
        this.left(row, seg);
      }
      markSegment(next);
      out.push(next);
    }
    return out;
  }

  /**
   * Writes one history file as memory is now (or removes an empty one but the first). Resolves to
   * the number of jobs that no longer need to ride in the hot file; if it fails, the file stays
   * dirty and the error is thrown on.
   */
  async write(seg: Segment, save: (file: string, data: JsonText) => Promise<void>): Promise<number> {
    const gen = seg.gen;
    const departedAt = seg.departedAt;
    const rows = [...seg.rows];
    const removed = [...seg.removed];
    const left = [...seg.left];
    seg.dirty = false;
    try {
      if (rows.length === 0 && seg.held.length === 0 && seg.n > 0) {
        seg.indexed = false;
        removeSummaryIndex(seg.file);
        rmSync(seg.file, { force: true });
        this.segments.splice(this.segments.indexOf(seg), 1);
      } else {
        const text = historyText([...rows.map(rowText), ...seg.held.map((h) => JSON.stringify(h))]);
        // A record held back is not indexed: such a file is read line by line. The index is made
        // from the bytes the file will hold, as for a file indexed after open.
        const index = seg.held.length ? undefined : indexOf(rows, Buffer.from(text));
        seg.indexed = false;
        await save(seg.file, new JsonText(text));
        if (index) seg.indexed = await writeSummaryIndex(seg.file, index);
        else removeSummaryIndex(seg.file);
      }
    } catch (error) {
      if (!seg.dirty) {
        seg.dirty = true;
        seg.dirtySince = Date.now();
      }
      throw error;
    }
    seg.compact = false;
    if (seg.departedAt === departedAt) seg.departedAt = 0;
    let saved = 0;
    // Its file no longer holds an older copy of the jobs that left it.
    for (const row of left) {
      seg.left.delete(row);
      const segs = this.stale.get(row);
      if (!segs) continue;
      segs.delete(seg);
      if (segs.size) continue;
      this.stale.delete(row);
      // Cold in a file written as memory is: it need not ride in the hot file any more.
      if (row.seg && row.seg !== seg && !row.seg.dirty && this.unsavedCold.delete(row)) saved++;
    }
    // Its file no longer holds them: state.json need not list them.
    for (const id of removed) seg.removed.delete(id);
    if (removed.length) saved++;
    if (seg.gen === gen) {
      // Saved as it is in memory: what rode in the hot file for it need not any more.
      for (const row of rows) if (!this.isStale(row) && this.unsavedCold.delete(row)) saved++;
    }
    return saved;
  }

  /**
   * Gives an index to each history file that has none though it is on disk as memory holds it (a
   * data dir from before summary indexes, or an index lost to a crash): read again, so that the
   * index is made from the very bytes it describes. One file at a time, off the open's path.
   */
  async indexUnindexed(closed: () => boolean): Promise<void> {
    for (const seg of [...this.segments]) {
      if (closed()) return;
      if (seg.indexed || seg.dirty || seg.held.length || seg.rows.size === 0) continue;
      const gen = seg.gen;
      let bytes: Buffer;
      try {
        bytes = await readFile(seg.file);
      } catch {
        continue;
      }
      // Changed meanwhile (its next write indexes it), or not the file its rows were read from.
      if (closed() || seg.dirty || seg.gen !== gen) continue;
      const index = indexOf([...seg.rows], bytes);
      if (!index || seg.gen !== gen) continue;
      const written = await writeSummaryIndex(seg.file, index);
      if (seg.gen === gen) seg.indexed = written;
    }
  }
}

/** The summary index of a history file's bytes, its newlines found in them (one more than its records). */
function indexOf(rows: readonly StoreRow[], bytes: Buffer) {
  const at: number[] = [];
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) at.push(i);
  return summaryIndex(rows, bytes, at);
}
