import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { isTerminal } from '../../../shared/job';
import type { LogMatch } from '../../../shared/logLines';
import { client } from '../client/client';
import { reportError, useApp } from '../store/app';
import { downloadLog, fullLogText } from './log/fullLog';
import { formatLines, formatTail, LineFormatter } from './log/lineFormat';
import { LogToolbar, STREAMS, type StreamFilter } from './log/LogToolbar';
import { LogWindowBar } from './log/LogWindowBar';
import { PaneGutter } from './log/paneGutter';
import { tailLost, useLogTail } from './log/logTail';
import { TerminalLines } from './log/terminalLines';
import { useLogSearch } from './log/useLogSearch';
import './log/log.css';
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
/**
 * File bytes per logs.read (a catch-up): few round trips for a long log, and a reply still parses
 * in a few ms. (4 MiB pages were tried: the host spends the same CPU per MiB whatever the page,
 * no gain showed on a loaded machine, and each reply's task grows.)
 */
const PAGE = 1024 * 1024;
/** The first page is small so the terminal starts on it while the larger ones come (×4 a read up to PAGE). */
const FIRST_PAGE = 64 * 1024;
/** Characters per term.write: xterm parses one write without yielding, so none may be large. */
const SLICE = 32 * 1024;
/** Earlier lines come in steps of STEP, a window of WINDOW at a time (within the terminal's scrollback). */
const STEP = 4000;
const WINDOW = 8000;
/** Columns of a terminal that does not wrap: longer lines scroll sideways. */
const NOWRAP_COLS = 500;
/** "Lines X–Y of Z" follows the terminal at most this often (ms): a React render per frame would slow a long log down. */
const HELD_EVERY = 250;

interface Props {
  jobId: string;
  attempt: number | undefined;
  live: boolean;
}

/** Where to put the view once a window of earlier lines is in: a line at the top, or a search match. */
interface Pending {
  line: number;
  match?: LogMatch;
}

/**
 * A log pane. The tail: live chunks carry the text the pane writes and where it lies in the log
 * file; the pane reads the file by range only to fill a gap, so a byte crosses from main once
 * (logFollow.ts), under write flow control. Before the tail: windows of numbered lines read by
 * line number (logs.lines) when the user scrolls to the top or a search match lies there. Every
 * line's number, stream mark and time are drawn in a gutter beside the terminal for the rows in
 * view (log/paneGutter.ts), so the terminal parses the log's text alone; search runs in the host.
 */
