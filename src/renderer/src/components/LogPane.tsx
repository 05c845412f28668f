import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import { isTerminal } from '../../../shared/job';
import { client } from '../client/client';
import { reportError, useApp } from '../store/app';
import { LogFollower } from './logFollow';
import { TERMINAL_OPTIONS } from './terminalOptions';

/**
 * xterm.js write flow control, in characters handed to xterm and not yet parsed: above HIGH the
 * pane stops reading, under LOW it reads again. LOW is more than xterm parses while the next page
 * comes from the host (a page's round trip takes tens of ms), so a long log streams without the
 * terminal waiting on the host; what waits in memory stays around ten MB at most.
 */
const HIGH = 6_000_000;
const LOW = 2_000_000;
/** File bytes per logs.read (a catch-up): few round trips for a long log, and a reply still parses in a few ms. */
const PAGE = 1024 * 1024;
/** The first page is small so the terminal starts on it while the larger ones come (×4 a read up to PAGE). */
const FIRST_PAGE = 64 * 1024;
/** Characters per term.write: xterm parses one write without yielding, so none may be large. */
const SLICE = 128 * 1024;

interface Props {
  jobId: string;
  attempt: number | undefined;
  live: boolean;
}

/**
 * A live log pane. Live chunks carry the text the pane writes and where it lies in the log file;
 * the pane reads the file by range only to fill a gap (opened late, reconnected, fell behind), so
 * a byte crosses from main once (logFollow.ts). Write flow control: while xterm has more than HIGH
 * characters pending the pane takes no more and reads on under LOW, so a flood of output never
 * piles up in memory or freezes the window.
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

    let pageBytes = FIRST_PAGE;
    const follower = new LogFollower(
      attempt,
      {
        read: (offset) => {
          const maxBytes = pageBytes;
          pageBytes = Math.min(PAGE, pageBytes * 4);
          return client.invoke('logs.read', { id: jobId, ...(attempt ? { attempt } : {}), offset, maxBytes, merge: true });
        },
        write: (text, parsed) => {
          term.write(text, parsed);
          if (followRef.current) term.scrollToBottom();
        },
        onError: reportError,
      },
      { high: HIGH, low: LOW, slice: SLICE },
    );

    const offs: (() => void)[] = [];
    if (live) {
      offs.push(client.on('log.chunks', ({ id, chunks }) => id === jobId && follower.onChunks(chunks)));
      // The job ended: a last read by range for what no event brought (output written before this
      // pane's subscription reached main, and not in the file yet when the pane first read it).
      offs.push(client.on('job.updated', (job) => job.id === jobId && isTerminal(job.status) && follower.catchUp()));
      void client.invoke('logs.subscribe', { id: jobId }).catch(reportError);
      // A reconnected host has forgotten this page's subscription: subscribe again and catch up.
      offs.push(
        useApp.subscribe((s, prev) => {
          if (s.connectedEpoch === prev.connectedEpoch) return;
          void client.invoke('logs.subscribe', { id: jobId }).catch(reportError);
          follower.catchUp();
        }),
      );
    }
    follower.catchUp();

    return () => {
      follower.dispose();
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
