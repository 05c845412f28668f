import { open, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { AppError } from '../../../shared/errors';
import { attemptArtifactsDir } from './paths';

/**
 * The one gate to an artifact file, for every way a user opens one (the host's HTTP route, the
 * preview command, Electron's shell): a name as artifacts.list gives it, below the attempt's own
 * artifacts dir, reached without a link. `..`, absolute names, NUL, backslashes and any symlink
 * (even one pointing inside) are refused, so nothing outside artifacts/<job>/<attempt>/ is served.
 */
export async function resolveArtifact(dataDir: string, jobId: string, attempt: number, name: string): Promise<string> {
  const refuse = (why: string) => new AppError('VALIDATION', `artifact "${name}" ${why}`, [{ path: 'name', message: why }]);
  if (!Number.isInteger(attempt) || attempt < 1) throw refuse('names no attempt');
  if (name === '' || name.includes('\0') || name.includes('\\')) throw refuse('is not a file name');
  if (isAbsolute(name) || /^[A-Za-z]:/.test(name)) throw refuse('is an absolute path; give it as artifacts.list names it');
  const parts = name.split('/');
  if (parts.some((p) => p === '..' || p === '.' || p === '')) throw refuse('may not step out of the artifacts directory (.., . or //)');
  const root = resolve(attemptArtifactsDir(dataDir, jobId, attempt));
  const target = resolve(root, ...parts);
  const back = relative(root, target);
  if (back === '' || back.startsWith('..') || isAbsolute(back)) throw refuse('is outside the artifacts directory');
  let real: string;
  let realRoot: string;
  try {
    [real, realRoot] = await Promise.all([realpath(target), realpath(root)]);
  } catch {
    throw new AppError('NOT_FOUND', `job ${jobId} has no artifact "${name}" in attempt ${attempt}`);
  }
  // The data dir itself may sit behind a link (a home on another disk); below it, none is followed.
  if (real !== resolve(realRoot, ...parts) || !real.startsWith(realRoot + sep)) throw refuse('is a link; links are not opened');
  const s = await stat(real);
  if (!s.isFile()) throw new AppError('NOT_FOUND', `artifact "${name}" is not a file`);
  return real;
}

const TYPES: Record<string, string> = {
  '.txt': 'text/plain; charset=utf-8',
  '.log': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.tsv': 'text/tab-separated-values; charset=utf-8',
  '.json': 'application/json',
  '.jsonl': 'application/x-ndjson',
  '.xml': 'application/xml',
  '.yaml': 'application/yaml',
  '.yml': 'application/yaml',
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
  '.gz': 'application/gzip',
  '.tar': 'application/x-tar',
};

export const contentType = (name: string): string => TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream';

/** What the page may show inline: text, and raster images (an SVG can carry script: downloaded only). */
export function previewKind(name: string): 'text' | 'image' | undefined {
  const type = contentType(name);
  if (/^image\/(png|jpeg|gif|webp)$/.test(type)) return 'image';
  if (/^text\/(plain|markdown|csv|tab-separated)|^application\/(json|x-ndjson|xml|yaml)/.test(type)) return 'text';
  return undefined;
}

/** The first `maxBytes` of an artifact, and whether there was more. */
export async function readArtifactHead(file: string, maxBytes: number): Promise<{ data: Buffer; size: number; truncated: boolean }> {
  const fh = await open(file, 'r');
  try {
    const size = (await fh.stat()).size;
    const buf = Buffer.alloc(Math.min(size, maxBytes));
    let got = 0;
    while (got < buf.length) {
      const { bytesRead } = await fh.read(buf, got, buf.length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return { data: buf.subarray(0, got), size, truncated: size > got };
  } finally {
    await fh.close();
  }
}
