import { createWriteStream } from 'node:fs';
import { slug, shortId } from '../../../shared/containerName';
import type { LogLine, LogStream } from '../../../shared/logLines';
import { scanLines } from './logSearch';

export type LogFormat = 'text' | 'json';

/** The name a downloaded log gets: which job, which attempt, which format. */
export const logFileName = (templateName: string, jobId: string, attempt: number, format: LogFormat): string =>
  `${slug(templateName)}-${shortId(jobId)}-${attempt}.${format === 'json' ? 'log.jsonl' : 'log'}`;

/** One line of a downloaded log: the text as the program wrote it, or a JSON line with its number, stream and time. */
export const exportLine = (line: LogLine, format: LogFormat): string => (format === 'json' ? `${JSON.stringify(line)}\n` : `${line.text}\n`);

/**
 * The whole log (of some streams) through `write`, which answers false when its reader is full:
 * then the next line waits for `drained`. Nothing holds more than a block of the file.
 */
export async function exportLog(
  file: string,
  format: LogFormat,
  streams: readonly LogStream[] | undefined,
  out: { write(text: string): boolean; drained(): Promise<void>; closed(): boolean },
): Promise<void> {
  // One record can hold thousands of lines, written before the scan waits: they share one wait.
  let waiting: Promise<void> | undefined;
  await scanLines(file, (line) => {
    if (out.closed()) return false;
    if (streams && !streams.includes(line.stream)) return;
    if (!out.write(exportLine(line, format))) return (waiting ??= out.drained().finally(() => (waiting = undefined)));
  });
}

/** The whole log into a file the user chose (the desktop's save dialog). */
export async function saveLog(file: string, format: LogFormat, streams: readonly LogStream[] | undefined, to: string): Promise<void> {
  const ws = createWriteStream(to, { flags: 'w' });
  const failed = new Promise<never>((_, reject) => ws.once('error', reject));
  let closed = false;
  ws.once('close', () => (closed = true));
  await Promise.race([
    exportLog(file, format, streams, {
      write: (t) => ws.write(t),
      drained: () => new Promise((resolve) => ws.once('drain', resolve)),
      closed: () => closed,
    }),
    failed,
  ]);
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.end(() => resolve());
  });
}

/** The desktop's save dialog (Electron's dialog.showSaveDialog), behind a port: a path, or undefined when the user cancels. */
export interface SaveDialog {
  choose(defaultName: string): Promise<string | undefined>;
}
