import { EMPTY_CELL, type GutterCell } from './lineFormat';

/**
 * The column beside the terminal with each row's line number, stream mark and (optionally) time:
 * one element per terminal row, rewritten only where a row's cell changed, once per frame the
 * terminal renders. Drawn outside the terminal so the terminal parses the log's text alone.
 */
export class GutterView {
  private cells: GutterCell[] = [];
  private rowEls: HTMLElement[] = [];
  private parts: { number: Text; mark: HTMLElement; time: Text }[] = [];

  constructor(private readonly el: HTMLElement) {}

  /** One row element per terminal row, each `height` px tall, `top` px below the gutter's top. */
  setRows(count: number, height: number, top: number): void {
    this.el.style.paddingTop = `${top}px`;
    while (this.rowEls.length > count) {
      this.rowEls.pop()!.remove();
      this.parts.pop();
      this.cells.pop();
    }
    while (this.rowEls.length < count) {
      const row = document.createElement('div');
      row.className = 'gutter-row';
      row.setAttribute('data-testid', 'log-gutter-row');
      const number = document.createTextNode('');
      const mark = document.createElement('span');
      const time = document.createTextNode('');
      row.append(number, ' ', mark, ' ', time);
      this.el.append(row);
      this.rowEls.push(row);
      this.parts.push({ number, mark, time });
      this.cells.push(EMPTY_CELL);
    }
    for (const row of this.rowEls) {
      row.style.height = `${height}px`;
      row.style.lineHeight = `${height}px`;
    }
  }

  render(cells: readonly GutterCell[]): void {
    for (let i = 0; i < this.rowEls.length; i++) {
      const next = cells[i] ?? EMPTY_CELL;
      const prev = this.cells[i]!;
      if (next === prev) continue;
      const p = this.parts[i]!;
      if (next.number !== prev.number) p.number.data = next.number;
      if (next.mark !== prev.mark) p.mark.textContent = next.mark;
      if (next.stream !== prev.stream) p.mark.className = next.stream ? `gutter-mark ${next.stream}` : 'gutter-mark';
      if (next.time !== prev.time) p.time.data = next.time && `${next.time} `;
      this.cells[i] = next;
    }
  }
}
