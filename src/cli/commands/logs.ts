// `jobdeck logs JOB`: numbered lines (logs.lines) from a line on, of one stream or both; with -f it
// follows the log as it is written until the job ends, each line printed once.
import { isTerminal } from '../../shared/jobStates';
import type { LogLine, LogStream } from '../../shared/logLines';
import { parseIntArg, UsageError } from '../args';
import { resolveJob, type Cli } from '../context';
import { printLine, watchJob } from './watch';

export interface LogsOptions {
  attempt?: string;
  stream?: string;
  fromLine?: string;
  lines?: string;
  follow?: boolean;
  timestamps?: boolean;
}

const PAGE = 5000;

export async function logs(cli: Cli, ref: string, o: LogsOptions): Promise<number> {
  const attempt = o.attempt === undefined ? undefined : parseIntArg(o.attempt, '--attempt', 1, 1_000_000);
  if (o.stream !== undefined && o.stream !== 'stdout' && o.stream !== 'stderr') throw new UsageError(`--stream: "${o.stream}" must be stdout or stderr`);
  const streams: LogStream[] | undefined = o.stream ? [o.stream] : undefined;
  const fromLine = o.fromLine === undefined ? 1 : parseIntArg(o.fromLine, '--from-line', 1, Number.MAX_SAFE_INTEGER);
  const limit = o.lines === undefined ? undefined : parseIntArg(o.lines, '--lines', 1, Number.MAX_SAFE_INTEGER);
  if (o.follow && limit !== undefined) throw new UsageError('--lines: does not go with -f (follow prints to the end)');
  const client = await cli.client();
  const job = await resolveJob(client, ref);
  const { out } = cli;
  if (o.follow && !isTerminal(job.status)) {
    if (out.json) throw new UsageError('--json: does not go with -f; use logs --json without -f for the lines so far');
    await watchJob(client, job.id, { follow: true, fromLine, ...(attempt !== undefined ? { attempt } : {}), ...(streams ? { streams } : {}), numbered: o.timestamps === true }, out);
    return 0;
  }
  // The lines so far, page by page (a finished job with -f is the same).
  const kept: LogLine[] = [];
  let printed = 0;
  let from = fromLine;
  for (;;) {
    const count = Math.min(PAGE, limit === undefined ? PAGE : limit - printed);
    const page = await client.call('logs.lines', { id: job.id, from, count, ...(attempt !== undefined ? { attempt } : {}), ...(streams ? { streams } : {}) });
    printed += page.lines.length;
    // --json prints one LogLinesPage (the contract's shape) of everything asked for.
    if (out.json) kept.push(...page.lines);
    else for (const l of page.lines) printLine(out, l, o.timestamps === true);
    const lastLine = page.lines.at(-1);
    if (!page.hasMore || !lastLine || (limit !== undefined && printed >= limit)) {
      if (out.json) out.printJson({ lines: kept, total: page.total, hasMore: page.hasMore });
      return 0;
    }
    from = lastLine.n + 1;
  }
}
