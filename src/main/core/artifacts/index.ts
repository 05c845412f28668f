import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join, normalize, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { extract } from 'tar-stream';

export interface ArtifactFile {
  name: string;
  size: number;
}

const DEFAULT_MAX_BYTES = 1024 ** 3;

/**
 * The engine's archive of a container dir (GET /containers/{id}/archive) into destDir. Its top
 * entry is the dir's own name: stripped. Only regular files and dirs; nothing may land outside
 * destDir (no `..`, no absolute names, no links followed); a size cap bounds a runaway job.
 */
export async function extractArtifacts(
  tar: NodeJS.ReadableStream,
  destDir: string,
  opts: { maxBytes?: number } = {},
): Promise<ArtifactFile[]> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  await mkdir(destDir, { recursive: true });
  const files: ArtifactFile[] = [];
  let total = 0;
  const ex = extract();
  ex.on('entry', (header, stream, next) => {
    // An entry torn down with the extractor (cap hit) reports through the pipeline, not here.
    stream.on('error', () => undefined);
    const done = (err?: unknown) => {
      stream.resume();
      if (err) next(err as Error);
      else next();
    };
    const parts = header.name.split('/').filter((p) => p && p !== '.');
    const rel = parts.slice(1).join('/'); // drop the archived dir's own name
    const target = normalize(join(destDir, rel));
    const inside = rel !== '' && !relative(destDir, target).startsWith('..') && !rel.startsWith('/');
    if (!inside || parts.includes('..')) return done();
    if (header.type === 'directory') {
      mkdir(target, { recursive: true }).then(() => done(), done);
      return;
    }
    if (header.type !== 'file') return done(); // links and devices are skipped, never followed
    const size = header.size ?? 0;
    if (total + size > maxBytes) return done(new Error(`artifacts exceed the cap of ${maxBytes} bytes`));
    total += size;
    mkdir(join(target, '..'), { recursive: true })
      .then(() => pipeline(stream, createWriteStream(target, { mode: 0o644 })))
      .then(() => {
        files.push({ name: rel, size });
        next();
      }, done);
  });
  await pipeline(tar as NodeJS.ReadableStream & AsyncIterable<Buffer>, ex);
  return files;
}

export interface ListedArtifact {
  attempt: number;
  name: string;
  size: number;
  path: string;
}

export const artifactsRoot = (dataDir: string, jobId: string) => join(dataDir, 'artifacts', jobId);

async function walk(dir: string, base: string, out: { name: string; size: number; path: string }[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, base, out);
    else if (e.isFile()) out.push({ name: relative(base, p).split(sep).join('/'), size: (await stat(p)).size, path: p });
  }
}

/** Every artifact of a job: stdout.txt, stderr.txt and the output dir's files, per attempt. */
export async function listArtifacts(dataDir: string, jobId: string): Promise<ListedArtifact[]> {
  const root = artifactsRoot(dataDir, jobId);
  let attempts: string[];
  try {
    attempts = (await readdir(root)).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(a) - Number(b));
  } catch {
    return [];
  }
  const out: ListedArtifact[] = [];
  for (const a of attempts) {
    const files: { name: string; size: number; path: string }[] = [];
    await walk(join(root, a), join(root, a), files);
    files.sort((x, y) => x.name.localeCompare(y.name));
    for (const f of files) out.push({ attempt: Number(a), ...f });
  }
  return out;
}

export async function removeJobArtifacts(dataDir: string, jobId: string): Promise<void> {
  await rm(artifactsRoot(dataDir, jobId), { recursive: true, force: true });
}
