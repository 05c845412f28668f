// Export a file per template as one download: a .tar.gz whose entries are the files a
// filePerTemplate export gives, each importing back as its template; secrets stay out.
import { gunzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { extract } from 'tar-stream';
import { describeCommand, useFakeCore, type FakeCore } from '../support/fakeCore';

const core = useFakeCore();
const save = (h: FakeCore, name: string, extra: Record<string, unknown> = {}) =>
  h.call('templates.save', { spec: { name, image: 'busybox:1.36', command: 'echo hi', ...extra } });

async function entries(tarGz: Buffer): Promise<{ name: string; content: string; mode: number | undefined }[]> {
  const out: { name: string; content: string; mode: number | undefined }[] = [];
  const ex = extract();
  Readable.from(gunzipSync(tarGz)).pipe(ex);
  for await (const entry of ex) {
    const parts: Buffer[] = [];
    for await (const c of entry) parts.push(c as Buffer);
    out.push({ name: entry.header.name, content: Buffer.concat(parts).toString('utf8'), mode: entry.header.mode });
  }
  return out;
}

describeCommand('templates.exportMany', () => {
  it('archive: one .tar.gz holding a file per template, as filePerTemplate names them, each importing back', async () => {
    const h = core();
    const a = await save(h, 'ta one', { env: [{ name: 'TOKEN', value: 's3cret', secret: true }] });
    const b = await save(h, 'ta/one', { priority: 1 });
    const each = await h.call('templates.exportMany', { ids: [a.id, b.id], bundle: 'filePerTemplate' });
    const { files } = await h.call('templates.exportMany', { ids: [a.id, b.id], bundle: 'archive' });
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ filename: 'jobdeck-templates.tar.gz', encoding: 'base64' });
    const inside = await entries(Buffer.from(files[0]!.content, 'base64'));
    expect(inside.map((e) => [e.name, e.content])).toEqual(each.files.map((f) => [f.filename, f.content]));
    expect(inside.every((e) => e.mode === 0o644)).toBe(true);
    expect(inside.map((e) => e.content).join('')).not.toContain('s3cret');
    const back = await h.call('templates.import', { files: inside.map((e) => ({ name: e.name, content: e.content })) });
    expect(back.map((r) => r.templates.map((t) => [t.spec.name, t.spec.priority]))).toEqual([[['ta one', 3]], [['ta/one', 1]]]);
  });

  it('archive of JSON files, and of every template when none is named', async () => {
    const h = core();
    await save(h, 'tb-a');
    await save(h, 'tb-b');
    const { files } = await h.call('templates.exportMany', { format: 'json', bundle: 'archive' });
    const inside = await entries(Buffer.from(files[0]!.content, 'base64'));
    expect(inside.map((e) => e.name)).toEqual(['tb-a.json', 'tb-b.json']);
    expect((JSON.parse(inside[0]!.content) as { name: string }).name).toBe('tb-a');
  });
});
