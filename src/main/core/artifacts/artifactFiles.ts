import { mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { extract } from 'tar-stream';
import { attemptArtifactsDir, jobArtifactsDir } from './paths';

export { attemptArtifactsDir, idSegment, jobArtifactsDir } from './paths';

export interface ArtifactFile {
  name: string;
  size: number;
}

export interface ExtractOptions {
  /** Total bytes of files extracted; default 1 GiB. */
  maxBytes?: number;
  /** Told about every entry left out (links, traversal, devices, name clashes) and why. */
  onSkip?: (entry: string, reason: string) => void;
}

export const DEFAULT_ARTIFACT_MAX_BYTES = 1024 ** 3;

/** The archive went past the cap: the files extracted before it stay and are listed here. */
export class ArtifactCapError extends Error {
  constructor(
    readonly maxBytes: number,
    readonly files: ArtifactFile[],
  ) {
    super(`artifacts exceed the cap of ${maxBytes} bytes; the first ${files.length} file(s) were kept, the rest left out`);
    this.name = 'ArtifactCapError';
  }
}

/**
 * The engine's archive of a container dir (GET /containers/{id}/archive?path=) into destDir. Its
 * top entry is the dir's own name: stripped. Only regular files and dirs; nothing may land outside
 * destDir (`..` and absolute names are refused, links are never created or followed, an existing
 * file such as the attempt's stdout.txt is never overwritten); a size cap bounds a runaway job.
 */
export async function extractArtifacts(tar: NodeJS.ReadableStream, destDir: string, opts: ExtractOptions = {}): Promise<ArtifactFile[]> {
  const maxBytes = opts.maxBytes ?? DEFAULT_ARTIFACT_MAX_BYTES;
  const root = resolve(destDir);
  await mkdir(root, { recursive: true });
  const files: ArtifactFile[] = [];
  const skip = (name: string, reason: string) => opts.onSkip?.(name, reason);
  let total = 0;
  let capHit = false;

  const ex = extract();
  let feedError: unknown;
  // Stopping early destroys the extractor, which ends this pipeline with an error we expect.
  const feeding = pipeline(tar, ex).catch((e: unknown) => (feedError = e));
  for await (const entry of ex) {
    const { name, type } = entry.header;
    const rel = entryPath(name, type);
    if (typeof rel !== 'string') {
      if (rel.reason) skip(name, rel.reason);
      entry.resume();
      continue;
    }
    const target = resolve(root, rel);
    const back = relative(root, target);
    if (back === '' || back.startsWith('..') || isAbsolute(back)) {
      skip(name, 'it would land outside the artifacts directory');
      entry.resume();
      continue;
    }
    if (type === 'directory') {
      await mkdir(target, { recursive: true });
      entry.resume();
      continue;
    }
    if (type !== 'file' && type !== 'contiguous-file') {
      skip(name, type === 'symlink' || type === 'link' ? 'links are not extracted' : `a ${type ?? 'special'} entry is not a regular file`);
      entry.resume();
      continue;
    }
    const size = entry.header.size ?? 0;
    if (total + size > maxBytes) {
      capHit = true;
      break;
    }
    await mkdir(dirname(target), { recursive: true });
    let fh;
    try {
      // 'wx': never replaces a file (or follows a link) already there.
      fh = await open(target, 'wx', 0o644);
    } catch (error) {
      skip(name, (error as NodeJS.ErrnoException).code === 'EEXIST' ? 'a file of that name is already there' : String(error));
      entry.resume();
      continue;
    }
    await pipeline(entry, fh.createWriteStream());
    total += size;
    files.push({ name: rel, size });
  }
  await feeding;
  if (capHit) throw new ArtifactCapError(maxBytes, files);
  if (feedError) throw feedError instanceof Error ? feedError : new Error(String(feedError));
  return files;
}

/** The entry's path below the archived dir, or why it is left out (no reason: nothing to say). */
function entryPath(name: string, type: string | null | undefined): string | { reason?: string } {
  if (name.includes('\0')) return { reason: 'its name holds a NUL byte' };
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name) || name.startsWith('\\')) return { reason: 'absolute paths are refused' };
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) return { reason: 'path traversal (..) is refused' };
  // Windows would read these as separators or drive/stream names.
  if (process.platform === 'win32' && parts.some((p) => /[\\:]/.test(p))) return { reason: 'its name is not a valid Windows path' };
  if (parts.length === 0) return {};
  if (parts.length === 1) {
    // The archived dir itself; or, when the path was a file, that one file.
    return type === 'file' || type === 'contiguous-file' ? parts[0]! : {};
  }
  return parts.slice(1).join('/');
}

export interface ListedArtifact {
  attempt: number;
  name: string;
  size: number;
  path: string;
}

/** Regular files only: a link that got there some other way is not served. */
async function walk(dir: string, base: string, out: Omit<ListedArtifact, 'attempt'>[]): Promise<void> {
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
  const root = jobArtifactsDir(dataDir, jobId);
  let attempts: string[];
  try {
    attempts = (await readdir(root)).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(a) - Number(b));
  } catch {
    return [];
  }
  const out: ListedArtifact[] = [];
  for (const a of attempts) {
    const dir = attemptArtifactsDir(dataDir, jobId, Number(a));
    const files: Omit<ListedArtifact, 'attempt'>[] = [];
    await walk(dir, dir, files);
    files.sort((x, y) => x.name.localeCompare(y.name));
    for (const f of files) out.push({ attempt: Number(a), ...f });
  }
  return out;
}

export async function removeJobArtifacts(dataDir: string, jobId: string): Promise<void> {
  await rm(jobArtifactsDir(dataDir, jobId), { recursive: true, force: true });
}
