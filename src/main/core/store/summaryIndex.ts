import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { JobOrigin, TERMINAL, type JobStatus } from '../../../shared/job';
import type { Row } from './query';
import { HistoryIndex, SCHEMA_VERSION } from './schema';

/**
 * The summary index beside each history file (history-<n>.index.json): the fields the store's
 * indexes read of every record (query.ts summarize), so that opening the store builds its rows
 * without parsing 100k records. It is only a cache: it is used while the history file's size and
 * SHA-1 are those it was made from, and ignored otherwise (a crash between the two writes, a file
 * edited by hand, any damage), when the file is read line by line as before. The records are
 * still each given their full check soon after open (jobs.ts), from the file's bytes. Its columns
 * are typed arrays (base64), so that reading one is a decode, not a check per value.
 */

export const indexFile = (historyFile: string): string => historyFile.replace(/\.json$/, '.index.json');

const sha1 = (data: Buffer): string => createHash('sha1').update(data).digest('hex');

const STATUSES = new Set<string>(TERMINAL);
const ORIGINS = new Set<string>(JobOrigin.options);

/** An index's columns, decoded. */
export interface SummaryColumns {
  count: number;
  strings: string[];
  ids: string;
  idLength: Uint32Array;
  seq: Float64Array;
  status: Int32Array;
  origin: Int32Array;
  templateId: Int32Array;
  templateName: Int32Array;
  code: Float64Array;
  noCode: ReadonlySet<number>;
  created: Float64Array;
  finished: Float64Array;
  engines: Int32Array;
  engineLists: number[][];
  newlines: Uint32Array;
}

const b64 = (a: ArrayBufferView): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

/** A column's bytes as its typed array (copied: a decoded Buffer need not be aligned for it). */
function decode<T>(text: string, make: new (b: ArrayBuffer) => T, bytesPer: number, count: number): T | undefined {
  const b = Buffer.from(text, 'base64');
  if (b.length !== bytesPer * count) return undefined;
  const copy = new ArrayBuffer(b.length);
  new Uint8Array(copy).set(b);
  return new make(copy);
}

/**
 * The index of a history file whose bytes are `bytes` (newlines at the offsets `newlines`) and
 * whose records are summarized by `rows`, in file order; undefined if a row cannot be put in one
 * (only finished jobs belong in history, and only those are indexed).
 */
export function summaryIndex(rows: readonly Row[], bytes: Buffer, newlines: number[]): HistoryIndex | undefined {
  const n = rows.length;
  if (newlines.length !== n + 1) return undefined;
  const strings: string[] = [];
  const at = new Map<string, number>();
  const str = (s: string | undefined): number => {
    if (s === undefined) return -1;
    let i = at.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      at.set(s, i);
    }
    return i;
  };
  const c = { idLength: new Uint32Array(n), seq: new Float64Array(n), status: new Int32Array(n), origin: new Int32Array(n), templateId: new Int32Array(n), templateName: new Int32Array(n), code: new Float64Array(n), created: new Float64Array(n), finished: new Float64Array(n), engines: new Int32Array(n) };
  const noCode: number[] = [];
  const engineLists: number[][] = [];
  let ids = '';
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    if (!STATUSES.has(r.status)) return undefined;
    ids += r.id;
    c.idLength[i] = r.id.length;
    c.seq[i] = r.seq;
    c.status[i] = str(r.status);
    c.origin[i] = str(r.origin);
    c.templateId[i] = str(r.templateId);
    c.templateName[i] = str(r.templateName);
    c.code[i] = r.code ?? NaN;
    if (r.code === undefined) noCode.push(i);
    c.created[i] = r.created;
    c.finished[i] = r.finished;
    if (Array.isArray(r.engines)) {
      c.engines[i] = -2 - engineLists.length;
      engineLists.push(r.engines.map(str));
    } else c.engines[i] = str(r.engines);
  }
  const columns = Object.fromEntries(Object.entries(c).map(([k, v]) => [k, b64(v)])) as Record<keyof typeof c, string>;
  return {
    format: 1,
    schemaVersion: SCHEMA_VERSION,
    size: bytes.length,
    sha1: sha1(bytes),
    endianness: endianness(),
    count: n,
    strings,
    ids,
    columns: { ...columns, newlines: b64(Uint32Array.from(newlines)) },
    noCode,
    engineLists,
  };
}

/**
 * The index of the history file `file`, whose bytes are `bytes`, if it has one that describes
 * exactly these bytes; undefined otherwise (none, unreadable, not the schema, not these bytes).
 */
export function readSummaryIndex(file: string, bytes: Buffer): SummaryColumns | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(indexFile(file), 'utf8'));
  } catch {
    return undefined;
  }
  const parsed = HistoryIndex.safeParse(raw);
  if (!parsed.success) return undefined;
  const x = parsed.data;
  if (x.schemaVersion !== SCHEMA_VERSION || x.size !== bytes.length || x.endianness !== endianness()) return undefined;
  const columns = decoded(x);
  if (!columns || !consistent(columns) || !linesOf(columns, bytes)) return undefined;
  // The costly check last.
  return sha1(bytes) === x.sha1 ? columns : undefined;
}

