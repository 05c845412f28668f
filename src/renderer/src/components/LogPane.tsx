import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import type { LogChunk } from '../../../shared/ipc';
import { client } from '../client/client';
import { reportError, useApp } from '../store/app';
import { TERMINAL_OPTIONS } from './terminalOptions';

/**
 * xterm.js write flow control, in characters handed to xterm and not yet parsed: above HIGH the
 * pane stops reading, under LOW it reads again. LOW is more than xterm parses while the next page
 * comes from the host (a page's round trip takes tens of ms), so a long log streams without the
 * terminal waiting on the host; what waits in memory stays around ten MB at most.
 */
const HIGH = 6_000_000;
const LOW = 2_000_000;
/** File bytes per logs.read: few round trips for a long log, and a reply still parses in a few ms. */
const PAGE = 1024 * 1024;
/** Characters per term.write: xterm parses one write without yielding, so none may be large. */
const SLICE = 128 * 1024;

const RED = '\x1b[31m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

/** stderr in red, Jobdeck's own notes dimmed (the terminal takes \n as \r\n: convertEol). */
function render(stream: LogChunk['stream'], text: string): string {
  if (stream === 'stderr') return `${RED}${text}${RESET}`;
  if (stream === 'system') return `${DIM}${text}${RESET}`;
  return text;
}

/** A page of chunks as terminal text: each run of one stream rendered at once (a line per chunk is common). */
function renderPage(chunks: LogChunk[]): string {
  let out = '';
  for (let i = 0; i < chunks.length; ) {
    const stream = chunks[i]!.stream;
    let data = '';
    for (; i < chunks.length && chunks[i]!.stream === stream; i++) data += chunks[i]!.data;
    out += render(stream, data);
  }
  return out;
}

interface Props {
  jobId: string;
  attempt: number | undefined;
  live: boolean;
}

/**
 * A live log pane. The log file is the one source: live events only say "there is more", and the
 * pane reads the file from its offset, so every byte is shown exactly once. Write flow control:
 * while xterm has more than HIGH bytes pending the pane stops reading and resumes under LOW, so a
 * flood of output never piles up in memory or freezes the window.
 */
export function LogPane({ jobId, attempt, live }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const [follow, setFollow] = useState(true);
  const [query, setQuery] = useState('');
  const followRef = useRef(follow);
  followRef.current = follow;
  const searchRef = useRef<SearchAddon | undefined>(undefined);
  const termRef = useRef<Terminal | undefined>(undefined);

  useEffect(() => {
    if (!host.current) return;
    const term = new Terminal({
      ...TERMINAL_OPTIONS,
      // Log text has bare \n line ends; converting them in the terminal's parser costs nothing.
      convertEol: true,
    });
    const fit = new FitAddon();
    const search = new SearchAddon();
    term.loadAddon(fit);
    term.loadAddon(search);
    term.open(host.current);
    fit.fit();
    termRef.current = term;
    searchRef.current = search;
    const resize = new ResizeObserver(() => fit.fit());
    resize.observe(host.current);

    let disposed = false;
    let pending = 0; // characters handed to xterm and not yet parsed
    let offset = 0; // file offset of the next byte not yet shown
    let reading = false;
    let more = false; // news arrived while reading

    const write = (s: string) => {
      for (let i = 0; i < s.length; i += SLICE) {
        // A slice may end inside an escape sequence or a surrogate pair: xterm's parser carries on.
        const part = s.length <= SLICE ? s : s.slice(i, i + SLICE);
        pending += part.length;
        term.write(part, () => {
          pending -= part.length;
          if (pending < LOW && more) void read();
        });
      }
      if (followRef.current) term.scrollToBottom();
    };

    const read = async () => {
      more = true;
      if (reading || disposed) return;
      reading = true;
      try {
        while (more && !disposed) {
          if (pending > HIGH) return; // the write callback resumes us under LOW
          more = false;
          const page = await client.invoke('logs.read', { id: jobId, ...(attempt ? { attempt } : {}), offset, maxBytes: PAGE, merge: true });
          if (disposed) return;
          offset = page.nextOffset;
          if (page.chunks.length) write(renderPage(page.chunks));
          if (!page.eof) more = true;
        }
      } catch (error) {
        reportError(error);
      } finally {
        reading = false;
      }
    };

    const offs: (() => void)[] = [];
    if (live) {
      offs.push(client.on('log.chunks', ({ id, chunks }) => id === jobId && chunks.some((c) => c.attempt === attempt) && void read()));
      // The last lines may land in the file after the last event: read once more at the end.
      offs.push(client.on('job.updated', (job) => job.id === jobId && void read()));
      void client.invoke('logs.subscribe', { id: jobId }).catch(reportError);
      // A reconnected host has forgotten this page's subscription: subscribe again and catch up.
      offs.push(
        useApp.subscribe((s, prev) => {
          if (s.connectedEpoch === prev.connectedEpoch) return;
          void client.invoke('logs.subscribe', { id: jobId }).catch(reportError);
          void read();
        }),
      );
    }
    void read();

    return () => {
      disposed = true;
      for (const off of offs) off();
      if (live) void client.invoke('logs.unsubscribe', { id: jobId }).catch(() => undefined);
      resize.disconnect();
      term.dispose();
      termRef.current = undefined;
    };
    // `live` is read once: when the job ends the pane keeps its text and the final read drains it.
  }, [jobId, attempt]);

  const copy = async () => {
    const term = termRef.current;
    if (!term) return;
    term.selectAll();
    await navigator.clipboard.writeText(term.getSelection()).catch(reportError);
    term.clearSelection();
  };

  return (
    <div className="logpane">
      <div className="logpane-bar">
        <input
          data-search
          aria-label="Search the log"
          placeholder="Search the log  ( / )"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') searchRef.current?.[e.shiftKey ? 'findPrevious' : 'findNext'](query);
          }}
        />
        <button onClick={() => searchRef.current?.findNext(query)}>Find</button>
        <label className="check">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow
        </label>
        <button onClick={() => termRef.current?.scrollToBottom()}>Jump to end</button>
        <button onClick={() => void copy()}>Copy</button>
      </div>
      <div className="logpane-term" ref={host} data-testid="log-pane" />
    </div>
  );
}
