import { open, type FileHandle } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { AppError } from '../../../shared/errors';
import { LineSplitter, plainText, type LogLine, type LogMatch, type LogSearchResult, type LogStream } from '../../../shared/logLines';
import { parseLine, toChunk } from './format';

/** Bytes read from the log file at a time: the scan holds one block and one line, never the file. */
const BLOCK = 1 << 20;
/** Characters of a matched line sent back: enough to read it around the match. */
const SNIPPET = 300;

/**
 * Every numbered line of an attempt's log file (logs/<job>/<attempt>.jsonl), in order, streamed
 * block by block; `onLine` returns false to stop early. A missing file is an empty log. Returns
 * how many lines the log has (what it counted before a stop). A promise returned by `onLine` (a
 * full socket) is awaited before the next line: backpressure for a download.
 */
export async function scanLines(file: string, onLine: (line: LogLine) => boolean | void | Promise<void>): Promise<number> {
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch {
    return 0;
  }
  const splitter = new LineSplitter();
  let stopped = false;
  const waits: Promise<void>[] = [];
  const emit = (line: LogLine) => {
    if (stopped) return;
    const r = onLine(line);
    if (r === false) stopped = true;
    else if (r instanceof Promise) waits.push(r);
  };
  const drain = async () => {
    while (waits.length) await waits.shift();
  };
  try {
    const buf = Buffer.alloc(BLOCK);
    const decoder = new StringDecoder('utf8'); // a character may straddle two blocks
    let carry = '';
    for (let at = 0; ; ) {
      const { bytesRead } = await fh.read(buf, 0, BLOCK, at);
      if (bytesRead === 0) break;
      at += bytesRead;
      const records = (carry + decoder.write(buf.subarray(0, bytesRead))).split('\n');
      // The last record may be unfinished (still being written): it waits for the next block.
      carry = records.pop() ?? '';
      for (const raw of records) {
        const rec = raw ? parseLine(raw) : undefined;
        if (!rec) continue;
        const c = toChunk(0, rec);
        splitter.push(c.stream, c.t, c.data, emit);
        if (waits.length) await drain();
      }
      if (stopped) break;
    }
    splitter.end(emit);
    await drain();
    return splitter.count;
  } finally {
    await fh.close();
  }
}

export interface SearchOptions {
  query: string;
  regex: boolean;
  caseSensitive: boolean;
  limit: number;
  streams?: readonly LogStream[];
}

/** Where a query first matches a line, or undefined. A bad regex is the user's error, said in their terms. */
export function matcher(o: Pick<SearchOptions, 'query' | 'regex' | 'caseSensitive'>): (text: string) => [number, number] | undefined {
  if (o.regex) {
    let re: RegExp;
    try {
      re = new RegExp(o.query, o.caseSensitive ? 'u' : 'iu');
    } catch (error) {
      throw new AppError('VALIDATION', `not a valid regular expression: ${(error as Error).message}`, [{ path: 'query', message: 'not a valid regular expression' }]);
    }
    return (text) => {
      const m = re.exec(text);
      // An empty match (e.g. /x*/) would mark every line: only a match of some text counts.
      return m && m[0].length > 0 ? [m.index, m.index + m[0].length] : undefined;
    };
  }
  const needle = o.caseSensitive ? o.query : o.query.toLowerCase();
  return (text) => {
    const at = (o.caseSensitive ? text : text.toLowerCase()).indexOf(needle);
    return at < 0 ? undefined : [at, at + needle.length];
  };
}

/** The lines of the log that match, with a count of all of them; over plain text (colour codes out). */
export async function searchLog(file: string, o: SearchOptions): Promise<LogSearchResult> {
  const match = matcher(o);
  const matches: LogMatch[] = [];
  let total = 0;
  const lines = await scanLines(file, (line) => {
    if (o.streams && !o.streams.includes(line.stream)) return;
    const text = plainText(line.text);
    const hit = match(text);
    if (!hit) return;
    total++;
    if (matches.length < o.limit) matches.push({ n: line.n, stream: line.stream, ...snippet(text, hit) });
  });
  return { matches, total, lines };
}

/** A long line cut around its match; start/end then count from the cut. */
function snippet(text: string, [start, end]: [number, number]): { text: string; start: number; end: number } {
  if (text.length <= SNIPPET) return { text, start, end };
  const from = Math.max(0, Math.min(start - 100, text.length - SNIPPET));
  return { text: text.slice(from, from + SNIPPET), start: start - from, end: Math.min(end, from + SNIPPET) - from };
}
