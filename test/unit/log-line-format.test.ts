// The pane's line numbers and stream gutter (issue 11, item 7): the same numbers as the host's
// search and pages (shared/logLines.ts), whatever the chunking, with or without a filter.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LogChunk } from '../../src/shared/ipc';
import { LineSplitter, plainText, type LogLine } from '../../src/shared/logLines';
import { formatLines, LineFormatter, lineNumberOf, prefixColumns } from '../../src/renderer/src/components/log/lineFormat';

const ALL = ['stdout', 'stderr', 'system'] as const;
const rows = (text: string) => plainText(text).split('\r\n').join('\n').split('\n');

describe('LineFormatter', () => {
  it('numbers each line and marks its stream with a shape of its own', () => {
    const f = new LineFormatter({ streams: ALL, timestamps: false });
    const out = f.format([
      { attempt: 1, stream: 'stdout', t: '2026-01-01T00:00:00Z', data: 'one\ntw' },
      { attempt: 1, stream: 'stdout', t: '2026-01-01T00:00:00Z', data: 'o\n' },
      { attempt: 1, stream: 'stderr', t: '2026-01-01T00:00:00Z', data: 'oops\n' },
      { attempt: 1, stream: 'system', t: '2026-01-01T00:00:00Z', data: '[jobdeck] note\n' },
    ]);
    expect(rows(out)).toEqual(['    1 │ one', '    2 │ two', '    3 ┃ oops', '    4 • [jobdeck] note', '']);
    expect(f.count).toBe(4);
  });

  it('leaves out the lines of hidden streams and keeps the numbers (as grep -n)', () => {
    const f = new LineFormatter({ streams: ['stderr'], timestamps: true });
    const out = f.format([
      { attempt: 1, stream: 'stdout', t: '2026-01-01T00:00:00Z', data: 'a\nb\n' },
      { attempt: 1, stream: 'stderr', t: '2026-01-01T00:00:00.250Z', data: 'c\n' },
    ]);
    const [row] = rows(out);
    expect(lineNumberOf(row!)).toBe(3);
    expect(row).toMatch(/^ {4}3 ┃ \d\d:\d\d:\d\d\.250 c$/);
    expect(row!.indexOf('c')).toBe(prefixColumns(3, { streams: ['stderr'], timestamps: true }));
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
        const f = new LineFormatter({ streams: ALL, timestamps: false });
        const shown = rows(chunks.map((c) => f.format([c])).join('')).filter((r) => lineNumberOf(r) !== undefined);
        // Complete lines: the same number, stream mark and text on both sides.
        for (const l of host) expect(shown[l.n - 1]).toBe(`${String(l.n).padStart(5)} ${l.stream === 'stderr' ? '┃' : '│'} ${l.text}`);
        expect(f.count).toBe(s.count);
      }),
    );
  });

  it('a page of whole lines reads the same as the live tail', () => {
    const lines: LogLine[] = [{ n: 41, stream: 'stderr', t: 't', text: 'x' }, { n: 42, stream: 'stdout', t: 't', text: 'y' }];
    expect(rows(formatLines(lines, { streams: ALL, timestamps: false }))).toEqual(['   41 ┃ x', '   42 │ y', '']);
  });
});
