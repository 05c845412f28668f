import { useCallback, useEffect, useRef } from 'react';
import type { LogStream } from '../../../../shared/ipc';
import type { LogTail } from '../../../../shared/logLines';
import { client } from '../../client/client';
import { TERMINAL_OPTIONS } from '../terminalOptions';
import type { LineFormatter } from './lineFormat';
import { STREAMS } from './LogToolbar';

/** Lines a pane opens on (logs.tail): what its terminal keeps; earlier ones load as the user scrolls up. */
export const TAIL = TERMINAL_OPTIONS.scrollback;

const keyOf = (jobId: string, attempt: number, streams: readonly LogStream[]) => `${jobId}:${attempt}:${streams.join(',')}`;

/**
 * The log's tail for a pane: asked for as soon as the pane mounts (all streams), while its
 * terminal is being made, so the host reads it meanwhile; the pane's first read takes that answer,
 * and any later one (another filter, another attempt) asks again.
 */
export function useLogTail(jobId: string, attempt: number | undefined): (attempt: number, streams: readonly LogStream[]) => Promise<LogTail> {
  const prefetched = useRef<{ key: string; tail: Promise<LogTail> } | undefined>(undefined);
  const tailOf = useCallback(
    (n: number, streams: readonly LogStream[]): Promise<LogTail> => {
      const p = prefetched.current;
      prefetched.current = undefined;
      if (p?.key === keyOf(jobId, n, streams)) return p.tail;
      return client.invoke('logs.tail', { id: jobId, attempt: n, count: TAIL, ...(streams.length < 3 ? { streams: [...streams] } : {}) });
    },
    [jobId],
  );
  useEffect(() => {
    if (attempt === undefined) return;
    const tail = tailOf(attempt, STREAMS.all);
    // A failure is said by the read that takes it.
    tail.catch(() => undefined);
    prefetched.current = { key: keyOf(jobId, attempt, STREAMS.all), tail };
    return () => {
      prefetched.current = undefined;
    };
  }, [jobId, attempt, tailOf]);
  return tailOf;
}

/** The tail has lost lines from its start: the terminal's top is past the first line it showed, or there were earlier ones before it. */
export function tailLost(top: number | undefined, fmt: LineFormatter | undefined, earlier: boolean): boolean {
  if (top === undefined || fmt?.first === undefined) return false;
  return top > fmt.first || (earlier && top === fmt.first);
}
