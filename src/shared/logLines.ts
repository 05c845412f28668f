import { z } from 'zod';

/** Which output a piece of a log came from; `system` is Jobdeck's own notes. */
export const LogStream = z.enum(['stdout', 'stderr', 'system']);
export type LogStream = z.infer<typeof LogStream>;

/**
 * A log as numbered lines, the one rule the pane (numbers it draws) and the host (search, pages,
 * downloads) share, so "line 12345" is the same line on both sides: a line is the text up to a
 * '\n' across chunks, whatever stream wrote it; it belongs to the stream and time of its first
 * piece. (The executor keeps a stream's unfinished line back until its rest comes, so another
 * stream's text lands between lines, not inside one.) Lines are numbered from 1 over the whole
 * log, filters or not (as `grep -n` does).
 */
export const LogLine = z.object({
  n: z.number().int().positive(),
  stream: LogStream,
  /** ISO time of the line's first piece. */
  t: z.string(),
  /** Without its '\n'. */
  text: z.string(),
});
export type LogLine = z.infer<typeof LogLine>;

export class LineSplitter {
  private n = 0;
  private open: { stream: LogStream; t: string; parts: string[] } | undefined;

  /** Lines numbered so far, the unfinished one included. */
  get count(): number {
    return this.n;
  }

  push(stream: LogStream, t: string, data: string, emit: (line: LogLine) => void): void {
    let at = 0;
    while (at < data.length) {
      const nl = data.indexOf('\n', at);
      const piece = nl < 0 ? data.slice(at) : data.slice(at, nl);
      if (!this.open) {
        this.n++;
        this.open = { stream, t, parts: [] };
      }
      if (piece) this.open.parts.push(piece);
      if (nl < 0) return;
      emit({ n: this.n, stream: this.open.stream, t: this.open.t, text: this.open.parts.join('') });
      this.open = undefined;
      at = nl + 1;
    }
  }

  /** The last line when the log does not end in '\n'. */
  end(emit: (line: LogLine) => void): void {
    if (this.open) emit({ n: this.n, stream: this.open.stream, t: this.open.t, text: this.open.parts.join('') });
    this.open = undefined;
  }
}

// CSI and OSC sequences, and a bare ESC with one following character: what a terminal draws as nothing.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]/g;

/** A line as a person reads it: colour codes out (programs colour their own output), a final \r out. */
export function plainText(text: string): string {
  return text.replace(ANSI, '').replace(/\r$/, '');
}

const LogRef = {
  id: z.string().min(1).max(100),
  attempt: z.number().int().positive().optional(),
  /** Only these streams' lines (the pane's filter); all when absent. */
  streams: z.array(LogStream).min(1).optional(),
};

/** Search over a whole attempt's log, in the host, line by line. */
export const LogSearchInput = z
  .object({
    ...LogRef,
    query: z.string({ error: 'Type something to search for' }).min(1, { error: 'Type something to search for' }).max(1000),
    regex: z.boolean().default(false),
    caseSensitive: z.boolean().default(false),
    /** Matches returned; `total` counts them all. */
    limit: z.number().int().min(1).max(10_000).default(1000),
  })
  .strict();
export const LogMatch = z.object({
  n: z.number().int().positive(),
  stream: LogStream,
  /** Where the first match starts and ends in the line's plain text (UTF-16 units). */
  start: z.number().int().min(0),
  end: z.number().int().min(0),
  /** The line's plain text, cut to about 300 characters around the match. */
  text: z.string(),
});
export type LogMatch = z.infer<typeof LogMatch>;
export const LogSearchResult = z.object({
  matches: z.array(LogMatch),
  /** Lines that match, all of them (matches holds the first `limit`). */
  total: z.number().int().min(0),
  /** Lines in the log (all streams). */
  lines: z.number().int().min(0),
});
export type LogSearchResult = z.infer<typeof LogSearchResult>;

/** Numbered lines of an attempt's log from line `from`: what the pane shows before its tail. */
export const LogLinesInput = z
  .object({
    ...LogRef,
    from: z.number().int().positive().default(1),
    count: z.number().int().min(1).max(20_000).default(5000),
  })
  .strict();
export const LogLinesPage = z.object({
  lines: z.array(LogLine),
  /** Lines in the log (all streams), the unfinished last one included. */
  total: z.number().int().min(0),
  /** More lines of the chosen streams follow the page: ask again from the last one's n + 1. */
  hasMore: z.boolean(),
});
export type LogLinesPage = z.infer<typeof LogLinesPage>;

/** The last lines of an attempt's log, as `docker logs --tail N`: what a pane opens on. */
export const LogTailInput = z
  .object({
    ...LogRef,
    count: z.number().int().min(1).max(20_000).default(10_000),
  })
  .strict();
export const LogTail = z.object({
  /** Numbered as the whole log numbers them. */
  lines: z.array(LogLine),
  /** Lines in the log (all streams), the unfinished last one included. */
  total: z.number().int().min(0),
  /** Lines of the chosen streams may come before the first one here (the way to them: logs.lines). */
  hasEarlier: z.boolean(),
  /** Where in the log file these lines end (a logs.read offset): what follows them starts there. */
  offset: z.number().int().min(0),
  /** The last line has no '\n' yet: what follows at `offset` continues it. */
  open: z.boolean(),
});
export type LogTail = z.infer<typeof LogTail>;
