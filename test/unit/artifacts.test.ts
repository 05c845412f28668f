import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pack, type Header } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { ArtifactCapError, extractArtifacts, listArtifacts, removeJobArtifacts } from '../../src/main/core/artifacts/artifactFiles';
import { tempDirs } from '../support/tmp';

const tmp = tempDirs('jobdeck-artifacts-');

type Entry = Partial<Header> & Pick<Header, 'name'> & { body?: string | Buffer };
/** What Docker's GET /containers/{id}/archive?path=/out sends: entries under `out/`. */
function tarOf(entries: Entry[]): NodeJS.ReadableStream {
  const p = pack();
  for (const { body, ...h } of entries) {
    if (body !== undefined) p.entry({ ...h, type: h.type ?? 'file' }, body);
    else p.entry({ ...h, type: h.type ?? 'directory' });
  }
  p.finalize();
  return p as unknown as NodeJS.ReadableStream;
}
const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

describe('artifacts: extraction', () => {
  it("extracts the output dir's files and dirs without its own top-level name", async () => {
    const dir = tmp();
    const bin = Buffer.from([0, 1, 2, 255]);
    const files = await extractArtifacts(
      tarOf([
        { name: 'out/' },
        { name: 'out/a.txt', body: 'A' },
        { name: 'out/empty/' },
        { name: 'out/sub/' },
        { name: 'out/sub/b.txt', body: 'BB' },
        { name: 'out/sub/ü €.bin', body: bin },
      ]),
      join(dir, 'artifacts/j/1'),
    );
    expect(files.sort(byName)).toEqual([
      { name: 'a.txt', size: 1 },
      { name: 'sub/b.txt', size: 2 },
      { name: 'sub/ü €.bin', size: 4 },
    ]);
    expect(readFileSync(join(dir, 'artifacts/j/1/sub/ü €.bin'))).toEqual(bin);
    expect(existsSync(join(dir, 'artifacts/j/1/empty'))).toBe(true);
    expect(existsSync(join(dir, 'artifacts/j/1/out'))).toBe(false);
  });

  it('keeps the one file when the archived path was a file', async () => {
    const dest = join(tmp(), 'a');
    expect(await extractArtifacts(tarOf([{ name: 'report.json', body: '{}' }]), dest)).toEqual([{ name: 'report.json', size: 2 }]);
  });

  it('refuses traversal, absolute names and links, skipping them with a note; never writes outside', async () => {
    const dir = tmp();
    const dest = join(dir, 'artifacts/j/1');
    const notes: [string, string][] = [];
    const files = await extractArtifacts(
      tarOf([
        { name: 'out/' },
        { name: 'out/../../../escape.txt', body: 'x' },
        { name: '../escape2.txt', body: 'x' },
        { name: '/etc/escape3.txt', body: 'x' },
        { name: 'out/sub/../../escape4.txt', body: 'x' },
        { name: 'out/link', type: 'symlink', linkname: '/etc/passwd' },
        { name: 'out/hard', type: 'link', linkname: 'out/ok.txt' },
        { name: 'out/fifo', type: 'fifo' },
        { name: 'out/link/evil.txt', body: 'x' }, // through the link, had it been made
        { name: 'out/ok.txt', body: 'ok' },
      ]),
      dest,
      { onSkip: (name, why) => notes.push([name, why]) },
    );
    expect(files.map((f) => f.name).sort()).toEqual(['link/evil.txt', 'ok.txt']);
    expect(readFileSync(join(dest, 'link/evil.txt'), 'utf8')).toBe('x'); // a real dir, not /etc
    for (const f of ['escape.txt', 'escape2.txt', 'escape3.txt', 'escape4.txt', 'artifacts/escape.txt', 'artifacts/j/escape4.txt']) {
      expect(existsSync(join(dir, f))).toBe(false);
    }
    expect(Object.fromEntries(notes)).toMatchObject({
      'out/../../../escape.txt': expect.stringMatching(/traversal/),
      '../escape2.txt': expect.stringMatching(/traversal/),
      '/etc/escape3.txt': expect.stringMatching(/absolute/),
      'out/sub/../../escape4.txt': expect.stringMatching(/traversal/),
      'out/link': expect.stringMatching(/links/),
      'out/hard': expect.stringMatching(/links/),
      'out/fifo': expect.stringMatching(/not a regular file/),
    });
  });

  it("never overwrites a file already there (the attempt's stdout.txt)", async () => {
    const dest = join(tmp(), 'artifacts/j/1');
    mkdirSync(dest, { recursive: true });
    writeFileSync(join(dest, 'stdout.txt'), 'the log');
    const notes: string[] = [];
    const files = await extractArtifacts(tarOf([{ name: 'out/stdout.txt', body: 'evil' }, { name: 'out/b', body: 'b' }]), dest, {
      onSkip: (_n, why) => notes.push(why),
    });
    expect(files).toEqual([{ name: 'b', size: 1 }]);
    expect(readFileSync(join(dest, 'stdout.txt'), 'utf8')).toBe('the log');
    expect(notes).toEqual([expect.stringMatching(/already there/)]);
  });

  it('stops at the size cap, keeps what came before and says which', async () => {
    const dest = join(tmp(), 'a');
    const run = extractArtifacts(
      tarOf([{ name: 'out/' }, { name: 'out/1', body: 'x'.repeat(60) }, { name: 'out/2', body: 'x'.repeat(60) }, { name: 'out/3', body: 'x' }]),
      dest,
      { maxBytes: 100 },
    );
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArtifactCapError);
    expect((error as ArtifactCapError).message).toMatch(/cap of 100 bytes/);
    expect((error as ArtifactCapError).files).toEqual([{ name: '1', size: 60 }]);
    expect(existsSync(join(dest, '2'))).toBe(false);
  });

  it('rejects a corrupt archive', async () => {
    const { Readable } = await import('node:stream');
    const garbage = Readable.from([Buffer.alloc(1024, 7)]);
    await expect(extractArtifacts(garbage, join(tmp(), 'a'))).rejects.toThrow();
  });
});

describe('artifacts: listing and removal', () => {
  it('lists every attempt\'s files (stdout.txt too) with sizes and paths; removes a job\'s only', async () => {
    const dir = tmp();
    await extractArtifacts(tarOf([{ name: 'out/' }, { name: 'out/a.txt', body: 'A' }, { name: 'out/d/b.txt', body: 'BB' }]), join(dir, 'artifacts/j/1'));
    await extractArtifacts(tarOf([{ name: 'out/' }, { name: 'out/c.txt', body: 'CCC' }]), join(dir, 'artifacts/j/2'));
    writeFileSync(join(dir, 'artifacts/j/2/stdout.txt'), 'log');
    await extractArtifacts(tarOf([{ name: 'out/x', body: 'x' }]), join(dir, 'artifacts/other/1'));
    const list = await listArtifacts(dir, 'j');
    expect(list.map(({ attempt, name, size }) => [attempt, name, size])).toEqual([
      [1, 'a.txt', 1],
      [1, 'd/b.txt', 2],
      [2, 'c.txt', 3],
      [2, 'stdout.txt', 3],
    ]);
    expect(readFileSync(list[1]!.path, 'utf8')).toBe('BB');
    expect(await listArtifacts(dir, 'none')).toEqual([]);
    await removeJobArtifacts(dir, 'j');
    expect(await listArtifacts(dir, 'j')).toEqual([]);
    expect(await listArtifacts(dir, 'other')).toHaveLength(1);
    await removeJobArtifacts(dir, '..'); // a hostile id removes nothing above
    expect(await listArtifacts(dir, 'other')).toHaveLength(1);
  });
});
