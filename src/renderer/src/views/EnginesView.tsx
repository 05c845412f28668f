import { useState } from 'react';
import { NewEngineConfig } from '../../../shared/engine';
import { formatPath } from '../../../shared/errors';
import { client } from '../client/client';
import { spanMs } from '../../../shared/jobNumbers';
import { duration, when } from '../components/format';
import { useNow } from '../components/useNow';
import { reportError, useApp } from '../store/app';

export function EnginesView() {
  // Running and checkedAt arrive as engine.status events; the clock makes "Checked … ago" tick.
  const engines = useApp((s) => s.engines);
  const now = useNow();
  const [busy, setBusy] = useState(false);
  const [adding, setAdding] = useState(false);

  const refresh = async () => {
    setBusy(true);
    try {
      useApp.setState({ engines: await client.invoke('engines.refresh', {}) });
    } catch (error) {
      reportError(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="view" data-testid="engines-view">
      <header className="view-head">
        <h1>Engines</h1>
        <div className="spacer" />
        <button onClick={() => void refresh()} disabled={busy}>
          {busy ? 'Checking…' : 'Refresh'}
        </button>
        <button className="primary" onClick={() => setAdding(true)}>
          Add remote host
        </button>
      </header>
      {adding && <AddEngine onDone={() => setAdding(false)} />}
      {engines.length === 0 && <p className="empty">No engine found. Start Docker or Podman, or add a host.</p>}
      <div className="cards">
        {engines.map((e) => (
          <div key={e.id} className={`card engine ${e.status}`} data-testid="engine-card" data-engine={e.id} data-status={e.status}>
            <div className="card-head">
              <span className={`dot ${e.status === 'available' ? 'dot-ok' : 'dot-bad'}`} />
              <b>{e.id}</b>
              <span className="pill">{e.kind}</span>
              <div className="spacer" />
              <span className={e.status === 'available' ? 'ok-text' : 'bad-text'}>{e.status}</span>
            </div>
            <dl className="kv">
              <dt>Socket</dt>
              <dd className="mono ellipsis" title={e.host}>
                {e.host}
              </dd>
              <dt>Version</dt>
              <dd>
                {e.version ?? '–'}
                {e.apiVersion ? <span className="muted"> · API {e.apiVersion}</span> : null}
              </dd>
              <dt>Found via</dt>
              <dd>{e.source}</dd>
              <dt>Running</dt>
              <dd data-testid="engine-running">{e.running}</dd>
              <dt>Checked</dt>
              <dd className="muted" data-checked-at={e.checkedAt} title={when(e.checkedAt)}>
                {checkedAgo(e.checkedAt, now)}
              </dd>
            </dl>
            {e.error && <div className="issue issue-error">{e.error}</div>}
            {e.source === 'settings' && (
              <button
                className="small danger"
                onClick={() => void client.invoke('engines.remove', { id: e.id }).then(() => refresh(), reportError)}
              >
                Remove
              </button>
            )}
          </div>
        ))}
      </div>
    </section>
  );
}

/** "just now", "3 s ago": to the second, as probes come every few seconds. */
function checkedAgo(checkedAt: string, now: number): string {
  const ms = spanMs({ from: checkedAt }, Math.max(now, Date.parse(checkedAt)));
  return ms !== null && ms < 1000 ? 'just now' : `${duration(ms)} ago`;
}

function AddEngine({ onDone }: { onDone(): void }) {
  const [id, setId] = useState('');
  const [kind, setKind] = useState<'docker' | 'podman'>('docker');
  const [host, setHost] = useState('tcp://');
  const [touched, setTouched] = useState(false);
  const parsed = NewEngineConfig.safeParse({ id, kind, host });
  const issues: Record<string, string> = {};
  if (!parsed.success && touched) for (const i of parsed.error.issues) issues[formatPath(i.path)] ??= i.message;

  const add = async () => {
    setTouched(true);
    if (!parsed.success) return;
    try {
      const info = await client.invoke('engines.add', parsed.data);
      useApp.setState((s) => ({ engines: [...s.engines.filter((e) => e.id !== info.id), info] }));
      onDone();
    } catch (error) {
      reportError(error);
    }
  };

  return (
    <form className="panel form" onSubmit={(e) => (e.preventDefault(), void add())}>
      <h3>Add a remote engine</h3>
      <div className="row">
        <label className={`field ${issues.id ? 'invalid' : ''}`}>
          <span>Id</span>
          <input value={id} onChange={(e) => setId(e.target.value)} placeholder="build-box" />
          {issues.id && <em className="field-error">{issues.id}</em>}
        </label>
        <label className="field">
          <span>Kind</span>
          <select value={kind} onChange={(e) => setKind(e.target.value === 'podman' ? 'podman' : 'docker')}>
            <option value="docker">docker</option>
            <option value="podman">podman</option>
          </select>
        </label>
        <label className={`field grow ${issues.host ? 'invalid' : ''}`}>
          <span>Host</span>
          <input value={host} onChange={(e) => setHost(e.target.value)} placeholder="tcp://10.0.0.5:2375 or ssh://user@host" />
          {issues.host && <em className="field-error">{issues.host}</em>}
        </label>
      </div>
      <div className="form-actions">
        <button type="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="primary">
          Add engine
        </button>
      </div>
    </form>
  );
}
