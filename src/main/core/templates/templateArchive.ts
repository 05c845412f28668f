// A file per template in one download: a browser asks before a page saves several files at once
// (and may refuse), so the files go out as one .tar.gz that every desktop opens (tar-stream + zlib).
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { pack } from 'tar-stream';

const gzipped = promisify(gzip);

export interface ExportFile {
  filename: string;
  content: string;
}

/** The files as a gzipped tar, each under its own name, dated `mtime`; base64 for the contract. */
export async function templateArchive(files: ExportFile[], mtime: Date, name = 'jobdeck-templates.tar.gz'): Promise<{ filename: string; content: string; encoding: 'base64' }> {
  const tar = pack();
  const chunks: Buffer[] = [];
  tar.on('data', (c: unknown) => {
    if (c instanceof Uint8Array) chunks.push(Buffer.from(c));
  });
  const ended = new Promise<void>((resolve, reject) => {
    tar.on('end', resolve);
    tar.on('error', reject);
  });
  for (const f of files) tar.entry({ name: f.filename, mtime, mode: 0o644 }, f.content);
  tar.finalize();
  await ended;
  const body = await gzipped(Buffer.concat(chunks));
  return { filename: name, content: body.toString('base64'), encoding: 'base64' };
}
