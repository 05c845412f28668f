import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { LineSplitter, type LogLine, type LogLinesPage, type LogStream, type LogTail } from '../../../shared/logLines';
import { writerFields } from './mergedPage';
import { parseLine, toChunk } from './format';

/** Bytes read at a time; each block starts on a record boundary (a checkpoint). */
const BLOCK = 1 << 20;
const NL = 0x0a;
const BACKSLASH = 0x5c;

/** A record boundary of the log file, with how many newlines the log's text holds before it. */
interface Checkpoint {
  offset: number;
  newlines: number;
  /** The text before it ends in '\n' (or there is none): a line starts here. Unknown counts as no. */
  lineStart: boolean;
}

/**
 * The last `count` numbered lines of an attempt's log (of the chosen streams), as `docker logs
 * --tail` gives them, numbered as the whole log numbers them (shared/logLines.ts), and the file
 * offset where they end so a pane follows on from there with logs.read and live chunks.
 *
 * Numbering the tail needs the count of every line before it. Parsing a million records for that
 * was what made a long log slow to open; instead one pass counts the text's newlines in the raw
 * bytes (a newline in a record's text is always the two bytes `\n` of a JSON escape, and nothing
 * outside a record's text has a backslash), leaving a checkpoint at each block. Only the records
 * from the last checkpoint before the tail are then parsed (further back, doubling, when a stream
 * filter leaves too few lines there).
 */
export function tailLines(file: string, o: { count: number; streams?: readonly LogStream[] }): LogTail {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return { lines: [], total: 0, hasEarlier: false, offset: 0, open: false };
  }
  try {
    const { checkpoints, end } = countNewlines(fd);
    let from = checkpointBefore(checkpoints, end, (cp) => cp.newlines <= Math.max(0, (checkpoints.at(-1)?.newlines ?? 0) - o.count));
    for (;;) {
      const got = parseFrom(fd, from, end, o);
      if (got.lines.length >= o.count || from.offset === 0) return got;
      // A filter left too few lines after this checkpoint: twice as far back from the end.
      const back = Math.max(0, end - 2 * (end - from.offset));
      from = checkpointBefore(checkpoints, end, (cp) => cp.offset <= back);
    }
  } finally {
    closeSync(fd);
  }
}

/** The latest checkpoint at a line start that `ok` accepts; the file's start when none is. */
function checkpointBefore(checkpoints: readonly Checkpoint[], end: number, ok: (cp: Checkpoint) => boolean): Checkpoint {
  for (let i = checkpoints.length - 1; i >= 0; i--) {
    const cp = checkpoints[i]!;
    if (cp.offset < end && cp.lineStart && ok(cp)) return cp;
  }
  return { offset: 0, newlines: 0, lineStart: true };
}

/**
 * One pass over the file's whole records (a last one still being written is left out): the
 * newlines of the text, a checkpoint at each block's start, and where the whole records end.
 */
function countNewlines(fd: number): { checkpoints: Checkpoint[]; end: number; newlines: number; lineStart: boolean } {
  const size = fstatSync(fd).size;
  const checkpoints: Checkpoint[] = [];
  let newlines = 0;
  let lineStart = true;
  let at = 0;
  let buf = Buffer.allocUnsafe(BLOCK);
  while (at < size) {
    let got = readFully(fd, buf, at, Math.min(buf.length, size - at));
    let cut = buf.lastIndexOf(NL, got - 1) + 1;
    while (cut === 0 && at + got < size) {
      // One record longer than the block: a larger block.
      buf = Buffer.allocUnsafe(buf.length * 2);
      got = readFully(fd, buf, at, Math.min(buf.length, size - at));
      cut = buf.lastIndexOf(NL, got - 1) + 1;
    }
    if (cut === 0) break; // only an unfinished record is left
    checkpoints.push({ offset: at, newlines, lineStart });
    // latin1: one character per byte, and bytes of a UTF-8 sequence are never a backslash or 'n'.
    const text = buf.toString('latin1', 0, cut);
    for (let i = text.indexOf('\\n'); i >= 0; i = text.indexOf('\\n', i + 2)) {
      // Escaped only if an even number of backslashes come before it (`\\n` is a backslash and 'n').
      let k = i - 1;
      while (k >= 0 && text.charCodeAt(k) === BACKSLASH) k--;
      if ((i - 1 - k) % 2 === 0) newlines++;
    }
    lineStart = endsLine(buf.subarray(0, cut), lineStart);
    at += cut;
  }
  return { checkpoints, end: at, newlines, lineStart };
}

