import type { LogStream } from '../../../../shared/ipc';
import type { useLogSearch } from './useLogSearch';
import type { LogFormat } from './fullLog';

export type StreamFilter = 'all' | 'stdout' | 'stderr';
export const STREAMS: Record<StreamFilter, readonly LogStream[]> = {
  all: ['stdout', 'stderr', 'system'],
  stdout: ['stdout'],
  stderr: ['stderr'],
};

interface Props {
  search: ReturnType<typeof useLogSearch>;
  filter: StreamFilter;
  onFilter(f: StreamFilter): void;
  timestamps: boolean;
  onTimestamps(on: boolean): void;
  wrap: boolean;
  onWrap(on: boolean): void;
  follow: boolean;
  onFollow(on: boolean): void;
  onEnd(): void;
  onCopy(): void;
  onDownload(format: LogFormat): void;
}

/** Search (whole log, in the host), the stream filter, view toggles, copy and download. */
export function LogToolbar(p: Props) {
  const { search, setSearch, results, error, run, step } = p.search;
  const count = results ? (results.total === 0 ? 'no match' : `${results.index + 1} of ${results.total}`) : '';
  return (
    <div className="logpane-bar" role="toolbar" aria-label="Log">
      <input
        data-search
        aria-label="Search the whole log"
        placeholder="Search the log  ( / )"
        value={search.query}
        onChange={(e) => setSearch({ ...search, query: e.target.value })}
        onKeyDown={(e) => {
          if (e.key !== 'Enter') return;
          e.preventDefault();
          if (results) step(e.shiftKey ? -1 : 1);
          else void run();
        }}
        aria-invalid={error ? true : undefined}
        title={error}
      />
      <label className="check small" title="Regular expression">
        <input type="checkbox" aria-label="Regular expression" checked={search.regex} onChange={(e) => setSearch({ ...search, regex: e.target.checked })} /> .*
      </label>
      <label className="check small" title="Match case">
        <input type="checkbox" aria-label="Match case" checked={search.caseSensitive} onChange={(e) => setSearch({ ...search, caseSensitive: e.target.checked })} /> Aa
      </label>
      <button className="small" onClick={() => step(-1)} disabled={!search.query} aria-label="Previous match" title="Previous match (Shift+Enter)">
        ↑
      </button>
      <button className="small" onClick={() => step(1)} disabled={!search.query} aria-label="Next match" title="Next match (Enter)">
        ↓
      </button>
      <span className="small log-count" data-testid="log-match-count" aria-live="polite">
        {error ? <span className="log-error">{error}</span> : count}
        {results && results.matches.length < results.total && <span className="muted"> (first {results.matches.length} listed)</span>}
      </span>
      <div className="spacer" />
      <select aria-label="Streams shown" value={p.filter} onChange={(e) => p.onFilter(e.target.value as StreamFilter)}>
        <option value="all">All streams</option>
        <option value="stdout">stdout only</option>
        <option value="stderr">stderr only</option>
      </select>
      <label className="check small">
        <input type="checkbox" checked={p.timestamps} onChange={(e) => p.onTimestamps(e.target.checked)} /> Times
      </label>
      <label className="check small">
        <input type="checkbox" checked={p.wrap} onChange={(e) => p.onWrap(e.target.checked)} /> Wrap
      </label>
      <label className="check small">
        <input type="checkbox" checked={p.follow} onChange={(e) => p.onFollow(e.target.checked)} /> Follow
      </label>
      <button className="small" onClick={p.onEnd}>
        Jump to end
      </button>
      <button className="small" onClick={p.onCopy} title="Copy the whole log as plain text">
        Copy
      </button>
      <button className="small" onClick={() => p.onDownload('text')} title="Download the whole log as plain text">
        Download
      </button>
      <button className="small" onClick={() => p.onDownload('json')} title="Download the whole log with streams and times (JSON lines)">
        Download with times
      </button>
    </div>
  );
}
