import type { LogChunk, LogStream } from '../../../../shared/ipc';
import type { LogLine, LogTail } from '../../../../shared/logLines';
import type { HeldLine, LineRing } from './lineRing';

const RESET = '\x1b[0m';
/**
 * Jobdeck's own notes in bright black rather than SGR 2 (dim): xterm lifts a colour to the minimum
 * contrast ratio but draws dim text at half opacity, under WCAG AA.
 */
const DIM = '\x1b[90m';
/**
 * The stream gutter: a mark of its own shape per stream (thin bar, heavy red bar, dot), so stderr
 * is told apart without colour and whatever colours a program prints itself.
 */
export const GUTTER: Record<LogStream, { mark: string; label: string }> = {
  stdout: { mark: '│', label: 'stdout' },
  stderr: { mark: '┃', label: 'stderr' },
  system: { mark: '•', label: 'Jobdeck' },
};
/** The number column is at least this wide, so the gutter stays put up to 99,999 lines. */
export const NUMBER_WIDTH = 5;

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

/** What the gutter shows beside one terminal row: the number (and time) only on the row a line starts on. */
export interface GutterCell {
  number: string;
  stream: LogStream | undefined;
  mark: string;
  time: string;
}

export const EMPTY_CELL: GutterCell = { number: '', stream: undefined, mark: '', time: '' };

/** Digits of the number column for lines up to `last`. */
export const numberWidth = (last: number): number => Math.max(NUMBER_WIDTH, String(last).length);

export function gutterCell(line: HeldLine | undefined, start: boolean, timestamps: boolean, width: number): GutterCell {
  if (!line) return EMPTY_CELL;
  return {
    // Blank on a wrapped row, as wide as a number, so the marks stay in one column.
    number: start ? String(line.n).padStart(width) : ' '.repeat(width),
    stream: line.stream,
    mark: GUTTER[line.stream].mark,
    time: timestamps && start ? clock(line.t) : '',
  };
}

/**
 * A log as terminal text, chunk by chunk as it comes, and each line's number, stream and time
 * into `lines` for the gutter, following the line rule of shared/logLines.ts (a line belongs to
 * the stream and time of its first piece), so the numbers are the ones search and pages use. The
 * text goes to the terminal as it came, a chunk at a time (no per-line strings): the gutter is
 * drawn beside the terminal, for the rows in view only.
 */
export class LineFormatter {
  /** Lines begun so far. */
  count = 0;
  /** The first line this formatter showed: the tail has lost lines once the terminal's top is past it. */
  first: number | undefined;
  private atStart = true;
  private shown = true;

  constructor(
    private readonly streams: readonly LogStream[],
    readonly lines: LineRing,
  ) {}

  /**
   * Carry on after a log's tail written with formatTail: `total` lines so far, the first shown,
   * and whether the last line is unfinished (and shown), so the next chunk continues it.
   */
  resume(tail: Pick<LogTail, 'lines' | 'total' | 'open'>): void {
    this.count = tail.total;
    this.first = tail.lines[0]?.n;
    const last = tail.lines.at(-1);
    const openShown = tail.open && last?.n === tail.total;
    this.atStart = !tail.open;
    this.shown = tail.open ? openShown : true;
  }

  format(chunks: readonly LogChunk[]): string {
    let out = '';
    for (const c of chunks) {
      const data = c.data;
      let at = 0;
      if (!this.atStart && data.length) {
        // The rest of a line begun in an earlier chunk: shown as that line is.
        const nl = data.indexOf('\n');
        at = nl < 0 ? data.length : nl + 1;
        if (this.shown) out += paint(c.stream, at === data.length ? data : data.slice(0, at));
        if (nl >= 0) this.atStart = true;
      }
      if (at >= data.length) continue;
      // Lines that begin in this chunk: all of its stream.
      const shown = this.streams.includes(c.stream);
      for (let p = at; p < data.length; ) {
        this.count++;
        if (shown) {
          this.first ??= this.count;
          this.lines.push(this.count, c.stream, c.t);
        }
        const nl = data.indexOf('\n', p);
        if (nl < 0) {
          this.atStart = false;
          break;
        }
        p = nl + 1;
      }
      this.shown = shown;
      if (shown) out += paint(c.stream, at === 0 ? data : data.slice(at));
    }
    return out;
  }
}

const paint = (stream: LogStream, text: string): string => (stream === 'system' ? `${DIM}${text}${RESET}` : text);

/** Whole numbered lines (a page read by line number) as terminal text, and into `lines`. */
export function formatLines(page: readonly LogLine[], lines: LineRing): string {
  const parts: string[] = [];
  for (const l of page) {
    lines.push(l.n, l.stream, l.t);
    parts.push(paint(l.stream, l.text));
  }
  return parts.length ? `${parts.join('\n')}\n` : '';
}

/**
 * A log's tail (logs.tail) as terminal text, and into `lines`: whole lines, the last one left
 * open when the log's last line is unfinished, so what follows in the file continues it.
 */
export function formatTail(tail: Pick<LogTail, 'lines' | 'total' | 'open'>, lines: LineRing): string {
  const text = formatLines(tail.lines, lines);
  return tail.open && tail.lines.at(-1)?.n === tail.total ? text.slice(0, -1) : text;
}
