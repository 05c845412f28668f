import type { IMarker, Terminal } from '@xterm/xterm';
import { LineRing, type HeldLine } from './lineRing';
import { countNewlines, indexAtRow, rowLines, rowOfIndex, type Anchor, type Rows } from './rowMap';

/**
 * Which log line each row of a terminal shows, for a terminal that holds the log's text alone
 * (one line start per line, log/rowMap.ts). Every write goes through here: once it is parsed, its
 * newlines are counted and a marker is left at the cursor (xterm moves markers as the scrollback
 * is trimmed), so rows are known while later writes are still being parsed.
 */
export class TerminalLines {
  readonly lines = new LineRing();
  /** Newlines in the writes parsed so far: the index of the line the cursor is on. */
  private parsed = 0;
  private inFlight = 0;
  private marker: IMarker | undefined;
  private markerIndex = 0;
  private readonly rows: Rows;

  constructor(private readonly term: Terminal) {
    this.rows = {
      get length() {
        return term.buffer.active.length;
      },
      isWrapped: (row) => term.buffer.active.getLine(row)?.isWrapped ?? false,
    };
  }

  write(text: string, parsed?: () => void): void {
    const newlines = countNewlines(text);
    this.inFlight++;
    this.term.write(text, () => {
      this.inFlight--;
      this.parsed += newlines;
      this.marker?.dispose();
      this.marker = this.term.registerMarker(0);
      this.markerIndex = this.parsed;
      parsed?.();
    });
  }

  dispose(): void {
    this.marker?.dispose();
    this.marker = undefined;
  }

  /** A row whose line is known: the cursor once all is parsed (it survives reflows), else the last write's marker. */
  private anchor(): Anchor | undefined {
    const buf = this.term.buffer.active;
    if (this.inFlight === 0) return { row: buf.baseY + buf.cursorY, index: this.parsed };
    const m = this.marker;
    if (m && !m.isDisposed && m.line >= 0) return { row: m.line, index: this.markerIndex };
    return undefined;
  }

  lineAt(row: number): HeldLine | undefined {
    const a = this.anchor();
    return a ? this.lines.get(indexAtRow(this.rows, a, row)) : undefined;
  }

  /** The buffer row where line `n` starts, if the terminal holds it. */
  rowOf(n: number): number | undefined {
    const index = this.lines.indexOf(n);
    const a = this.anchor();
    return index === undefined || !a ? undefined : rowOfIndex(this.rows, a, index);
  }

  /** The rows in view: each one's line and whether the line starts there. */
  visible(): { line: HeldLine | undefined; start: boolean }[] {
    const a = this.anchor();
    const buf = this.term.buffer.active;
    if (!a) return [];
    return rowLines(this.rows, a, buf.viewportY, this.term.rows).map((r) => ({ line: this.lines.get(r.index), start: r.start }));
  }

  /** The first and last line the terminal holds (all of its scrollback), for "lines X–Y of Z". */
  held(): { first?: number; last?: number } {
    const a = this.anchor();
    if (!a) return {};
    const first = this.lines.n(indexAtRow(this.rows, a, 0));
    const last = this.lines.n(Math.min(this.lines.count - 1, indexAtRow(this.rows, a, a.row)));
    return { ...(first !== undefined ? { first } : {}), ...(last !== undefined ? { last } : {}) };
  }
}
