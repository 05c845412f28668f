import { describe, expect, it } from 'vitest';
import { jsonString, lineJson, type Line } from '../../src/main/core/logs/format';

// The .jsonl line is written by hand (format.ts) for speed: it must be byte for byte what
// JSON.stringify writes, for every text an engine can send.
const texts = [
  '',
  'plain line\n',
  'x'.repeat(63) + '\n',
  'tab\there\r\n',
  'quote " and backslash \\ and slash /',
  'bell \u0007, escape \u001b[31mred\u001b[0m, nul \u0000, del \u007f',
  'unicode é ü 日本 \u2028 \u2029 \ufeff \uffff',
  'emoji 😀 pair \ud83d\ude00',
  'lone high \ud83d end',
  'lone low \ude00 end',
  '\n\n\n',
  '\\n literally',
];

describe('a log line as JSON, written by hand', () => {
  it.each(texts)('%j: jsonString is JSON.stringify', (text) => {
    expect(jsonString(text)).toBe(JSON.stringify(text));
    expect(JSON.parse(jsonString(text))).toBe(text);
  });

  it('every character of the Basic Multilingual Plane, one at a time and with a newline', () => {
    for (let c = 0; c <= 0xffff; c++) {
      const text = `a${String.fromCharCode(c)}\nb`;
      if (jsonString(text) !== JSON.stringify(text)) throw new Error(`U+${c.toString(16)}: ${jsonString(text)} against ${JSON.stringify(text)}`);
    }
  });

  it('whole lines: the same keys in the same order as JSON.stringify, the marker and masked lengths too', () => {
    const lines: Line[] = [
      { t: '2026-12-03T08:00:00.123Z', s: 'o', d: 'hello\n' },
      { t: '2026-12-03T08:00:00.123Z', s: 'e', d: 'a "quoted" error\u001b[0m\n', n: 30 },
      { t: '2026-12-03T08:00:00.123Z', s: 'x', d: '\n[jobdeck] log truncated at 10 bytes (cap set in Settings)\n', tr: 1 },
    ];
    for (const l of lines) expect(lineJson(l)).toBe(JSON.stringify(l));
  });
});
