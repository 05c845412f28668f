import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FrameDemuxer, RawText, type StampedText } from '../../src/main/core/engines/logFrames';
import { LogStore } from '../../src/main/core/logs/logStore';
import { tempDirs } from '../support/tmp';
import { engineFrame } from '../support/engineFrames';

// The ingestion hot path (bench/logs.bench.ts): per-read work, not per-frame work, with nothing
// reordered or lost on the way.
const tmp = tempDirs('jobdeck-ingest-');

const frame = engineFrame;

describe('log ingestion: frames of one read go out as one chunk per stream, in order', () => {
  it('sixteen 4 KiB stdout frames in one read are one chunk, not sixteen', async () => {
    const got: StampedText[] = [];
    const d = new FrameDemuxer(new RawText('stdout', (t) => got.push(t)), new RawText('stderr', (t) => got.push(t)));
    const block = `${'x'.repeat(63)}\n`.repeat(64);
    d.write(Buffer.concat(Array.from({ length: 16 }, () => frame(1, block))));
    expect(got).toHaveLength(1);
    expect(got[0]!.data).toBe(block.repeat(16));
    await new Promise<void>((r) => d.end(() => r()));
    expect(got).toHaveLength(1);
  });

  it('keeps stdout and stderr in the order the container wrote them, and every byte, for any read size', async () => {
    const entries: [1 | 2, string][] = [];
    for (let i = 0; i < 300; i++) entries.push([i % 5 < 2 ? 2 : 1, `entry ${i} ${'é€🎉'.repeat(i % 4)}\n`]);
    const wire = Buffer.concat(entries.map(([t, x]) => frame(t, x)));
    for (const size of [1, 5, 8, 13, 100, 4096, wire.length]) {
      const got: StampedText[] = [];
      const d = new FrameDemuxer(new RawText('stdout', (t) => got.push(t)), new RawText('stderr', (t) => got.push(t)));
      for (let at = 0; at < wire.length; at += size) d.write(wire.subarray(at, at + size));
      await new Promise<void>((r) => d.end(() => r()));
      // Merged chunks, split back into entries, give the same sequence.
      const seen = got.flatMap((g) => g.data.split(/(?<=\n)/).map((x): [1 | 2, string] => [g.stream === 'stderr' ? 2 : 1, x]));
      expect(seen).toEqual(entries);
    }
  });

  it('the log writer keeps exact bytes in the .jsonl and in stdout.txt/stderr.txt, multi-byte text included', async () => {
    const dir = tmp();
    const store = new LogStore(dir, { capBytes: () => 1 << 30 });
    const w = store.openWriter('job', 1);
    let out = '';
    let err = '';
    let last = 0;
    for (let i = 0; i < 2000; i++) {
      const text = `${i} ${'é'.repeat(i % 9)}"\\\u0001${'🎉'.repeat(i % 3)}\n`.repeat(1 + (i % 40));
      const c = w.append(i % 4 ? 'stdout' : 'stderr', text, '2026-01-01T00:00:00.000Z')!;
      // Byte ranges follow one another: each chunk starts where the one before ended.
      expect(c.from).toBe(last);
      last = c.to;
      if (i % 4) out += text;
      else err += text;
    }
    await w.close();
    const file = readFileSync(join(dir, 'logs/job/1.jsonl'));
    expect(file.length).toBe(last);
    expect(w.bytes).toBe(Buffer.byteLength(out) + Buffer.byteLength(err));
    expect(readFileSync(join(dir, 'artifacts/job/1/stdout.txt'), 'utf8')).toBe(out);
    expect(readFileSync(join(dir, 'artifacts/job/1/stderr.txt'), 'utf8')).toBe(err);
  });
});

