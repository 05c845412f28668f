// Waiting for a job's end, optionally printing its log as it is written: stdout lines to stdout,
// stderr lines to stderr, Jobdeck's own notes to stderr.
import type { Job } from '../../shared/job';
import { isTerminal } from '../../shared/jobStates';
import type { LogLine, LogStream } from '../../shared/logLines';
import type { Client } from '../client';
import type { Output } from '../context';
import { paint } from '../format';
import { LineFollower } from '../follow';

export interface WatchOptions {
  follow: boolean;
  attempt?: number;
  fromLine?: number;
  streams?: readonly LogStream[];
  /** Print each line's number and time before it (logs --timestamps). */
  numbered?: boolean;
  /** Stop after this many lines have been printed. */
}

export function printLine(out: Output, line: LogLine, numbered = false): void {
  const head = numbered ? paint(out.style, 'dim', `${String(line.n).padStart(6)} ${line.t} `) : '';
  if (line.stream === 'stdout') out.stdout(`${head}${line.text}\n`);
  else if (line.stream === 'stderr') out.stderr(`${head}${line.text}\n`);
  else out.stderr(`${head}${paint(out.errStyle, 'dim', line.text)}\n`);
}

/** Resolves with the job once it has ended (and, when following, its log printed to the end). */
export async function watchJob(client: Client, id: string, o: WatchOptions, out: Output): Promise<Job> {
  const follower = o.follow
    ? new LineFollower(
        {
          read: (attempt, offset) => client.call('logs.read', { id, attempt, offset }),
          line: (line) => printLine(out, line, o.numbered),
          attemptStarted: (attempt) => out.stderr(`${paint(out.errStyle, 'dim', `--- attempt ${attempt} ---`)}\n`),
        },
        { ...(o.attempt !== undefined ? { attempt: o.attempt } : {}), ...(o.fromLine !== undefined ? { fromLine: o.fromLine } : {}), ...(o.streams ? { streams: o.streams } : {}) },
      )
    : undefined;
  let resolveEnd!: (j: Job) => void;
  const ended = new Promise<Job>((r) => (resolveEnd = r));
  let last: Job | undefined;
  // Events in the order the host sent them: chunks of an attempt come before the job's end.
  let chain = Promise.resolve();
  const off = client.onEvent((e) => {
    if (e.name === 'log.chunks' && e.payload.id === id && follower) chain = chain.then(() => follower.push(e.payload.chunks));
    if (e.name === 'job.updated' && e.payload.id === id) {
      last = e.payload;
      if (isTerminal(e.payload.status)) {
        const job = e.payload;
        chain = chain.then(async () => {
          await follower?.finish();
          resolveEnd(job);
        });
      }
    }
  });
  try {
    if (follower) await client.call('logs.subscribe', { id });
    // After subscribing: what happened before is in the job and its file.
    const now = await client.call('jobs.get', { id });
    const newest = now.attempts.at(-1)?.number;
    if (follower && (o.attempt ?? newest) !== undefined) chain = chain.then(() => follower.start(o.attempt ?? newest));
    if (isTerminal(now.status) && !last) {
      chain = chain.then(async () => {
        await follower?.finish();
        resolveEnd(now);
      });
    }
    return await ended;
  } finally {
    off();
    if (follower) await client.call('logs.unsubscribe', { id }).catch(() => undefined);
  }
}

/**
 * Resolves once the job has left pending (started, or ended without starting), or after
 * `patienceMs` with the job as it is then (waiting on another job or an engine that is down).
 */
export async function untilStarted(client: Client, id: string, patienceMs = 30_000): Promise<Job> {
  return new Promise<Job>((resolve, reject) => {
    const done = (j: Job) => {
      off();
      clearTimeout(timer);
      resolve(j);
    };
    const off = client.onEvent((e) => {
      if (e.name === 'job.updated' && e.payload.id === id && e.payload.status !== 'pending') done(e.payload);
    });
    const timer = setTimeout(() => void client.call('jobs.get', { id }).then(done, reject), patienceMs);
    client.call('jobs.get', { id }).then((j) => {
      if (j.status !== 'pending') done(j);
    }, reject);
  });
}
