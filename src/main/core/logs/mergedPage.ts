import type { LogChunk, LogStream } from '../../../shared/ipc';
import { parseLine, toChunk } from './format';

const STREAM: Record<string, LogStream> = { o: 'stdout', e: 'stderr' };
const BACKSLASH = 0x5c;
/** `{"t":"` … `","s":"` x `","d":"` … `"}`: the record exactly as AttemptLogWriter writes one. */
const HEAD = '{"t":"';
const S_KEY = '","s":"';
const D_KEY = '","d":"';

/**
 * A record's time, stream and text, read by position without parsing the record; undefined for
 * any other shape (a masked line with "n", the truncation marker, a system note, a torn line),
 * which the caller then parses in full.
 */
export function writerFields(raw: string): { t: string; stream: LogStream; data: string } | undefined {
  if (!raw.startsWith(HEAD) || !raw.endsWith('"}')) return undefined;
  const tEnd = raw.indexOf('"', HEAD.length);
  // An ISO time has no escapes: a backslash before its quote is another kind of record.
  if (tEnd < 0 || raw.charCodeAt(tEnd - 1) === BACKSLASH || !raw.startsWith(S_KEY, tEnd)) return undefined;
  const stream = STREAM[raw[tEnd + S_KEY.length] ?? ''];
  const bodyStart = tEnd + S_KEY.length + 1 + D_KEY.length;
  const bodyEnd = raw.length - 2;
  if (!stream || !raw.startsWith(D_KEY, tEnd + S_KEY.length + 1) || bodyStart > bodyEnd) return undefined;
  const slash = raw.indexOf('\\', bodyStart);
  // Most output is plain text with at most its closing newline escaped: taken as it is.
  if (slash < 0 || slash >= bodyEnd) return { t: raw.slice(HEAD.length, tEnd), stream, data: raw.slice(bodyStart, bodyEnd) };
  if (slash === bodyEnd - 2 && raw.charCodeAt(slash + 1) === 0x6e) return { t: raw.slice(HEAD.length, tEnd), stream, data: `${raw.slice(bodyStart, slash)}\n` };
  return undefined;
}

/**
 * The records of a page as chunks, adjacent entries of one stream merged into one chunk stamped
 * with the first one's time (Jobdeck's own notes kept apart). Records as the writer writes them
 * are read by position (writerFields) rather than parsed one by one: a page of short lines is a
 * thousand records or more, and a JSON.parse of each was most of what serving a pane cost.
 */
export function mergedChunks(records: readonly string[], attempt: number): LogChunk[] {
  const chunks: LogChunk[] = [];
  let last: LogChunk | undefined;
  /** Texts of the run of one stream being gathered into `last` (joined once, not one += each). */
  let parts: string[] = [];
  const close = () => {
    if (last && parts.length > 1) last.data = parts.join('');
    parts = [];
  };
  for (const raw of records) {
    if (!raw) continue;
    const f = writerFields(raw);
    if (f && last?.stream === f.stream) {
      parts.push(f.data);
      continue;
    }
    const chunk = f ? { attempt, stream: f.stream, t: f.t, data: f.data } : rest(raw, attempt);
    if (!chunk) continue;
    if (last && last.stream === chunk.stream && chunk.stream !== 'system') {
      parts.push(chunk.data);
      continue;
    }
    close();
    chunks.push((last = chunk));
    parts = [chunk.data];
  }
  close();
  return chunks;
}

function rest(raw: string, attempt: number): LogChunk | undefined {
  const line = parseLine(raw);
  return line && toChunk(attempt, line);
}
