import type { Terminal } from '@xterm/xterm';
import { GutterView } from './gutter';
import { gutterCell, numberWidth } from './lineFormat';
import type { TerminalLines } from './terminalLines';

/**
 * The log pane's gutter kept in step with its terminal: drawn for the rows in view each time the
 * terminal renders (same frame), sized to the terminal's rows, as wide as the largest number.
 */
export class PaneGutter {
  private readonly view: GutterView;
  private width = '';
  lines: TerminalLines | undefined;
  timestamps = false;
  /** The largest line number the pane may show (the log's total when known). */
  last = 0;

  constructor(
    private readonly el: HTMLElement,
    private readonly term: Terminal,
  ) {
    this.view = new GutterView(el);
  }

  /** After the terminal was fitted: one gutter row per terminal row, at the same height. */
  fit(): void {
    const screen = this.term.element?.querySelector<HTMLElement>('.xterm-screen');
    if (!screen || !this.term.rows) return;
    const box = screen.getBoundingClientRect();
    const top = box.top - this.el.getBoundingClientRect().top;
    this.view.setRows(this.term.rows, box.height / this.term.rows, Math.max(0, top));
    this.draw();
  }

  draw(): void {
    const digits = numberWidth(this.last);
    const width = `${digits + 3 + (this.timestamps ? 13 : 0)}ch`;
    if (width !== this.width) {
      // A wider gutter narrows the terminal: the pane's ResizeObserver fits it again.
      this.width = width;
      this.el.style.width = width;
    }
    const rows = this.lines?.visible() ?? [];
    this.view.render(rows.map((r) => gutterCell(r.line, r.start, this.timestamps, digits)));
  }
}
