import type { LogChunk, LogStream } from '../../../../shared/ipc';
import type { LogLine } from '../../../../shared/logLines';

const RESET = '\x1b[0m';
/**
 * Quiet text (numbers, times, Jobdeck's notes) in bright black rather than SGR 2 (dim): xterm lifts
 * a colour to the minimum contrast ratio but draws dim text at half opacity, under WCAG AA.
 */
const DIM = '\x1b[90m';
/**
 * The stream gutter: a mark of its own shape per stream (thin bar, heavy red bar, dot), so stderr
 * is told apart without colour and whatever colours a program prints itself.
 */
export const GUTTER: Record<LogStream, { mark: string; sgr: string; label: string }> = {
  stdout: { mark: '│', sgr: '\x1b[90m', label: 'stdout' },
  stderr: { mark: '┃', sgr: '\x1b[31;1m', label: 'stderr' },
  system: { mark: '•', sgr: '\x1b[36m', label: 'Jobdeck' },
};
/** The number column is at least this wide, so columns stay put up to 99,999 lines. */
const NUMBER_WIDTH = 5;

export interface LineView {
  /** Streams shown (the filter); lines of the others are left out, numbers kept. */
  streams: readonly LogStream[];
  timestamps: boolean;
}

/** HH:MM:SS.mmm in the viewer's own time zone. */
export function clock(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '--:--:--.---';
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

export function prefix(n: number, stream: LogStream, t: string, view: LineView): string {
  const g = GUTTER[stream];
  const time = view.timestamps ? `${DIM}${clock(t)}${RESET} ` : '';
  return `${RESET}${DIM}${String(n).padStart(NUMBER_WIDTH)}${RESET} ${g.sgr}${g.mark}${RESET} ${time}`;
}

/** The line number a terminal row starts with, if it is the first row of a line. */
export function lineNumberOf(row: string): number | undefined {
  const m = /^\s*(\d+) [│┃•] /.exec(row);
  return m ? Number(m[1]) : undefined;
}

/** Columns the prefix takes on screen (to place a search match after it). */
export const prefixColumns = (n: number, view: LineView): number =>
  Math.max(NUMBER_WIDTH, String(n).length) + 3 + (view.timestamps ? 13 : 0);

/**
 * A log as terminal text, chunk by chunk as it comes: each line gets its number, its stream's
 * mark and (optionally) its time, following the line rule of shared/logLines.ts (a line belongs
 * to the stream and time of its first piece), so the numbers are the ones search and pages use.
 */
export class LineFormatter {
  /** Lines begun so far. */
  count = 0;
  /** The first line this formatter showed: the tail has lost lines once the terminal's top is past it. */
  first: number | undefined;
  private atStart = true;
  private shown = true;

  constructor(private readonly view: LineView) {}

  format(chunks: readonly LogChunk[]): string {
    let out = '';
    for (const c of chunks) {
      const data = c.data;
      let at = 0;
      while (at < data.length) {
        if (this.atStart) {
          this.count++;
          this.shown = this.view.streams.includes(c.stream);
          if (this.shown) {
            this.first ??= this.count;
            out += prefix(this.count, c.stream, c.t, this.view);
          }
          this.atStart = false;
        }
        const nl = data.indexOf('\n', at);
        const end = nl < 0 ? data.length : nl + 1;
        if (this.shown) out += c.stream === 'system' ? `${DIM}${data.slice(at, end)}${RESET}` : data.slice(at, end);
        if (nl >= 0) this.atStart = true;
        at = end;
      }
    }
    return out;
  }
}

/** Whole numbered lines (a page read by line number) as terminal text. */
export function formatLines(lines: readonly LogLine[], view: LineView): string {
  let out = '';
  for (const l of lines) {
    const text = l.stream === 'system' ? `${DIM}${l.text}${RESET}` : l.text;
    out += `${prefix(l.n, l.stream, l.t, view)}${text}\n`;
  }
  return out;
}