function decoded(x: HistoryIndex): SummaryColumns | undefined {
  const n = x.count;
  const k = x.columns;
  const idLength = decode(k.idLength, Uint32Array, 4, n);
  const seq = decode(k.seq, Float64Array, 8, n);
  const status = decode(k.status, Int32Array, 4, n);
  const origin = decode(k.origin, Int32Array, 4, n);
  const templateId = decode(k.templateId, Int32Array, 4, n);
  const templateName = decode(k.templateName, Int32Array, 4, n);
  const code = decode(k.code, Float64Array, 8, n);
  const created = decode(k.created, Float64Array, 8, n);
  const finished = decode(k.finished, Float64Array, 8, n);
  const engines = decode(k.engines, Int32Array, 4, n);
  const newlines = decode(k.newlines, Uint32Array, 4, n + 1);
  if (!idLength || !seq || !status || !origin || !templateId || !templateName || !code || !created || !finished || !engines || !newlines) return undefined;
  const noCode = new Set(x.noCode);
  return { count: n, strings: x.strings, ids: x.ids, idLength, seq, status, origin, templateId, templateName, code, noCode, created, finished, engines, engineLists: x.engineLists, newlines };
}

/** Every string where the table has one, every value one a job can hold, the ids their length. */
function consistent(x: SummaryColumns): boolean {
  const m = x.strings.length;
  const inTable = (i: number) => i >= -1 && i < m;
  let idChars = 0;
  for (let i = 0; i < x.count; i++) {
    idChars += x.idLength[i]!;
    const s = x.strings[x.status[i]!];
    const o = x.strings[x.origin[i]!];
    if (s === undefined || !STATUSES.has(s) || o === undefined || !ORIGINS.has(o)) return false;
    if (x.templateName[i]! < 0 || !inTable(x.templateName[i]!) || !inTable(x.templateId[i]!)) return false;
    const e = x.engines[i]!;
    if (e <= -2 ? !x.engineLists[-2 - e]?.every((k) => k >= 0 && k < m) : !inTable(e)) return false;
    if (Number.isNaN(x.code[i]!) ? false : !Number.isInteger(x.code[i]!)) return false;
  }
  if (idChars !== x.ids.length) return false;
  for (const i of x.noCode) if (!(i >= 0 && i < x.count && Number.isNaN(x.code[i]!))) return false;
  return true;
}

/** The newlines the index names are the file's: in order, each a newline byte. */
function linesOf(x: SummaryColumns, bytes: Buffer): boolean {
  const at = x.newlines;
  for (let i = 0; i < at.length; i++) if (bytes[at[i]!] !== 10 || (i > 0 && at[i]! <= at[i - 1]!)) return false;
  return true;
}

/**
 * Fills each row from the index (what query.ts summarize fills from a record): `row(i)` makes row
 * i, empty, for `fill` to complete. The id string is cut from the ids as it goes.
 */
export function fillRows<R extends Row>(x: SummaryColumns, row: (i: number) => R): R[] {
  const s = x.strings;
  const out = new Array<R>(x.count);
  let from = 0;
  for (let i = 0; i < x.count; i++) {
    const r = row(i);
    const t = x.templateId[i]!;
    const e = x.engines[i]!;
    const to = from + x.idLength[i]!;
    r.status = s[x.status[i]!] as JobStatus;
    r.id = x.ids.slice(from, to);
    from = to;
    r.seq = x.seq[i]!;
    r.templateId = t < 0 ? undefined : s[t];
    r.templateName = s[x.templateName[i]!]!;
    r.origin = s[x.origin[i]!] as JobOrigin;
    const code = x.code[i]!;
    r.code = Number.isNaN(code) ? (x.noCode.has(i) ? undefined : null) : code;
    r.created = x.created[i]!;
    r.finished = x.finished[i]!;
    r.engines = e <= -2 ? x.engineLists[-2 - e]!.map((k) => s[k]!) : e < 0 ? undefined : s[e];
    out[i] = r;
  }
  return out;
}

let temps = 0;

/**
 * Writes a history file's index (temp file, then rename: a crash leaves the old index or the new,
 * each checked against the file at open). A failure (a full disk) only costs the next open its
 * speed: it is not reported, and no index is left that could be taken for this one.
 */
export async function writeSummaryIndex(historyFile: string, x: HistoryIndex): Promise<boolean> {
  const file = indexFile(historyFile);
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}-${++temps}.tmp`);
  try {
    await writeFile(tmp, JSON.stringify(x));
    await rename(tmp, file);
    return true;
  } catch {
    await rm(tmp, { force: true }).catch(() => undefined);
    await rm(file, { force: true }).catch(() => undefined);
    return false;
  }
}

/** A history file removed, or written with records that are not indexed: its index goes too. */
export function removeSummaryIndex(historyFile: string): void {
  try {
    rmSync(indexFile(historyFile), { force: true });
  } catch {
    // Stale, it is ignored at open anyway (its size and hash no longer match).
  }
}