/**
 * Whether the text after these records starts a line: the last record with text ends in '\n'
 * (records without text, or that do not parse, change nothing, as for scanLines).
 */
function endsLine(records: Buffer, before: boolean): boolean {
  for (let end = records.length - 1; end > 0; ) {
    const start = records.lastIndexOf(NL, end - 1) + 1;
    const line = parseLine(records.subarray(start, end).toString('utf8'));
    if (line && line.d !== '') return line.d.endsWith('\n');
    end = start - 1;
  }
  return before;
}

function readFully(fd: number, buf: Buffer, position: number, length: number): number {
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

/**
 * The records from `from` to `end` as numbered lines (numbered as the whole log numbers them),
 * each to `emit` until it returns false; how many lines they hold and whether the last is unfinished.
 */
function scanFrom(fd: number, from: Checkpoint, end: number, emit: (line: LogLine) => boolean | void): { count: number; open: boolean } {
  const splitter = new LineSplitter();
  let stopped = false;
  const each = (l: LogLine) => {
    if (!stopped && emit({ ...l, n: l.n + from.newlines }) === false) stopped = true;
  };
  // Block by block, each cut after a record's newline (so no UTF-8 sequence is cut either).
  let buf = Buffer.allocUnsafe(BLOCK);
  for (let at = from.offset; at < end && !stopped; ) {
    let got = readFully(fd, buf, at, Math.min(buf.length, end - at));
    let cut = buf.lastIndexOf(NL, got - 1) + 1;
    while (cut === 0 && got < end - at) {
      buf = Buffer.allocUnsafe(buf.length * 2);
      got = readFully(fd, buf, at, Math.min(buf.length, end - at));
      cut = buf.lastIndexOf(NL, got - 1) + 1;
    }
    if (cut === 0) break;
    for (const raw of buf.toString('utf8', 0, cut).split('\n')) {
      if (!raw) continue;
      const c = writerFields(raw) ?? rest(raw);
      if (c) splitter.push(c.stream, c.t, c.data, each);
      if (stopped) break;
    }
    at += cut;
  }
  let open = false;
  if (!stopped)
    splitter.end((l) => {
      open = true;
      each(l);
    });
  return { count: splitter.count, open };
}

/** The records from `from` to `end` parsed into numbered lines; the last `count` of the chosen streams kept. */
function parseFrom(fd: number, from: Checkpoint, end: number, o: { count: number; streams?: readonly LogStream[] }): LogTail {
  const kept: LogLine[] = [];
  let dropped = 0;
  const trim = (to: number) => {
    if (kept.length <= to) return;
    dropped += kept.length - o.count;
    kept.splice(0, kept.length - o.count);
  };
  const { count, open } = scanFrom(fd, from, end, (l) => {
    if (o.streams && !o.streams.includes(l.stream)) return;
    kept.push(l);
    trim(2 * o.count);
  });
  trim(o.count);
  return {
    lines: kept,
    total: from.newlines + count,
    // Lines of other streams only may come before a checkpoint: said as "maybe" (true).
    hasEarlier: dropped > 0 || (from.offset > 0 && kept.length >= o.count),
    offset: end,
    open,
  };
}

/**
 * `count` lines from line `from` on (of the chosen streams), as the whole-file read answered (test/support/logOracle.ts),
 * without parsing the records before the last checkpoint ahead of `from`: a window of earlier
 * lines near the end of a million-line log is then a count and a short parse, not a full parse.
 */
export function linesFrom(file: string, o: { from: number; count: number; streams?: readonly LogStream[] }): LogLinesPage {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return { lines: [], total: 0, hasMore: false };
  }
  try {
    const { checkpoints, end, newlines, lineStart } = countNewlines(fd);
    const start = checkpointBefore(checkpoints, end, (cp) => cp.newlines < o.from);
    const lines: LogLine[] = [];
    let hasMore = false;
    scanFrom(fd, start, end, (l) => {
      if (l.n < o.from || (o.streams && !o.streams.includes(l.stream))) return;
      if (lines.length < o.count) lines.push(l);
      else return !(hasMore = true);
    });
    return { lines, total: newlines + (lineStart ? 0 : 1), hasMore };
  } finally {
    closeSync(fd);
  }
}

function rest(raw: string): { stream: LogStream; t: string; data: string } | undefined {
  const line = parseLine(raw);
  return line && toChunk(0, line);
}
