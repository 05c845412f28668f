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
  readonly text: string;
  /** Where each newline is: record i lies between newline i and newline i + 1. */
  readonly newlines: Uint32Array;
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
 * The line index of a file's text, if it is in the form above with one record a line for each
 * of the `count` records the parse found; undefined for any other form (an older file, one
 * edited by hand), whose records are then kept as parsed.
 */
export function lineSource(text: string, count: number): LineSource | undefined {
  const head = header();
  if (!text.startsWith(head) || !text.endsWith(FOOTER)) return undefined;
  const newlines = new Uint32Array(count + 1);
  let n = 0;
  for (let at = text.indexOf('\n', head.length - 1); at !== -1; at = text.indexOf('\n', at + 1)) {
    if (n > count) return undefined;
    newlines[n++] = at;
  }
  if (n !== count + 1 || newlines[0] !== head.length) return undefined;
  return { text, newlines };
}

/** Record i's text (its trailing comma left out). */
export function recordText(src: LineSource, i: number): string {
  const from = src.newlines[i]! + 1;
  let to = src.newlines[i + 1]!;
  if (src.text.charCodeAt(to - 1) === 44 /* , */) to--;
  return src.text.slice(from, to);
}

/**
 * Record i, as JSON.parse gives it (not checked yet). Its line is its record in every file this
 * version writes; should a file's lines only look so (edited by hand), the whole text is parsed
 * again for it instead.
 */
export function recordAt(src: LineSource, i: number, id: string): Job {
  try {
    const j = JSON.parse(recordText(src, i)) as Job | null;
    if (j?.id === id) return j;
  } catch {
    // not a record of its own: below
  }
  return (JSON.parse(src.text) as { jobs: Job[] }).jobs[i]!;
}

/** What lowdb's writer writes as it is: a document already serialized (a history file's lines). */
export class JsonText {
  constructor(readonly text: string) {}
  /** For a writer that serializes by itself (tests inject those). */
  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}
