import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LogBatcher } from '../../src/main/core/logs/batcher';
import { LogStore } from '../../src/main/core/logs/logStore';
import type { LiveLogChunk, LogChunk } from '../../src/shared/ipc';
import { tempDirs } from '../support/tmp';

const tmp = tempDirs('jobdeck-logs-');

async function readAll(store: LogStore, jobId: string, attempt: number, maxBytes: number): Promise<{ chunks: LogChunk[]; pages: number }> {
  const chunks: LogChunk[] = [];
  let offset = 0;
  for (let pages = 1; ; pages++) {
    const page = await store.read(jobId, attempt, offset, maxBytes);
    chunks.push(...page.chunks);
    if (page.eof) return { chunks, pages };
    expect(page.nextOffset).toBeGreaterThan(offset);
    offset = page.nextOffset;
  }
}

describe('logs: one append-only file per attempt', () => {
  it('keeps order, stream and time in <job>/<attempt>.jsonl; range reads reassemble the exact content', async () => {
    const dir = tmp();
    const store = new LogStore(dir, { capBytes: () => 1 << 20 });
    const w = store.openWriter('job', 1);
    const expected: string[] = [];
    for (let i = 0; i < 500; i++) {
      // Multi-byte UTF-8 (2, 3 and 4 bytes), quotes, backslashes and control characters.
      const line = `line ${i} ${'é'.repeat(i % 7)}${'€'.repeat(i % 3)}${i % 5 ? '' : '🎉 "q" \\ \t\u0001'}\n`;
      expected.push(line);
      w.append(i % 3 === 0 ? 'stderr' : 'stdout', line, new Date(Date.UTC(2026, 0, 1, 0, 0, 0, i)).toISOString());
    }
    await w.close();
    const raw = readFileSync(join(dir, 'logs/job/1.jsonl'), 'utf8').split('\n');
    expect(JSON.parse(raw[0]!)).toEqual({ t: '2026-01-01T00:00:00.000Z', s: 'e', d: expected[0] });
    for (const pageSize of [1, 64, 1000, 1 << 20]) {
      const { chunks, pages } = await readAll(store, 'job', 1, pageSize);
      expect(chunks.map((c) => c.data)).toEqual(expected);
      expect(chunks[3]).toMatchObject({ stream: 'stderr', attempt: 1, t: '2026-01-01T00:00:00.003Z' });
      expect(chunks[4]).toMatchObject({ stream: 'stdout' });
      if (pageSize < 1000) expect(pages).toBeGreaterThan(10);
    }
    expect(w.bytes).toBe(Buffer.byteLength(expected.join('')));
    // The raw streams are written alongside, as artifacts.
    expect(readFileSync(join(dir, 'artifacts/job/1/stdout.txt'), 'utf8')).toBe(expected.filter((_, i) => i % 3 !== 0).join(''));
    expect(readFileSync(join(dir, 'artifacts/job/1/stderr.txt'), 'utf8')).toBe(expected.filter((_, i) => i % 3 === 0).join(''));
  });

  it('returns whole lines only; a line still being written is left for the next read', async () => {
    const dir = tmp();
    const store = new LogStore(dir, { capBytes: () => 1 << 20 });
    const w = store.openWriter('job', 1);
    w.append('stdout', 'one\n', 't1');
    await w.close();
    const file = join(dir, 'logs/job/1.jsonl');
    const whole = JSON.stringify({ t: 't2', s: 'o', d: 'two\n' });
    appendFileSync(file, whole.slice(0, 10)); // a torn write
    const first = await store.read('job', 1, 0, 1 << 20);
    expect(first.chunks.map((c) => c.data)).toEqual(['one\n']);
    expect(first).toMatchObject({ eof: true, size: readFileSync(file).length });
    expect(first.nextOffset).toBeLessThan(first.size);
    expect(await store.read('job', 1, first.nextOffset, 5)).toMatchObject({ chunks: [], nextOffset: first.nextOffset, eof: true });
    appendFileSync(file, `${whole.slice(10)}\n`);
    const second = await store.read('job', 1, first.nextOffset, 5); // shorter than a line: the line comes whole
    expect(second.chunks.map((c) => c.data)).toEqual(['two\n']);
    expect(second).toMatchObject({ eof: true, nextOffset: second.size });
  });

  it('stops at the size cap with one visible truncation marker, on every page', async () => {
    const store = new LogStore(tmp(), { capBytes: () => 100 });
    const w = store.openWriter('job', 1);
    const results = Array.from({ length: 20 }, (_, i) => w.append('stdout', `${String(i).padStart(9, '0')}\n`));
    await w.close();
    expect(w.truncated).toBe(true);
    expect(w.bytes).toBe(100);
    expect(results.slice(0, 10).every((r) => r?.stream === 'stdout')).toBe(true);
    expect(results[10]).toMatchObject({ stream: 'system', data: '\n[jobdeck] log truncated at 100 bytes (cap set in Settings)\n' });
    expect(results.slice(11).every((r) => r === null)).toBe(true);
    const first = await store.read('job', 1, 0, 10);
    expect(first.truncated).toBe(true); // said on the first page already, not only on the marker's
    const { chunks } = await readAll(store, 'job', 1, 1 << 20);
    expect(chunks).toHaveLength(11);
    expect(chunks.at(-1)?.data).toMatch(/log truncated at 100 bytes \(cap set in Settings\)/);
  });

  it('appends to the same file after a restart; a truncated log stays truncated without a second marker', async () => {
    const store = new LogStore(tmp(), { capBytes: () => 80 }); // a reopened writer counts the file's size: an upper bound
    const a = store.openWriter('job', 2);
    a.append('stdout', 'before\n');
    await a.close();
    const b = store.openWriter('job', 2);
    expect(b.bytes).toBeGreaterThanOrEqual(7);
    expect(b.truncated).toBe(false);
    b.append('stdout', 'after\n');
    b.append('stdout', 'x'.repeat(100));
    await b.close();
    const c = store.openWriter('job', 2);
    expect(c.truncated).toBe(true);
    expect(c.append('stdout', 'more')).toBeNull();
    await c.close();
    const { chunks } = await readAll(store, 'job', 2, 1024);
    expect(chunks.map((x) => x.data)).toEqual(['before\n', 'after\n', expect.stringMatching(/truncated/)]);
  });

  it('close() waits until everything is on disk', async () => {
    const dir = tmp();
    const store = new LogStore(dir, { capBytes: () => 1 << 30 });
    const w = store.openWriter('job', 1);
    const big = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 100; i++) w.append('stdout', big);
    await w.close();
    expect(readFileSync(join(dir, 'artifacts/job/1/stdout.txt')).length).toBe(100 * big.length);
    const page = await store.read('job', 1, 0, 1 << 30);
    expect(page.chunks).toHaveLength(100);
    expect(page.eof).toBe(true);
  });

  it('two writers at once (two attempts, or the same file twice) keep each order and never tear a line', async () => {
    const dir = tmp();
    const store = new LogStore(dir, { capBytes: () => 1 << 30 });
    const a = store.openWriter('job', 1);
    const b = store.openWriter('job', 2);
    const a2 = store.openWriter('job', 1);
    for (let i = 0; i < 2000; i++) {
      a.append('stdout', `a${i}\n`);
      b.append('stderr', `b${i}\n`);
      a2.append('stdout', `c${i}${'y'.repeat(i % 50)}\n`);
    }
    await Promise.all([a.close(), b.close(), a2.close()]);
    const one = (await readAll(store, 'job', 1, 4096)).chunks.map((c) => c.data);
    const two = (await readAll(store, 'job', 2, 4096)).chunks.map((c) => c.data);
    expect(two).toEqual(Array.from({ length: 2000 }, (_, i) => `b${i}\n`));
    expect(one).toHaveLength(4000);
    expect(one.filter((d) => d.startsWith('a'))).toEqual(Array.from({ length: 2000 }, (_, i) => `a${i}\n`));
    expect(one.filter((d) => d.startsWith('c'))).toEqual(Array.from({ length: 2000 }, (_, i) => `c${i}${'y'.repeat(i % 50)}\n`));
  });

  it('reads an empty page for a log that does not exist; removeJob deletes a job\'s logs only', async () => {
    const dir = tmp();
    const store = new LogStore(dir, { capBytes: () => 1 << 20 });
    expect(await store.read('nope', 1, 0, 100)).toEqual({ chunks: [], nextOffset: 0, size: 0, eof: true, truncated: false });
    for (const id of ['gone', 'kept']) {
      const w = store.openWriter(id, 1);
      w.append('stdout', 'x\n');
      await w.close();
    }
    await store.removeJob('gone');
    expect(existsSync(join(dir, 'logs/gone'))).toBe(false);
    expect((await store.read('kept', 1, 0, 100)).chunks).toHaveLength(1);
  });

  it('a hostile job id never becomes a path outside logs/', async () => {
    const dir = tmp();
    const store = new LogStore(dir, { capBytes: () => 1 << 20 });
    for (const id of ['..', '.', '../x', '/etc', '']) {
      expect(store.file(id, 1).startsWith(join(dir, 'logs') + '/')).toBe(true);
      expect(store.file(id, 1)).not.toBe(join(dir, 'logs', '1.jsonl'));
    }
    const w = store.openWriter('kept', 1);
    w.append('stdout', 'x\n');
    await w.close();
    await store.removeJob('..');
    await store.removeJob('.');
    expect(existsSync(join(dir, 'logs/kept/1.jsonl'))).toBe(true);
  });
});