describe('log batcher, leading edge: a first line goes out at once, a flood still in batches', () => {
  it('sends output after a quiet spell at the end of the turn, then batches what follows within the interval', async () => {
    const { LogBatcher } = await import('../../src/main/core/logs/batcher');
    const sent: string[][] = [];
    const chunk = (data: string, from: number) => ({ attempt: 1, stream: 'stdout' as const, t: 't', data, from, to: from + data.length });
    const b = new LogBatcher((_id, chunks) => sent.push(chunks.map((c) => c.data)), 1_000, { leading: true });
    b.push('a', chunk('first', 0));
    b.push('a', chunk('+same turn', 5));
    await new Promise((r) => setImmediate(r));
    // Not an interval (1 s) later: at the end of the turn, both chunks of that turn as one.
    expect(sent).toEqual([['first+same turn']]);
    b.push('a', chunk('next', 15));
    b.push('a', chunk('+more', 19));
    await new Promise((r) => setImmediate(r));
    // Within the interval: held for the batch.
    expect(sent).toHaveLength(1);
    b.close();
    expect(sent).toEqual([['first+same turn'], ['next+more']]);
  });
});

describe('log ingestion under a slow disk: the engine waits, memory stays bounded', () => {
  it('the writer says it is behind once more than 8 MiB wait for the disk, and when it has caught up', async () => {
    const dir = tmp();
    const w = new LogStore(dir, { capBytes: () => 1 << 30 }).openWriter('job', 1);
    expect(w.backlog()).toBeUndefined();
    const block = `${'y'.repeat(1023)}\n`.repeat(1024);
    for (let i = 0; i < 12; i++) w.append('stdout', block, '2026-01-01T00:00:00.000Z');
    const behind = w.backlog();
    expect(behind).toBeInstanceOf(Promise);
    await behind;
    expect(w.backlog()).toBeUndefined();
    await w.close();
    expect(readFileSync(join(dir, 'artifacts/job/1/stdout.txt')).length).toBe(12 * block.length);
  });

  it('the demuxer takes the next read from the engine only once the backlog has cleared', async () => {
    let release!: () => void;
    let waiting: Promise<void> | undefined = new Promise<void>((r) => (release = r));
    const got: string[] = [];
    const d = new FrameDemuxer(new RawText('stdout', (t) => got.push(t.data)), new RawText('stderr', (t) => got.push(t.data)), () => waiting);
    let taken = 0;
    d.write(frame(1, 'one\n'), () => taken++);
    d.write(frame(1, 'two\n'), () => taken++);
    await new Promise((r) => setImmediate(r));
    // The first read is handled; the second waits in the stream (the engine's socket with it).
    expect(got).toEqual(['one\n']);
    expect(taken).toBe(0);
    waiting = undefined;
    release();
    await new Promise<void>((r) => d.end(() => r()));
    expect(got).toEqual(['one\n', 'two\n']);
    expect(taken).toBe(2);
  });
});

describe('a downloaded log waits for its reader once at a time', () => {
  it('a record of many lines written into a full socket makes one wait, not one per line', async () => {
    const { exportLog } = await import('../../src/main/core/logs/logExport');
    const dir = tmp();
    const store = new LogStore(dir, { capBytes: () => 1 << 30 });
    const w = store.openWriter('job', 1);
    for (let i = 0; i < 20; i++) w.append('stdout', Array.from({ length: 500 }, (_, k) => `line ${i}-${k}\n`).join(''), '2026-01-01T00:00:00.000Z');
    await w.close();
    let pending = 0;
    let most = 0;
    let waits = 0;
    const written: string[] = [];
    await exportLog(join(dir, 'logs/job/1.jsonl'), 'text', undefined, {
      // Always full, as a slow reader's socket is.
      write: (t) => (written.push(t), false),
      drained: () => {
        waits++;
        most = Math.max(most, ++pending);
        return new Promise<void>((r) => setImmediate(() => (pending--, r())));
      },
      closed: () => false,
    });
    expect(written).toHaveLength(10_000);
    expect(written[9_999]).toBe('line 19-499\n');
    expect(most).toBe(1);
    expect(waits).toBeLessThanOrEqual(20);
  });
});
