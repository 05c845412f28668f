import { useCallback, useState } from 'react';
import type { LogStream } from '../../../../shared/ipc';
import type { LogMatch, LogSearchResult } from '../../../../shared/logLines';
import { client } from '../../client/client';

export interface SearchState {
  query: string;
  regex: boolean;
  caseSensitive: boolean;
}

export interface SearchResults extends LogSearchResult {
  /** What was searched for: a change of query means a new search. */
  asked: SearchState;
  /** The match shown (index into matches). */
  index: number;
}

/**
 * Search over the whole log in the host (logs.search), with a current match that previous/next
 * move (wrapping round); `onMatch` brings the match into view, loading its page if need be.
 */
export function useLogSearch(jobId: string, attempt: number, streams: readonly LogStream[], onMatch: (m: LogMatch) => void) {
  const [search, setSearch] = useState<SearchState>({ query: '', regex: false, caseSensitive: false });
  const [results, setResults] = useState<SearchResults | undefined>();
  const [error, setError] = useState<string | undefined>();

  const run = useCallback(async () => {
    if (!search.query) return setResults(undefined);
    try {
      const r = await client.invoke('logs.search', {
        id: jobId,
        attempt,
        query: search.query,
        regex: search.regex,
        caseSensitive: search.caseSensitive,
        ...(streams.length < 3 ? { streams: [...streams] } : {}),
      });
      setError(undefined);
      setResults({ ...r, asked: search, index: 0 });
      if (r.matches[0]) onMatch(r.matches[0]);
    } catch (e) {
      setResults(undefined);
      setError(e instanceof Error ? e.message : String(e));
    }
  }, [jobId, attempt, search, streams, onMatch]);

  const fresh = results !== undefined && JSON.stringify(results.asked) === JSON.stringify(search);
  const step = useCallback(
    (by: 1 | -1) => {
      if (!fresh || !results || results.matches.length === 0) return void run();
      const index = (results.index + by + results.matches.length) % results.matches.length;
      setResults({ ...results, index });
      onMatch(results.matches[index]!);
    },
    [fresh, results, run, onMatch],
  );

  return { search, setSearch, results: fresh ? results : undefined, error, run, step };
}
