// The pane's line numbers and stream gutter (issue 11, item 7): the same numbers as the host's
// search and pages (shared/logLines.ts), whatever the chunking, with or without a filter. The
// terminal gets the log's text as it came; numbers, marks and times go to the gutter (issue 9).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LogChunk } from '../../src/shared/ipc';
import { LineSplitter, plainText, type LogLine } from '../../src/shared/logLines';
import { formatLines, formatTail, gutterCell, LineFormatter, numberWidth } from '../../src/renderer/src/components/log/lineFormat';
import { LineRing } from '../../src/renderer/src/components/log/lineRing';

const ALL = ['stdout', 'stderr', 'system'] as const;
const held = (ring: LineRing) => Array.from({ length: ring.count - ring.oldest }, (_, i) => ring.get(ring.oldest + i)!);
/** Each line as the pane shows it: gutter, then the terminal's text. */
const shown = (ring: LineRing, text: string) =>
  plainText(text)
    .split('\n')
    .slice(0, ring.count)
    .map((t, i) => {
      const c = gutterCell(ring.get(i), true, false, 5);
      return `${c.number} ${c.mark} ${t}`;
    });

describe('LineFormatter', () => {
  it('hands the text over as it came and numbers each line with its stream', () => {
    const ring = new LineRing();
    const f = new LineFormatter(ALL, ring);
    const chunks: LogChunk[] = [
      { attempt: 1, stream: 'stdout', t: '2026-01-01T00:00:00Z', data: 'one\ntw' },
      { attempt: 1, stream: 'stdout', t: '2026-01-01T00:00:01Z', data: 'o\n' },
      { attempt: 1, stream: 'stderr', t: '2026-01-01T00:00:02Z', data: 'oops\n' },
      { attempt: 1, stream: 'system', t: '2026-01-01T00:00:03Z', data: '[jobdeck] note\n' },
    ];
    const out = chunks.map((c) => f.format([c])).join('');
    expect(out.slice(0, 13)).toBe('one\ntwo\noops\n');
    expect(shown(ring, out)).toEqual(['    1 │ one', '    2 │ two', '    3 ┃ oops', '    4 • [jobdeck] note']);
    expect(held(ring).map((l) => l.t)).toEqual(['2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:02Z', '2026-01-01T00:00:03Z']);
    expect(f.count).toBe(4);
  });

  it('writes a chunk of whole lines of a shown stream as one piece of text (no string per line)', () => {
    const f = new LineFormatter(ALL, new LineRing());
    const data = 'a\nbb\nccc\n';
    expect(f.format([{ attempt: 1, stream: 'stdout', t: 't', data }])).toBe(data);
  });

  it('leaves out the lines of hidden streams and keeps the numbers (as grep -n)', () => {
    const ring = new LineRing();
    const f = new LineFormatter(['stderr'], ring);
    const out = f.format([
      { attempt: 1, stream: 'stdout', t: '2026-01-01T00:00:00Z', data: 'a\nb\n' },
      { attempt: 1, stream: 'stderr', t: '2026-01-01T00:00:00.250Z', data: 'c\n' },
    ]);
    expect(out).toBe('c\n');
    expect(held(ring).map((l) => l.n)).toEqual([3]);
    const cell = gutterCell(ring.get(0), true, true, 5);
    expect(`${cell.number} ${cell.mark} ${cell.time}`).toMatch(/^ {4}3 ┃ \d\d:\d\d:\d\d\.250$/);
    expect(f.first).toBe(3);
  });

  it('gives every line the number the host gives it, however the output is cut into chunks', () => {
    const piece = fc.record({ stream: fc.constantFrom('stdout' as const, 'stderr' as const), data: fc.stringMatching(/^[a-c\n]{0,12}$/) });
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const chunks: LogChunk[] = pieces.map((p) => ({ attempt: 1, stream: p.stream, t: 't', data: p.data }));
        const host: LogLine[] = [];
        const s = new LineSplitter();
        for (const c of chunks) s.push(c.stream, c.t, c.data, (l) => host.push(l));
        const ring = new LineRing();
        const f = new LineFormatter(ALL, ring);
        const text = chunks.map((c) => f.format([c])).join('');
        // The terminal's text is the log's, and complete lines read the same on both sides.
        expect(text).toBe(chunks.map((c) => c.data).join(''));
        const rows = shown(ring, text);
        for (const l of host) expect(rows[l.n - 1]).toBe(`${String(l.n).padStart(5)} ${l.stream === 'stderr' ? '┃' : '│'} ${l.text}`);
        expect(f.count).toBe(s.count);
        expect(ring.count).toBe(s.count);
      }),
    );
  });

  it('with a filter, keeps exactly the host lines of the shown stream, numbered as the host numbers them', () => {
    const piece = fc.record({ stream: fc.constantFrom('stdout' as const, 'stderr' as const), data: fc.stringMatching(/^[a-c\n]{0,12}$/) });
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const chunks: LogChunk[] = pieces.map((p) => ({ attempt: 1, stream: p.stream, t: 't', data: p.data }));
        const host: LogLine[] = [];
        const s = new LineSplitter();
        for (const c of chunks) s.push(c.stream, c.t, c.data, (l) => host.push(l));
        s.end((l) => host.push(l));
        const ring = new LineRing();
        const f = new LineFormatter(['stderr'], ring);
        const text = chunks.map((c) => f.format([c])).join('');
        const want = host.filter((l) => l.stream === 'stderr');
        expect(held(ring).map((l) => l.n)).toEqual(want.map((l) => l.n));
        expect(text.split('\n').slice(0, want.length)).toEqual(want.map((l) => l.text));
      }),
    );
  });

  it('a page of whole lines reads the same as the live tail', () => {
    const ring = new LineRing();
    const lines: LogLine[] = [
      { n: 41, stream: 'stderr', t: 't', text: 'x' },
      { n: 42, stream: 'stdout', t: 't', text: 'y' },
    ];
    const text = formatLines(lines, ring);
    expect(text).toBe('x\ny\n');
    expect(shown(ring, text)).toEqual(['   41 ┃ x', '   42 │ y']);
  });
});

