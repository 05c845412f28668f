import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pack } from 'tar-stream';
import { extractArtifacts, listArtifacts } from '../../src/main/core/artifacts';
import { LogBatcher, LogStore } from '../../src/main/core/logs';
import type { LogChunk } from '../../src/shared/ipc';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'jobdeck-logs-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function readAll(store: LogStore, jobId: string, attempt: number, maxBytes: number): Promise<LogChunk[]> {
  const out: LogChunk[] = [];
  let offset = 0;
  for (;;) {
    const page = await store.read(jobId, attempt, offset, maxBytes);
    out.push(...page.chunks);
    if (page.eof) return out;
    offset = page.nextOffset;
  }
}

describe('logs: one append-only file per attempt', () => {
  it('keeps order, stream and time; range reads reassemble the exact content', async () => {
    const dir = tmp();
    const store = new LogStore(dir, { capBytes: () => 1 << 20 });
    const w = store.openWriter('job', 1);
    const expected: string[] = [];
    for (let i = 0; i < 500; i++) {
      const line = `line ${i} ${'é'.repeat(i % 7)}\n`;
      expected.push(line);
      w.append(i % 3 === 0 ? 'stderr' : 'stdout', line, new Date(Date.UTC(2026, 0, 1, 0, 0, 0, i)).toISOString());
    }
    await w.close();
    for (const pageSize of [64, 1000, 1 << 20]) {
      const chunks = await readAll(store, 'job', 1, pageSize);
      expect(chunks.map((c) => c.data)).toEqual(expected);
      expect(chunks[3]).toMatchObject({ stream: 'stderr', attempt: 1, t: '2026-01-01T00:00:00.003Z' });
    }
    expect(readFileSync(join(dir, 'artifacts/job/1/stdout.txt'), 'utf8')).toBe(expected.filter((_, i) => i % 3 !== 0).join(''));
  });

  it('stops at the size cap with one visible truncation marker', async () => {
    const store = new LogStore(tmp(), { capBytes: () => 100 });
    const w = store.openWriter('job', 1);
    const results = Array.from({ length: 20 }, (_, i) => w.append('stdout', `${String(i).padStart(9, '0')}\n`));
    await w.close();
    expect(w.truncated).toBe(true);
    expect(results.filter((r) => r?.stream === 'system')).toHaveLength(1);
    expect(results.slice(11).every((r) => r === null)).toBe(true);
    const page = await store.read('job', 1, 0, 1 << 20);
    expect(page.truncated).toBe(true);
    expect(page.chunks.at(-1)?.data).toMatch(/log truncated at 100 bytes/);
  });

  it('appends to the same file when an attempt is followed again after a restart', async () => {
    const store = new LogStore(tmp(), { capBytes: () => 1 << 20 });
    const a = store.openWriter('job', 2);
    a.append('stdout', 'before\n');
    await a.close();
    const b = store.openWriter('job', 2);
    expect(b.bytes).toBeGreaterThan(0);
    b.append('stdout', 'after\n');
    await b.close();
    expect((await readAll(store, 'job', 2, 1024)).map((c) => c.data)).toEqual(['before\n', 'after\n']);
  });

  it('reads an empty page for a log that does not exist', async () => {
    const store = new LogStore(tmp(), { capBytes: () => 1 << 20 });
    expect(await store.read('nope', 1, 0, 100)).toMatchObject({ chunks: [], eof: true, size: 0 });
  });
});

describe('logs: the live batcher', () => {
  it('coalesces chunks per job and merges adjacent chunks of one stream', async () => {
    const sent: [string, LogChunk[]][] = [];
    const b = new LogBatcher((id, chunks) => sent.push([id, chunks]), 10);
    const c = (stream: LogChunk['stream'], data: string): LogChunk => ({ attempt: 1, stream, data, t: 'x' });
    b.push('a', c('stdout', '1'));
    b.push('a', c('stdout', '2'));
    b.push('a', c('stderr', '3'));
    b.push('b', c('stdout', '4'));
    expect(sent).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 30));
    expect(sent).toEqual([
      ['a', [c('stdout', '12'), c('stderr', '3')]],
      ['b', [c('stdout', '4')]],
    ]);
    b.close();
  });
});

describe('artifacts', () => {
  function tarOf(entries: { name: string; body?: string; type?: 'file' | 'directory' | 'symlink'; linkname?: string }[]) {
    const p = pack();
    for (const e of entries) {
      if (e.type === 'file' || e.body !== undefined) p.entry({ name: e.name }, e.body ?? '');
      else p.entry({ name: e.name, type: e.type ?? 'directory', ...(e.linkname ? { linkname: e.linkname } : {}) });
    }
    p.finalize();
    return p as unknown as NodeJS.ReadableStream;
  }

  it("extracts the output dir's files without its own top-level name", async () => {
    const dir = tmp();
    const files = await extractArtifacts(tarOf([{ name: 'out/' }, { name: 'out/a.txt', body: 'A' }, { name: 'out/sub/' }, { name: 'out/sub/b.txt', body: 'BB' }]), join(dir, 'artifacts/j/1'));
    expect(files.sort((x, y) => x.name.localeCompare(y.name))).toEqual([
      { name: 'a.txt', size: 1 },
      { name: 'sub/b.txt', size: 2 },
    ]);
    expect((await listArtifacts(dir, 'j')).map((a) => [a.attempt, a.name])).toEqual([
      [1, 'a.txt'],
      [1, 'sub/b.txt'],
    ]);
  });

  it('refuses to write outside its directory and never follows links', async () => {
    const dir = tmp();
    const dest = join(dir, 'artifacts/j/1');
    const files = await extractArtifacts(
      tarOf([
        { name: 'out/../../../escape.txt', body: 'x' },
        { name: 'out/link', type: 'symlink', linkname: '/etc/passwd' },
        { name: 'out/ok.txt', body: 'ok' },
      ]),
      dest,
    );
    expect(files.map((f) => f.name)).toEqual(['ok.txt']);
    expect(() => readFileSync(join(dir, 'escape.txt'))).toThrow();
  });

  it('stops at the size cap', async () => {
    await expect(extractArtifacts(tarOf([{ name: 'out/big', body: 'x'.repeat(1000) }]), join(tmp(), 'a'), { maxBytes: 100 })).rejects.toThrow(/cap/);
  });
});

describe('logs: where a reattach resumes', () => {
  it('finds the last engine stamp on disk and how many lines of each stream carry it', async () => {
    const store = new LogStore(tmp(), { capBytes: () => 1 << 20 });
    const w = store.openWriter('job', 1);
    w.append('stdout', 'a\n', undefined, '2026-01-01T00:00:04Z');
    w.append('stdout', 'b\n', undefined, '2026-01-01T00:00:05Z');
    w.append('stderr', 'c\n', undefined, '2026-01-01T00:00:05Z');
    w.append('stdout', 'd\n', undefined, '2026-01-01T00:00:05Z');
    await w.close();
    expect(await store.resumePoint('job', 1)).toEqual({ stamp: '2026-01-01T00:00:05Z', stdout: 2, stderr: 1 });
    expect(await store.resumePoint('job', 9)).toBeUndefined();
  });
});
