import type { Job } from '../../../shared/job';
import { SCHEMA_VERSION } from './schema';

/**
 * History files as this version writes them: still one JSON document, but one record a line
 * (`{"schemaVersion":1,"jobs":[` then `\n<record>,` … `\n<record>` and `\n]}`). JSON.stringify
 * never writes a raw newline, so the newlines are exactly the record bounds. At open the whole
 * file is parsed as before (its syntax, version and every record's shape checked), but the
 * records' objects are not kept: each row keeps what the indexes read, and its record stays text
 * here until it is first read or the background check parses it. Keeping 100k parsed jobs alive
 * through the load was most of its cost (the garbage collector copying them), not the parse.
 */
export interface LineSource {
  /**
   * The file's text; or its bytes, when it was opened through its summary index
   * (summaryIndex.ts) and so never decoded whole: a line is decoded when it is read. A newline
   * byte is never part of a longer UTF-8 character, so byte offsets bound the lines just as well.
   */
  readonly text: string | Buffer;
  /** Records the parse found. */
  readonly count: number;
  /**
   * Where each newline is (record i lies between newline i and newline i + 1), found when a
   * record is first wanted: not on the load's path.
   */
  newlines?: Uint32Array;
  /** The records as parsed, for a text whose lines turned out not to be its records. */
  parsed?: Job[];
}

const header = () => `{"schemaVersion":${SCHEMA_VERSION},"jobs":[`;
const FOOTER = '\n]}';

/** The text of a history file: `records` are JSON texts, one a line. */
export function historyText(records: string[]): string {
  let text = header();
  for (let i = 0; i < records.length; i++) text += (i === 0 ? '\n' : ',\n') + records[i]!;
  return text + FOOTER;
}

/**
 * The text of a file in the form above, holding the `count` records the parse found; undefined
 * for any other form (an older file), whose records are then kept as parsed. That each line is a
 * record is checked when the lines are first indexed (indexed).
 */
export function lineSource(text: string, count: number): LineSource | undefined {
  const head = header();
  if (!text.startsWith(head) || !text.endsWith(FOOTER) || text.charCodeAt(head.length) !== 10) return undefined;
  return { text, count };
}

/**
 * The text of a file in the form above with its lines found, each but the last ending in its comma;
 * undefined for a text not in that form. Whether each line parses as a record is the caller's to
 * see (files.ts readHistoryLines): a text whose lines do not is read whole instead.
 */
export function splitLines(text: string): LineSource | undefined {
  const head = header();
  if (!text.startsWith(head) || !text.endsWith(FOOTER) || text.charCodeAt(head.length) !== 10) return undefined;
  const at: number[] = [];
  for (let i = head.length; i !== -1; i = text.indexOf('\n', i + 1)) at.push(i);
  const count = at.length - 1;
  for (let i = 1; i < count; i++) if (text.charCodeAt(at[i]! - 1) !== 44 /* , */) return undefined;
  // `[…,\n]` is not JSON.
  if (count > 0 && text.charCodeAt(at[count]! - 1) === 44) return undefined;
  return { text, count, newlines: Uint32Array.from(at) };
}

const codeAt = (t: string | Buffer, i: number): number => (typeof t === 'string' ? t.charCodeAt(i) : t[i]!);
const slice = (t: string | Buffer, from: number, to: number): string => (typeof t === 'string' ? t.slice(from, to) : t.toString('utf8', from, to));
const wholeRecords = (t: string | Buffer): Job[] => (JSON.parse(typeof t === 'string' ? t : t.toString('utf8')) as { jobs: Job[] }).jobs;

/** The newlines of the text, one more than its records, or undefined if they are not that. */
function indexed(src: LineSource): Uint32Array | undefined {
  if (src.newlines || src.parsed) return src.newlines;
  const { text, count } = src;
  const newlines = new Uint32Array(count + 1);
  let n = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) {
    if (n > count) break;
    newlines[n++] = at;
  }
  if (n === count + 1) src.newlines = newlines;
  else src.parsed = wholeRecords(text);
  return src.newlines;
}

/** Line i's text (its trailing comma left out): record i's where the lines are the records. */
export function lineText(src: LineSource, i: number): string {
  const newlines = indexed(src);
  if (!newlines) return JSON.stringify(src.parsed![i]);
  const from = newlines[i]! + 1;
  let to = newlines[i + 1]!;
  if (codeAt(src.text, to - 1) === 44 /* , */) to--;
  return slice(src.text, from, to);
}

/**
 * Record i, as JSON.parse gives it (not checked yet). Its line is its record in every file this
 * version writes; should a file's lines only look so (edited by hand), the whole text is parsed
 * again for it instead.
 */
export function recordAt(src: LineSource, i: number, id: string): Job {
  if (indexed(src)) {
    try {
      const j = JSON.parse(lineText(src, i)) as Job | null;
      if (j?.id === id) return j;
    } catch {
      // not a record of its own: below
    }
    src.parsed = wholeRecords(src.text);
    src.newlines = undefined;
  }
  return src.parsed![i]!;
}

/**
 * Record i's text, to be written again: its line, once that is seen to parse as the record with
 * this id. A file whose lines only look like its records (edited by hand: one record over two
 * lines, two on one) would otherwise be written back as pieces of records, which cost the whole
 * file at the next start.
 */
export function recordText(src: LineSource, i: number, id: string): string {
  if (indexed(src)) {
    const line = lineText(src, i);
    try {
      if ((JSON.parse(line) as Job | null)?.id === id) return line;
    } catch {
      // not a record of its own
    }
  }
  return JSON.stringify(recordAt(src, i, id));
}

/** What lowdb's writer writes as it is: a document already serialized (a history file's lines). */
export class JsonText {
  constructor(readonly text: string) {}
  /** For a writer that serializes by itself (tests inject those). */
  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}
