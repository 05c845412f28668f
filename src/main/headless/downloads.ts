import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { AppError } from '../../shared/errors';
import type { Handlers } from '../../shared/ipc';
import type { Job } from '../../shared/job';
import { LogStream } from '../../shared/logLines';
import { contentType, previewKind, resolveArtifact } from '../core/artifacts/artifactAccess';
import { idSegment } from '../core/artifacts/paths';
import { exportLog, logFileName } from '../core/logs/logExport';

export interface DownloadOptions {
  dataDir: string;
  handlers: Pick<Handlers, 'jobs.get'>;
  /** True when the request carries the host's token. */
  tokenOk(given: string | null): boolean;
}

const BASE = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  // A served file is never a page of ours: no script, no requests, its own origin.
  'Content-Security-Policy': "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
};

/** `attachment` (or `inline`) with an ASCII fallback and the real name (RFC 6266 / 5987). */
export function disposition(kind: 'attachment' | 'inline', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/**
 * GET /artifacts/<job>/<attempt>/<name…>?token=…[&inline=1] and GET /logs/<job>/<attempt>?token=…&format=text|json[&streams=…]:
 * the host's own files as downloads, for the browser page (Electron uses its shell instead).
 * Answers false for any other path. The path is split as sent (no dot-segment folding), so `..`
 * is refused by name rather than turned into another route.
 */
export async function serveDownload(req: IncomingMessage, res: ServerResponse, o: DownloadOptions): Promise<boolean> {
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  const pathname = q < 0 ? raw : raw.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
  const route = pathname.startsWith('/artifacts/') ? 'artifacts' : pathname.startsWith('/logs/') ? 'logs' : undefined;
  if (!route) return false;
  const fail = (code: number, message: string) => {
    if (!res.headersSent) res.writeHead(code, { ...BASE, 'Content-Type': 'text/plain; charset=utf-8' }).end(`${message}\n`);
    else res.destroy();
    return true;
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') return fail(405, 'only GET');
  if (!o.tokenOk(params.get('token'))) return fail(401, 'the token is missing or wrong: open the URL the host printed');
  let segments: string[];
  try {
    segments = pathname.split('/').slice(2).map((s) => decodeURIComponent(s));
  } catch {
    return fail(400, 'the address is not valid');
  }
  const [jobId = '', attemptText = '', ...name] = segments;
  if (!/^\d+$/.test(attemptText)) return fail(400, 'the address names no attempt');
  const attempt = Number(attemptText);
  let job: Job;
  try {
    if (idSegment(jobId) !== jobId) throw new AppError('NOT_FOUND', 'no such job');
    job = await o.handlers['jobs.get']({ id: jobId }, { clientId: 'http-download' });
  } catch {
    return fail(404, `no job ${jobId}`);
  }
  if (!job.attempts.some((a) => a.number === attempt)) return fail(404, `job ${jobId} has no attempt ${attempt}`);
  try {
    if (route === 'artifacts') await sendArtifact(req, res, o.dataDir, job, attempt, name.join('/'), params.get('inline') === '1');
    else await sendLog(req, res, o.dataDir, job, attempt, params);
  } catch (error) {
    if (error instanceof AppError) return fail(error.code === 'NOT_FOUND' ? 404 : error.code === 'VALIDATION' ? 400 : 500, error.message);
    return fail(500, error instanceof Error ? error.message : String(error));
  }
  return true;
}

async function sendArtifact(req: IncomingMessage, res: ServerResponse, dataDir: string, job: Job, attempt: number, name: string, inline: boolean) {
  const file = await resolveArtifact(dataDir, job.id, attempt, name);
  const size = (await stat(file)).size;
  const base = name.split('/').pop() ?? name;
  res.writeHead(200, {
    ...BASE,
    'Content-Type': contentType(name),
    'Content-Length': size,
    // Inline only for what the page previews; anything else (HTML, SVG, binaries) is a download.
    'Content-Disposition': disposition(inline && previewKind(name) ? 'inline' : 'attachment', base),
  });
  if (req.method === 'HEAD') return void res.end();
  await pipeTo(createReadStream(file), res);
}

async function sendLog(req: IncomingMessage, res: ServerResponse, dataDir: string, job: Job, attempt: number, params: URLSearchParams) {
  const format = params.get('format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new AppError('VALIDATION', `format must be text or json, not ${format}`);
  let streams: LogStream[] | undefined;
  if (params.get('streams')) {
    const parsed = LogStream.array().safeParse(params.get('streams')!.split(','));
    if (!parsed.success) throw new AppError('VALIDATION', 'streams must be a list of stdout, stderr and system');
    streams = parsed.data;
  }
  const file = join(dataDir, 'logs', idSegment(job.id), `${attempt}.jsonl`);
  const name = logFileName(job.templateName, job.id, attempt, format);
  res.writeHead(200, {
    ...BASE,
    'Content-Type': format === 'json' ? 'application/x-ndjson; charset=utf-8' : 'text/plain; charset=utf-8',
    'Content-Disposition': disposition('attachment', name),
  });
  if (req.method === 'HEAD') return void res.end();
  let closed = false;
  res.once('close', () => (closed = true));
  await exportLog(file, format, streams, {
    write: (text) => res.write(text),
    // A slow reader: wait for the socket to drain rather than hold the whole log in memory.
    drained: () =>
      new Promise<void>((resolve) => {
        // Each wait takes its listeners away again: a long log waits thousands of times.
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.once('drain', done);
        res.once('close', done);
      }),
    closed: () => closed,
  });
  res.end();
}

function pipeTo(from: NodeJS.ReadableStream, to: ServerResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    from.on('error', reject);
    to.on('close', () => resolve());
    from.pipe(to);
  });
}
