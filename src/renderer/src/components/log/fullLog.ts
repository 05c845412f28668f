import type { LogStream } from '../../../../shared/ipc';
import { client } from '../../client/client';
import { hostUrl, saveFrom } from '../../client/downloads';

export type LogFormat = 'text' | 'json';

const path = (jobId: string, attempt: number) => `/logs/${encodeURIComponent(jobId)}/${attempt}`;
const streamsParam = (streams: readonly LogStream[] | undefined): Record<string, string> =>
  streams && streams.length < 3 ? { streams: streams.join(',') } : {};

/** The whole log as plain text: over HTTP from the host in a browser, page by page through logs.read in Electron. */
export async function fullLogText(jobId: string, attempt: number): Promise<string> {
  const url = hostUrl(path(jobId, attempt), { format: 'text' });
  if (url) {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`could not fetch the log: ${(await res.text()).trim() || res.status}`);
    return res.text();
  }
  let text = '';
  for (let offset = 0; ; ) {
    const page = await client.invoke('logs.read', { id: jobId, attempt, offset, maxBytes: 8 * 1024 * 1024, merge: true });
    for (const c of page.chunks) text += c.data;
    if (page.eof || page.nextOffset <= offset) return text;
    offset = page.nextOffset;
  }
}

/** Save the whole log (of the streams shown) as a file: plain text, or JSON lines with streams and times. */
export async function downloadLog(jobId: string, attempt: number, format: LogFormat, streams?: readonly LogStream[]): Promise<void> {
  const url = hostUrl(path(jobId, attempt), { format, ...streamsParam(streams) });
  if (url) return saveFrom(url);
  // Electron: the host writes the file where the user picks in the save dialog.
  await client.invoke('logs.save', { id: jobId, attempt, format, ...(streams && streams.length < 3 ? { streams: [...streams] } : {}) });
}
