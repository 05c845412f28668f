import { describe, expect, it } from 'vitest';
import { parseLine, toChunk } from '../../src/main/core/logs/format';
import { mergedChunks, writerFields } from '../../src/main/core/logs/mergedPage';
import type { LogChunk } from '../../src/shared/ipc';

/** What a merged page was before the fast path: every record parsed, adjacent ones of a stream joined. */
function reference(records: readonly string[], attempt: number): LogChunk[] {
  const chunks: LogChunk[] = [];
  let last: LogChunk | undefined;
  for (const raw of records) {
    const line = raw ? parseLine(raw) : undefined;
    if (!line) continue;
    const chunk = toChunk(attempt, line);
    if (last && last.stream === chunk.stream && chunk.stream !== 'system') last.data += chunk.data;
    else chunks.push((last = chunk));
  }
  return chunks;
}

const rec = (s: string, d: string, t = '2026-01-01T00:00:00.000Z', extra: object = {}) => JSON.stringify({ t, s, d, ...extra });

describe('logs: a merged page read by position', () => {
  it('reads the writer’s plain records without parsing them, and leaves every other shape to the parser', () => {
    expect(writerFields(rec('o', 'plain text\n'))).toEqual({ t: '2026-01-01T00:00:00.000Z', stream: 'stdout', data: 'plain text\n' });
    expect(writerFields(rec('e', 'no newline'))).toEqual({ t: '2026-01-01T00:00:00.000Z', stream: 'stderr', data: 'no newline' });
    expect(writerFields(rec('o', ''))).toEqual({ t: '2026-01-01T00:00:00.000Z', stream: 'stdout', data: '' });
    // Escapes other than the closing newline, notes, masked lines, the marker, torn lines: parsed.
    for (const raw of [
      rec('o', 'tab\there\n'),
      rec('o', 'a "quote"\n'),
      rec('o', 'back\\slash\n'),
      rec('o', 'two\nlines\n'),
      rec('o', '\u001b[31mred\u001b[0m\n'),
      rec('x', 'a note\n'),
      rec('o', '***\n', undefined, { n: 7 }),
      rec('x', 'truncated\n', undefined, { tr: 1 }),
      rec('o', 'torn \\"}'),
      '{"t":"2026-01-01T00:00:00.000Z","s":"o","d":"torn\\',
      '{"t":"2026-01-01T00:00:00.000Z","s":"o","d":"torn\\"}',
      '{"s":"o","t":"2026-01-01T00:00:00.000Z","d":"other order\\n"}',
      '{"t":"2026-01-01T00:00:00.000Z","s":"q","d":"unknown stream"}',
      'not json',
    ]) {
      expect(writerFields(raw), raw).toBeUndefined();
    }
  });

  it('gives the same chunks as parsing every record, for every mix of shapes and streams', () => {
    const texts = ['a\n', 'b', 'c\n', '', 'é€🎉\n', 'tab\t\n', 'q"\n', 'x\\y\n', 'multi\nline\n', '\u001b[1mbold\n', '\u2028sep\n'];
    const shapes = ['o', 'e', 'x'] as const;
    // A fixed pseudo-random walk over shapes, texts, masked lines, markers and torn records.
    let seed = 7;
    const next = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    for (let round = 0; round < 200; round++) {
      const records: string[] = [];
      for (let i = 0, len = 1 + next(30); i < len; i++) {
        const kind = next(20);
        const t = `2026-01-01T00:00:${String(next(60)).padStart(2, '0')}.000Z`;
        const d = texts[next(texts.length)]!;
        if (kind === 0) records.push(rec('o', d, t, { n: 3 }));
        else if (kind === 1) records.push(rec('x', '[jobdeck] log truncated\n', t, { tr: 1 }));
        else if (kind === 2) records.push(rec('o', d, t).slice(0, next(20) + 5));
        else if (kind === 3) records.push('');
        else records.push(rec(shapes[next(3)]!, d, t));
      }
      expect(mergedChunks(records, 2), JSON.stringify(records)).toEqual(reference(records, 2));
    }
  });
});
