import { copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { z } from 'zod';
import type { Job } from '../../../shared/job';
import { newRow, type StoreRow } from './history';
import { lineSource, splitLines } from './lines';
import { firstIssue, isWellFormedRecord, parseRecord } from './records';
import { migrate, NewerSchemaError, SCHEMA_VERSION } from './schema';

export interface StoreProblem {
  message: string;
  file?: string;
}

export type Loaded<T> = { kind: 'missing' } | { kind: 'ok'; data: T; migratedFrom?: number } | { kind: 'quarantined'; problem: StoreProblem };

/** A store file read and migrated, not yet checked: reading has no side effects. */
export type Read = { kind: 'missing' } | { kind: 'damaged'; why: string } | { kind: 'read'; raw: Record<string, unknown>; from: unknown; text: string };

/**
 * Read one store file without touching anything. Missing → 'missing'. Empty, not JSON, not an
 * object, a migration that fails → 'damaged' (the caller sets it aside once every file is read).
 * Written by a newer Jobdeck → NewerSchemaError; unreadable (permissions, a directory in its
 * place) → an error: nothing can safely replace either. Read with fs rather than lowdb's adapter
 * so that a missing file and a file holding `null` differ.
 */
export function readStoreFile(file: string): Read {
  const text = readStoreText(file);
  return text === undefined ? { kind: 'missing' } : parseStoreText(file, text);
}

/** A store file's text; undefined if it is missing; an error if it cannot be read. */
function readStoreText(file: string): string | undefined {
  return readStoreBytes(file)?.toString('utf8');
}

/** readStoreText's bytes, not decoded. */
export function readStoreBytes(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${file} could not be read: ${errorText(error)}`, { cause: error });
  }
}

/** readStoreFile of a text already read. */
export function parseStoreText(file: string, text: string): Read {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { kind: 'damaged', why: text.trim() === '' ? 'it is empty' : `it is not valid JSON (${errorText(error)})` };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { kind: 'damaged', why: 'it does not hold a Jobdeck store' };
  const from = (raw as { schemaVersion?: unknown }).schemaVersion;
  try {
    return { kind: 'read', raw: migrate(raw as Record<string, unknown>), from, text };
  } catch (error) {
    if (error instanceof NewerSchemaError) {
      error.message = `${file}: ${error.message}`;
      throw error;
    }
    return { kind: 'damaged', why: `its schema could not be migrated (${errorText(error)})` };
  }
}

/**
 * Check a read file: damaged or not matching → moved aside as `<name>.corrupt-<time>.json` and
 * reported, never overwritten, never silently dropped. A migrated file keeps its old version
 * beside it.
 */
export function settle<T>(file: string, read: Read, check: (raw: Record<string, unknown>) => { ok: true; data: T } | { ok: false; issue: string }): Loaded<T> {
  if (read.kind === 'missing') return read;
  if (read.kind === 'damaged') return quarantine(file, read.why);
  const checked = check(read.raw);
  if (!checked.ok) return quarantine(file, `its contents do not match the store schema (${checked.issue})`);
  const from = read.from;
  if (typeof from === 'number' && from < SCHEMA_VERSION) {
    // The old file stays beside the new one: a migration that went wrong can be undone by hand.
    const backup = file.replace(/\.json$/, `.v${from}.backup.json`);
    if (!existsSync(backup)) copyFileSync(file, backup);
    return { kind: 'ok', data: checked.data, migratedFrom: from };
  }
  return { kind: 'ok', data: checked.data };
}

/** The full zod check, for the hot file. */
export function bySchema<S extends z.ZodType>(schema: S) {
  return (raw: Record<string, unknown>): { ok: true; data: z.infer<S> } | { ok: false; issue: string } => {
    const parsed = schema.safeParse(raw);
    return parsed.success ? { ok: true, data: parsed.data } : { ok: false, issue: firstIssue(parsed.error) };
  };
}

export interface HistoryRecords {
  /** Every record; all but those at the indexes in `parsed` not parsed yet (see records.ts). */
  jobs: Job[];
  parsed: Set<number>;
  /**
   * Instead of `jobs`, for a file one record a line (lines.ts): a row per record, its job the
   * parsed one where it was parsed at open and otherwise left as text (not yet in a history file).
   */
  rows?: StoreRow[];
}

/**
 * The cheap check for a history file: the version (already migrated), the list, and each record's
 * shape as far as the store reads it before parsing it (records.ts); a record that fails that is
 * parsed now, and one that fails the parse costs the file, as with the full check.
 */
export function checkHistory(raw: Record<string, unknown>, read?: Read): { ok: true; data: HistoryRecords } | { ok: false; issue: string } {
  if (typeof raw.schemaVersion !== 'number' || !Number.isInteger(raw.schemaVersion)) return { ok: false, issue: 'schemaVersion: expected an integer' };
  const list = raw.jobs;
  if (!Array.isArray(list)) return { ok: false, issue: 'jobs: expected an array' };
  const jobs: Job[] = new Array<Job>(list.length);
  const parsed = new Set<number>();
  for (let i = 0; i < list.length; i++) {
    const r: unknown = list[i];
    if (isWellFormedRecord(r)) {
      jobs[i] = r as Job;
      continue;
    }
    const p = parseRecord(r, `jobs.${i}`);
    if (!p.ok) return { ok: false, issue: p.issue };
    jobs[i] = p.job;
    parsed.add(i);
  }
  // Not migrated (a migration rewrites records, and its lines would be the old ones).
  const lines = read?.kind === 'read' && read.from === SCHEMA_VERSION ? lineSource(read.text, jobs.length) : undefined;
  if (!lines) return { ok: true, data: { jobs, parsed } };
  // The parsed records go now, young (keeping 100k of them through the load is what cost).
  const rows = jobs.map((j, i) => (parsed.has(i) ? newRow(j, j, undefined, false) : newRow(j, undefined, undefined, true, lines, i)));
  return { ok: true, data: { jobs: [], parsed: new Set(), rows } };
}

/**
 * A history file one record a line (lines.ts) in this version's schema, read line by line: each
 * record is parsed on its own and gone once its row has what the indexes read, so the load never
 * holds a file's parsed records at once (the garbage collector copying those, young generation to
 * old, cost more than the parse). Every line is parsed, so the file's syntax is checked as a
 * whole-file parse checks it, and each record as checkHistory checks it. Undefined if any line
 * does not parse or a record fails its check: the file is then read whole, which says what is
 * wrong as before (or reads a file whose lines only look like records).
 */
export function readHistoryLines(text: string): HistoryRecords | undefined {
  const src = splitLines(text);
  if (!src) return undefined;
  const { count, newlines } = src;
  const rows = new Array<StoreRow>(count);
  for (let i = 0; i < count; i++) {
    let r: unknown;
    try {
      // Line i without its comma (splitLines saw one ends each line but the last).
      r = JSON.parse(text.slice(newlines![i]! + 1, newlines![i + 1]! - (i < count - 1 ? 1 : 0)));
    } catch {
      return undefined;
    }
    if (isWellFormedRecord(r)) {
      rows[i] = newRow(r as Job, undefined, undefined, true, src, i);
      continue;
    }
    const p = parseRecord(r);
    if (!p.ok) return undefined;
    rows[i] = newRow(p.job, p.job, undefined, false);
  }
  return { jobs: [], parsed: new Set(), rows };
}

export function quarantine(file: string, why: string): Loaded<never> {
  let moved: string;
  try {
    moved = freeName(file);
    renameSync(file, moved);
  } catch (error) {
    // Could not set it aside: refuse to start rather than write over the only copy.
    throw new Error(`${file} is damaged (${why}) and could not be moved aside: ${errorText(error)}`, { cause: error });
  }
  return {
    kind: 'quarantined',
    problem: {
      message: `${basename(file)} could not be read: ${why}. It was moved to ${moved} and Jobdeck started without its contents.`,
      file: moved,
    },
  };
}

/**
 * One record of a history file that failed its full check when it was first read: written on its
 * own to `<name>.corrupt-<time>.json` (a history file holding just it). Throws if it cannot be.
 */
export function quarantineRecord(file: string, record: unknown): string {
  const moved = freeName(file);
  writeFileSync(moved, JSON.stringify({ schemaVersion: SCHEMA_VERSION, jobs: [record] }), { flag: 'wx' });
  return moved;
}

/** `<name>.corrupt-<time>.<ext>`, never the name of an earlier quarantined file. */
export function freeName(file: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const ext = /\.[a-z]+$/.exec(file)?.[0] ?? '';
  const base = file.slice(0, file.length - ext.length);
  let moved = `${base}.corrupt-${stamp}${ext}`;
  for (let i = 1; existsSync(moved); i++) moved = `${base}.corrupt-${stamp}-${i}${ext}`;
  return moved;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
