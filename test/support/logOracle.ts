// The whole-file read of a log's lines: what logs.lines answered before it read from checkpoints
// (logTail.ts linesFrom), kept as the reference the tests hold the fast path to.
import type { LogLine, LogLinesPage, LogStream } from '../../src/shared/logLines';
import { scanLines } from '../../src/main/core/logs/logSearch';

/** `count` lines from line `from` on (of the chosen streams), and how many lines the log has. */
export async function readLines(file: string, o: { from: number; count: number; streams?: readonly LogStream[] }): Promise<LogLinesPage> {
  const lines: LogLine[] = [];
  let hasMore = false;
  const total = await scanLines(file, (line) => {
    if (line.n < o.from || (o.streams && !o.streams.includes(line.stream))) return;
    // Past the page the scan goes on counting: the pane says "of N lines".
    if (lines.length < o.count) lines.push(line);
    else hasMore = true;
  });
  return { lines, total, hasMore };
}