describe('logs: merged pages', () => {
  it('joins adjacent entries of one stream, keeps streams and system notes apart, and loses no text', async () => {
    const store = new LogStore(tmp(), { capBytes: () => 1 << 20 });
    const w = store.openWriter('job', 1);
    for (const [s, d] of [['stdout', 'a\n'], ['stdout', 'b\n'], ['stderr', 'c\n'], ['system', 'n1\n'], ['system', 'n2\n'], ['stdout', 'd\n']] as const) w.append(s, d);
    await w.close();
    const page = await store.read('job', 1, 0, 1 << 20, true);
    expect(page.chunks.map((c) => [c.stream, c.data])).toEqual([
      ['stdout', 'a\nb\n'],
      ['stderr', 'c\n'],
      ['system', 'n1\n'],
      ['system', 'n2\n'],
      ['stdout', 'd\n'],
    ]);
    expect((await store.read('job', 1, 0, 1 << 20)).chunks).toHaveLength(6);
  });
});

describe('logs: the live batcher', () => {
  /** A chunk as a writer returns it: `from` where its record begins in the file. */
  const c = (stream: LogChunk['stream'], data: string, attempt = 1, from = 0): LiveLogChunk => ({ attempt, stream, data, t: `t-${data}`, from, to: from + data.length });

  // The batcher's interval is a setTimeout: the tests move vitest's fake clock across it.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('coalesces chunks per job and merges adjacent chunks of one attempt and stream', async () => {
    const sent: [string, LiveLogChunk[]][] = [];
    const b = new LogBatcher((id, chunks) => sent.push([id, chunks]), 10);
    b.push('a', c('stdout', '1'));
    b.push('a', c('stdout', '2', 1, 1));
    b.push('a', c('stderr', '3', 1, 2));
    b.push('a', c('stderr', '4', 2));
    b.push('b', c('stdout', '5'));
    expect(sent).toHaveLength(0);
    vi.advanceTimersByTime(9);
    expect(sent).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([
      ['a', [{ ...c('stdout', '12'), t: 't-1' }, c('stderr', '3', 1, 2), c('stderr', '4', 2)]],
      ['b', [c('stdout', '5')]],
    ]);
    b.push('a', c('stdout', '6'));
    vi.advanceTimersByTime(10);
    expect(sent).toHaveLength(3);
    b.close();
  });

  it('flushes every interval under a steady stream and sends what is left on close', async () => {
    const sent: LiveLogChunk[][] = [];
    const b = new LogBatcher((_id, chunks) => sent.push(chunks), 20);
    const start = Date.now();
    let i = 0;
    while (Date.now() - start < 200) {
      b.push('a', c('stdout', String(i++)));
      vi.advanceTimersByTime(1);
    }
    b.push('a', c('stdout', 'last'));
    b.close();
    expect(sent.length).toBeGreaterThan(3);
    expect(sent.length).toBeLessThan(i);
    expect(sent.flat().map((x) => x.data).join('')).toBe(`${Array.from({ length: i }, (_, k) => k).join('')}last`);
    b.push('a', c('stdout', 'late')); // after close: delivered at once, not lost
    expect(sent.at(-1)).toEqual([c('stdout', 'late')]);
  });

  it('one failing receiver does not cost another job its output', () => {
    const got: string[] = [];
    const b = new LogBatcher((id) => {
      if (id === 'bad') throw new Error('boom');
      got.push(id);
    });
    b.push('bad', c('stdout', '1'));
    b.push('good', c('stdout', '2'));
    b.close();
    expect(got).toEqual(['good']);
  });
});

