// The last lines of a log (logs.tail): what a pane opens on. Numbered as the whole log numbers
// them (the same as readLines over the whole file, whatever the records hold), and where they end.
import { appendFileSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLines } from '../support/logOracle';
import { linesFrom, tailLines } from '../../src/main/core/logs/logTail';
import type { LogStream } from '../../src/shared/logLines';
import { describeCommand, useFakeCore } from '../support/fakeCore';

const rec = (s: 'o' | 'e' | 'x', d: string, t = '2026-01-01T00:00:00.000Z') => `${JSON.stringify({ t, s, d })}\n`;
function logFile(records: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'jd-tail-')), '1.jsonl');
  writeFileSync(file, records.join(''));
  return file;
}

/** The last `count` lines by a full parse of the file: what the tail must agree with. */
async function expected(file: string, count: number, streams?: LogStream[]) {
  const all = await readLines(file, { from: 1, count: 1e9, ...(streams ? { streams } : {}) });
  return { lines: all.lines.slice(-count), total: all.total };
}

/** Records of every shape the writer leaves: lines across chunks and streams, escapes, unicode, notes, masks. */
function mixed(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % 9;
    if (k === 0) out.push(rec('o', `plain ${i}\n`));
    else if (k === 1) out.push(rec('e', `half of ${i} `), rec('o', `and the rest\n`));
    else if (k === 2) out.push(rec('o', `a backslash then n: \\n, not a newline ${i}\n`));
    else if (k === 3) out.push(rec('e', `two\nlines ${i}\n`));
    else if (k === 4) out.push(rec('x', `[jobdeck] note ${i}\n`));
    else if (k === 5) out.push(rec('o', `ünïcödé ✓ \\\\n ${i} "quoted"\t\n`));
    else if (k === 6) out.push(`${JSON.stringify({ t: '2026-01-01T00:00:01.000Z', s: 'o', d: `masked ${i} ****\n`, n: 20 })}\n`);
    else if (k === 7) out.push(rec('o', ''), rec('o', `after an empty record ${i}\n`));
    else out.push(rec('e', `\x1b[31mred ${i}\x1b[0m\r\n`));
  }
  return out;
}

describe('tailLines', () => {
  it('gives the last lines with the numbers a full read gives, over blocks of every kind of record', async () => {
    // About 3 MiB: several blocks, so the tail starts from a checkpoint, not the file's start.
    const file = logFile(mixed(40_000));
    expect(statSync(file).size).toBeGreaterThan(2 * (1 << 20));
    for (const count of [1, 10, 5000, 20_000]) {
      const want = await expected(file, count);
      const got = tailLines(file, { count });
      expect(got.total).toBe(want.total);
      expect(got.lines).toEqual(want.lines);
      expect(got.hasEarlier).toBe(true);
      expect(got.open).toBe(false);
      expect(got.offset).toBe(statSync(file).size);
    }
  });

  it('of the chosen streams only, going back past checkpoints when the stream is rare', async () => {
    const records = Array.from({ length: 60_000 }, (_, i) => rec('o', `out ${i}\n`));
    records.splice(10, 0, rec('e', 'early err 1\n'), rec('e', 'early err 2\n'));
    records.splice(45_000, 0, rec('e', 'late err\n'));
    const file = logFile(records);
    const got = tailLines(file, { count: 5, streams: ['stderr'] });
    expect(got.lines).toEqual((await expected(file, 5, ['stderr'])).lines);
    expect(got.lines.map((l) => [l.n, l.text])).toEqual([
      [11, 'early err 1'],
      [12, 'early err 2'],
      [45_001, 'late err'],
    ]);
    // All three there are: nothing earlier.
    expect(got.hasEarlier).toBe(false);
    expect(got.total).toBe(60_003);
    expect(tailLines(file, { count: 2, streams: ['stderr'] }).hasEarlier).toBe(true);
  });

  it('says when the last line is unfinished and leaves an unfinished record for the next read', () => {
    const file = logFile([rec('o', 'one\n'), rec('e', 'two and')]);
    const before = statSync(file).size;
    appendFileSync(file, '{"t":"2026-01-01T00:00:00.000Z","s":"o","d":"thr');
    const got = tailLines(file, { count: 10 });
    expect(got.lines.map((l) => [l.n, l.stream, l.text])).toEqual([
      [1, 'stdout', 'one'],
      [2, 'stderr', 'two and'],
    ]);
    expect(got).toMatchObject({ total: 2, open: true, hasEarlier: false, offset: before });
  });

  it('an attempt without a log file is an empty log', () => {
    expect(tailLines('/nonexistent/1.jsonl', { count: 10 })).toEqual({ lines: [], total: 0, hasEarlier: false, offset: 0, open: false });
  });

  it('a record longer than a block is read whole', async () => {
    const file = logFile([rec('o', 'first\n'), rec('o', `${'x'.repeat(3 << 20)}\n`), rec('o', 'last\n')]);
    const got = tailLines(file, { count: 2 });
    expect(got.lines.map((l) => [l.n, l.text.length])).toEqual([
      [2, 3 << 20],
      [3, 4],
    ]);
    expect(got.hasEarlier).toBe(true);
  });
});