export function LogPane({ jobId, attempt, live }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const gutterEl = useRef<HTMLDivElement>(null);
  const [filter, setFilter] = useState<StreamFilter>('all');
  const [timestamps, setTimestamps] = useState(false);
  const [wrap, setWrap] = useState(true);
  const [follow, setFollow] = useState(true);
  /** A window of earlier lines from this line on; undefined: the live tail. */
  const [windowFrom, setWindowFrom] = useState<number | undefined>();
  const [held, setHeld] = useState<{ first?: number; last?: number; total: number; trimmed: boolean }>({ total: 0, trimmed: false });
  const [term, setTerm] = useState<Terminal | undefined>();
  const followRef = useRef(follow);
  followRef.current = follow;
  const wrapRef = useRef(wrap);
  wrapRef.current = wrap;
  const pending = useRef<Pending | undefined>(undefined);
  const liveRef = useRef(live);
  const streams = useMemo(() => STREAMS[filter], [filter]);
  const windowRef = useRef(windowFrom);
  windowRef.current = windowFrom;
  /** What the tail's formatter has numbered (total lines) and first shown. */
  const tail = useRef<LineFormatter | undefined>(undefined);
  /** Lines of the shown streams come before the first one the tail opened on (logs.tail's hasEarlier). */
  const tailEarlier = useRef(false);
  const totalRef = useRef(0);
  const termRef = useRef<Terminal | undefined>(undefined);
  /** Which line each row shows, for what the terminal holds now. */
  const linesRef = useRef<TerminalLines | undefined>(undefined);
  const gutter = useRef<PaneGutter | undefined>(undefined);
  /** Scrolls the pane makes itself (after a load, a jump) are not the user scrolling to the top. */
  const quietUntil = useRef(0);

  const refreshHeld = useCallback(() => {
    const t = tail.current;
    if (!termRef.current) return;
    const h = linesRef.current?.held() ?? {};
    const total = windowRef.current === undefined ? (t?.count ?? 0) : totalRef.current;
    const trimmed = windowRef.current === undefined ? tailLost(h.first, t, tailEarlier.current) : (windowRef.current ?? 1) > 1;
    setHeld((p) => (p.first === h.first && p.last === h.last && p.total === total && p.trimmed === trimmed ? p : { ...h, total, trimmed }));
  }, []);

  /** Earlier lines: a window that ends past `line`, with `line` at the top once it is in. */
  const loadEarlier = useCallback((line: number) => {
    const from = Math.max(1, line - STEP);
    if (windowRef.current !== undefined && from >= windowRef.current) return;
    pending.current = { line };
    setFollow(false);
    setWindowFrom(from);
  }, []);

  const fit = useRef<FitAddon | undefined>(undefined);
  const layout = useCallback(() => {
    const t = termRef.current;
    if (!t || !fit.current) return;
    fit.current.fit();
    if (!wrapRef.current) t.resize(Math.max(t.cols, NOWRAP_COLS), t.rows);
    gutter.current?.fit();
  }, []);

  const tailOf = useLogTail(jobId, attempt);

  // The terminal, once per pane (see the effect below).
  const openTerminal = useCallback((): (() => void) | undefined => {
    if (!host.current || !gutterEl.current) return undefined;
    const t = new Terminal({ ...TERMINAL_OPTIONS, convertEol: true });
    fit.current = new FitAddon();
    t.loadAddon(fit.current);
    t.open(host.current);
    termRef.current = t;
    const g = new PaneGutter(gutterEl.current, t);
    gutter.current = g;
    layout();
    const resize = new ResizeObserver(() => layout());
    resize.observe(host.current);
    // The held range at most every HELD_EVERY ms, and once more after the last render.
    let timer: ReturnType<typeof setTimeout> | undefined;
    let heldAt = 0;
    const soon = () => {
      if (timer) return;
      timer = setTimeout(() => ((timer = undefined), (heldAt = performance.now()), refreshHeld()), Math.max(0, heldAt + HELD_EVERY - performance.now()));
    };
    // Only the user's own scrolling (wheel, scrollbar, keys) stops following or loads earlier
    // lines; the terminal scrolls by itself as output comes. Looked at once a frame the terminal
    // draws (and after a wheel at the top, which draws nothing), not per line scrolled: xterm
    // fires onScroll for each line of output.
    let byUserTimer: ReturnType<typeof setTimeout> | undefined;
    let byUserNow = false;
    const userScrolled = () => {
      if (!byUserNow || performance.now() < quietUntil.current) return;
      const buf = t.buffer.active;
      if (buf.viewportY < buf.baseY && followRef.current) setFollow(false);
      if (buf.viewportY !== 0) return;
      // Scrolled to the top of what the pane holds: the lines before it come next.
      const first = linesRef.current?.lineAt(0)?.n;
      const fmt = tail.current;
      const lost = windowRef.current === undefined ? tailLost(first, fmt, tailEarlier.current) : (windowRef.current ?? 1) > 1;
      if (lost && first !== undefined) loadEarlier(first);
    };
    let inputFrame = 0;
    const byUser = () => {
      byUserNow = true;
      clearTimeout(byUserTimer);
      byUserTimer = setTimeout(() => (byUserNow = false), 1500);
      cancelAnimationFrame(inputFrame);
      inputFrame = requestAnimationFrame(userScrolled);
    };
    const el = host.current;
    for (const type of ['wheel', 'pointerdown', 'keydown'] as const) el.addEventListener(type, byUser, { capture: true, passive: true });
    const offRender = t.onRender(() => {
      g.draw();
      soon();
      userScrolled();
    });
    // The pane's reads start in the next task: xterm's open is a long one by itself.
    const ready = setTimeout(() => setTerm(t), 0);
    return () => {
      clearTimeout(timer);
      clearTimeout(ready);
      clearTimeout(byUserTimer);
      cancelAnimationFrame(inputFrame);
      offRender.dispose();
      for (const type of ['wheel', 'pointerdown', 'keydown'] as const) el.removeEventListener(type, byUser, { capture: true });
      resize.disconnect();
      t.dispose();
      termRef.current = undefined;
      gutter.current = undefined;
      linesRef.current = undefined;
      setTerm(undefined);
    };
    // A pane is keyed by job and attempt (JobView): made once.
  }, [layout, refreshHeld, loadEarlier]);
  // In a task of its own: the click that opens a job paints the job first, and no one task both
  // renders the view and makes the terminal.
  useEffect(() => {
    let undo: (() => void) | undefined;
    const timer = setTimeout(() => (undo = openTerminal()), 0);
    return () => {
      clearTimeout(timer);
      undo?.();
    };
  }, [openTerminal, jobId, attempt]);

  useEffect(() => layout(), [wrap, layout]);
  useEffect(() => {
    if (!gutter.current) return;
    gutter.current.timestamps = timestamps;
    gutter.current.draw();
  }, [timestamps, term]);

  const jump = useCallback((line: number, match?: LogMatch) => {
    const t = termRef.current;
    if (!t) return;
    const row = linesRef.current?.rowOf(line);
    setFollow(false);
    followRef.current = false;
    quietUntil.current = performance.now() + 400;
    if (row === undefined) {
      // Not in the pane: the window of lines around it.
      pending.current = { line, ...(match ? { match } : {}) };
      setWindowFrom(Math.max(1, line - STEP / 2));
      return;
    }
    if (!match) return t.scrollToLine(row);
    t.scrollToLine(Math.max(0, row - 3));
    t.select(match.start, row, Math.max(1, match.end - match.start));
  }, []);

  // What the terminal shows: the live tail, or a window of earlier lines.
  useEffect(() => {
    if (!term || attempt === undefined) return;
    quietUntil.current = performance.now() + 400;
    term.reset();
    term.clearSelection();
    const lines = new TerminalLines(term);
    linesRef.current = lines;
    const g = gutter.current;
    if (g) {
      g.lines = lines;
      g.last = 0;
      g.draw();
    }
    if (windowFrom !== undefined) {
      let gone = false;
      void client.invoke('logs.lines', { id: jobId, attempt, from: windowFrom, count: WINDOW, streams: [...streams] }).then((page) => {
        if (gone) return;
        totalRef.current = page.total;
        if (g) g.last = page.total;
        quietUntil.current = performance.now() + 400;
        lines.write(formatLines(page.lines, lines.lines), () => {
          const p = pending.current;
          pending.current = undefined;
          quietUntil.current = performance.now() + 400;
          if (p) jump(p.line, p.match);
          else term.scrollToTop();
          refreshHeld();
        });
      }, reportError);
      return () => {
        gone = true;
        lines.dispose();
      };
    }
    const formatter = new LineFormatter(streams, lines.lines);
    tail.current = formatter;
    tailEarlier.current = false;
    let pageBytes = FIRST_PAGE;
    const follower = new LogFollower(
      attempt,
      {
        // Opened on the log's tail, as `docker logs --tail`: the terminal keeps no more than that.
        start: async () => {
          const last = await tailOf(attempt, streams);
          tailEarlier.current = last.hasEarlier;
          formatter.resume(last);
          if (g) g.last = last.total;
          return { offset: last.offset, text: formatTail(last, lines.lines) };
        },
        read: (offset) => {
          const maxBytes = pageBytes;
          pageBytes = Math.min(PAGE, pageBytes * 4);
          return client.invoke('logs.read', { id: jobId, attempt, offset, maxBytes, merge: true });
        },
        write: (text, parsed) => {
          // Once parsed too: lines added while the terminal trims its scrollback can leave the
          // view a row or two above the end.
          lines.write(text, () => {
            const buf = term.buffer.active;
            if (followRef.current && buf.viewportY !== buf.baseY) term.scrollToBottom();
            parsed();
          });
        },
        onError: reportError,
      },
      { high: HIGH, low: LOW, slice: SLICE },
      (chunks) => {
        const text = formatter.format(chunks);
        if (g) g.last = formatter.count;
        return text;
      },
    );
    const offs: (() => void)[] = [];
    if (liveRef.current) {
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
      lines.dispose();
      for (const off of offs) off();
      if (liveRef.current) void client.invoke('logs.unsubscribe', { id: jobId }).catch(() => undefined);
      tail.current = undefined;
    };
    // `live` is read once: when the job ends the pane keeps its text and the final read drains it.
  }, [term, jobId, attempt, streams, windowFrom, jump, refreshHeld, tailOf]);

  const search = useLogSearch(jobId, attempt ?? 1, streams, useCallback((m: LogMatch) => jump(m.n, m), [jump]));

  const copy = async () => {
    if (attempt === undefined) return;
    await navigator.clipboard.writeText(await fullLogText(jobId, attempt)).catch(reportError);
  };
  const toEnd = () => {
    setFollow(true);
    if (windowFrom === undefined) termRef.current?.scrollToBottom();
    else setWindowFrom(undefined);
  };

  return (
    <div className="logpane">
      <LogToolbar
        search={search}
        filter={filter}
        onFilter={(f) => {
          // Another filter: its lines from the tail (a window of earlier lines would hide the others).
          setFilter(f);
          setWindowFrom(undefined);
        }}
        timestamps={timestamps}
        onTimestamps={setTimestamps}
        wrap={wrap}
        onWrap={setWrap}
        follow={follow}
        onFollow={(on) => (on ? toEnd() : setFollow(false))}
        onEnd={toEnd}
        onCopy={() => void copy()}
        onDownload={(format) => attempt !== undefined && void downloadLog(jobId, attempt, format, streams).catch(reportError)}
      />
      <LogWindowBar
        held={held}
        windowed={windowFrom !== undefined}
        onEarlier={() => held.first !== undefined && loadEarlier(held.first)}
        onLater={() => {
          if (windowFrom === undefined) return;
          if (windowFrom + WINDOW > held.total) toEnd();
          else setWindowFrom(windowFrom + STEP);
        }}
        onEnd={toEnd}
      />
      <div className="logpane-body">
        <div className="logpane-gutter" ref={gutterEl} aria-hidden="true" data-testid="log-gutter" />
        <div className={`logpane-term${wrap ? '' : ' nowrap'}`} ref={host} data-testid="log-pane" />
      </div>
    </div>
  );
}