describe('logs: where a reattach resumes', () => {
  it('a torn last line (the app died mid-write) is cut when the writer reopens, so the next line stays whole', async () => {
    const dir = tmp();
    const store = new LogStore(dir, { capBytes: () => 1 << 20 });
    const a = store.openWriter('job', 1);
    a.append('stdout', 'one\n', '2026-01-01T00:00:01Z');
    await a.close();
    appendFileSync(store.file('job', 1), '{"t":"2026-01-01T00:00:02Z","s":"o","d":"tw');
    // The resume point ignores the torn line, so the engine is asked for it again.
    expect(await store.prepareResume('job', 1)).toEqual({ stdout: 4, stderr: 0 });
    const b = store.openWriter('job', 1);
    b.append('stdout', 'two\n', '2026-01-01T00:00:02Z');
    await b.close();
    const { chunks } = await readAll(store, 'job', 1, 1024);
    expect(chunks.map((x) => x.data)).toEqual(['one\n', 'two\n']);
    expect(readFileSync(store.file('job', 1), 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('counts the text of each stream on disk; system lines and the truncation marker do not count', async () => {
    const store = new LogStore(tmp(), { capBytes: () => 60 });
    const w = store.openWriter('job', 1);
    w.append('stdout', 'a\n');
    w.append('stderr', 'héllo\n');
    w.append('system', '[jobdeck] pulling\n');
    w.append('stdout', 'b'.repeat(20));
    w.append('stdout', 'over the cap'.repeat(5));
    await w.close();
    expect(await store.prepareResume('job', 1)).toEqual({ stdout: 22, stderr: 6 });
    expect(await store.prepareResume('job', 9)).toEqual({ stdout: 0, stderr: 0 });
  });

  it('counts exactly when a character straddles the edge of a read window', async () => {
    const store = new LogStore(tmp(), { capBytes: () => 1 << 30 });
    const w = store.openWriter('job', 1);
    const want = { stdout: 0, stderr: 0 };
    for (let i = 0; i < 3000; i++) {
      // An x now and then shifts the two-byte characters against the window's edge.
      const line = `${'x'.repeat(i % 3)}${'é'.repeat(999)}\n`;
      const stream = i % 2 ? 'stdout' : 'stderr';
      want[stream] += line.length;
      w.append(stream, line);
    }
    await w.close();
    expect(await store.prepareResume('job', 1)).toEqual(want);
  });

  it('writes stdout.txt and stderr.txt afresh from the log, whatever a kill left in them', async () => {
    const dir = tmp();
    const store = new LogStore(dir, { capBytes: () => 1 << 20 });
    const w = store.openWriter('job', 1);
    w.append('stdout', 'a\n');
    w.append('stderr', 'é\n');
    w.append('stdout', 'b');
    await w.close();
    const plain = (s: string) => join(dir, 'artifacts', 'job', '1', `${s}.txt`);
    appendFileSync(plain('stdout'), 'written twice');
    writeFileSync(plain('stderr'), 'x');
    await store.prepareResume('job', 1);
    expect(readFileSync(plain('stdout'), 'utf8')).toBe('a\nb');
    expect(readFileSync(plain('stderr'), 'utf8')).toBe('é\n');
  });

  it('reads a log larger than its 1 MiB read window whole, lines cut at the window edge included', async () => {
    const store = new LogStore(tmp(), { capBytes: () => 1 << 30 });
    const w = store.openWriter('job', 1);
    const line = `${'x'.repeat(999)}\n`;
    for (let i = 0; i < 3000; i++) w.append(i % 2 ? 'stdout' : 'stderr', line);
    await w.close();
    expect(await store.prepareResume('job', 1)).toEqual({ stdout: 1500 * 1000, stderr: 1500 * 1000 });
  });
});