describe('linesFrom', () => {
  it('answers a page from a line on exactly as a full read does, wherever the page lies', async () => {
    const file = logFile(mixed(40_000));
    const total = (await readLines(file, { from: 1, count: 1 })).total;
    for (const [from, count] of [[1, 10], [2, 1], [12_345, 100], [total - 50, 8000], [total, 5], [total + 1, 5]] as const) {
      for (const streams of [undefined, ['stderr'], ['stdout', 'system']] as LogStream[][]) {
        const o = { from, count, ...(streams ? { streams } : {}) };
        expect(linesFrom(file, o), JSON.stringify(o)).toEqual(await readLines(file, o));
      }
    }
  });

  it('counts an unfinished last line, skips a torn last record, and reads a missing file as empty', async () => {
    const file = logFile([rec('o', 'a\n'), rec('e', 'b'), rec('o', ''), '{"t":"x","s":"o","d":"c']);
    expect(linesFrom(file, { from: 1, count: 10 })).toEqual(await readLines(file, { from: 1, count: 10 }));
    expect(linesFrom(file, { from: 1, count: 10 }).total).toBe(2);
    expect(linesFrom('/nonexistent/1.jsonl', { from: 1, count: 10 })).toEqual({ lines: [], total: 0, hasMore: false });
  });
});

const core = useFakeCore();

describeCommand('logs.tail', () => {
  it('answers the last lines of the newest attempt, numbered, and where they end', async () => {
    const h = core();
    const job = await h.call('jobs.create', { spec: { name: 'ltl-one', image: 'busybox:1.36', command: 'echo hi' } });
    await h.until('the attempt to start', () => h.engines.runs(job.id).length > 0);
    const run = h.engines.runs(job.id).at(-1)!;
    for (const [i, t] of ['a\nb\n', 'c\n', 'd\n', 'e'].entries()) run.sink.log(i % 2 ? 'stderr' : 'stdout', t, new Date(h.clock.now()).toISOString());
    await h.finish(job.id, { reason: 'Completed', exitCode: 0 });
    const tail = await h.call('logs.tail', { id: job.id, count: 2 });
    expect(tail.lines.map((l) => [l.n, l.stream, l.text])).toEqual([
      [4, 'stdout', 'd'],
      [5, 'stderr', 'e'],
    ]);
    expect(tail).toMatchObject({ total: 5, hasEarlier: true, open: true });
    // The offset is one logs.read takes: nothing of the attempt's text lies past it.
    const after = await h.call('logs.read', { id: job.id, offset: tail.offset, merge: true });
    expect(after.chunks.filter((c) => c.stream !== 'system')).toEqual([]);
    const err = await h.call('logs.tail', { id: job.id, streams: ['stderr'], count: 5 });
    expect(err.lines.map((l) => l.text)).toEqual(['c', 'e']);
    expect(await h.fail('logs.tail', { id: job.id, attempt: 2 })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await h.fail('logs.tail', { id: job.id, count: 0 })).toMatchObject({ code: 'VALIDATION' });
  });
});