describe('the tail a pane opens on', () => {
  const t = 't';
  it('numbers what follows it after the whole log, and an unfinished last line goes on on its row', () => {
    const ring = new LineRing();
    const f = new LineFormatter(ALL, ring);
    const tail = { lines: [{ n: 999, stream: 'stdout' as const, t, text: 'a' }, { n: 1000, stream: 'stderr' as const, t, text: 'half' }], total: 1000, open: true };
    let text = formatTail(tail, ring);
    f.resume(tail);
    expect(text).toBe('a\nhalf');
    text += f.format([{ attempt: 1, stream: 'stderr', t, data: ' done\nnext\n' }]);
    expect(shown(ring, text)).toEqual(['  999 │ a', ' 1000 ┃ half done', ' 1001 ┃ next']);
    expect(f.count).toBe(1001);
    expect(f.first).toBe(999);
  });

  it('with a filter: a hidden stream\'s unfinished last line stays hidden as it goes on', () => {
    const ring = new LineRing();
    const f = new LineFormatter(['stdout'], ring);
    // The log's last line (1001) is stderr's and unfinished; the tail holds stdout's lines only.
    const tail = { lines: [{ n: 1000, stream: 'stdout' as const, t, text: 'out' }], total: 1001, open: true };
    let text = formatTail(tail, ring);
    f.resume(tail);
    expect(text).toBe('out\n');
    text += f.format([{ attempt: 1, stream: 'stdout', t, data: ' rest of err\nout again\n' }]);
    expect(shown(ring, text)).toEqual([' 1000 │ out', ' 1002 │ out again']);
  });
});

describe('gutter cells', () => {
  it('show the number and time on the row a line starts on, the stream mark on each of its rows', () => {
    const line = { n: 7, stream: 'stderr' as const, t: 'not a time' };
    expect(gutterCell(line, true, true, 5)).toEqual({ number: '    7', stream: 'stderr', mark: '┃', time: '--:--:--.---' });
    expect(gutterCell(line, false, true, 5)).toEqual({ number: '     ', stream: 'stderr', mark: '┃', time: '' });
    expect(gutterCell(undefined, true, true, 5)).toEqual({ number: '', stream: undefined, mark: '', time: '' });
  });

  it('are as wide as the largest number, five digits at least', () => {
    expect(numberWidth(0)).toBe(5);
    expect(numberWidth(99_999)).toBe(5);
    expect(numberWidth(1_008_246)).toBe(7);
  });
});

describe('LineRing', () => {
  it('keeps the last lines by index and finds a line number among them', () => {
    const ring = new LineRing(4);
    for (let n = 1; n <= 10; n += 1) ring.push(n * 10, n % 2 ? 'stdout' : 'stderr', `t${n}`);
    expect(ring.oldest).toBe(6);
    expect(ring.get(5)).toBeUndefined();
    expect(ring.get(6)).toEqual({ n: 70, stream: 'stdout', t: 't7' });
    expect(ring.get(9)).toEqual({ n: 100, stream: 'stderr', t: 't10' });
    expect(ring.indexOf(80)).toBe(7);
    expect(ring.indexOf(60)).toBeUndefined();
    expect(ring.indexOf(85)).toBeUndefined();
  });

  it('refuses a capacity that is not a power of two', () => {
    expect(() => new LineRing(1000)).toThrow(/power of two/);
  });
});
