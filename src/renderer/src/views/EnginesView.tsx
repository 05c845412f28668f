import { useEffect, useState } from 'react';
import type { DockerContext } from '../../../shared/engine';
import type { Settings } from '../../../shared/settings';
import { client } from '../client/client';
import { EngineAddForm, draftFromContext, type EngineDraft } from './EngineAddForm';
import { EngineCard } from '../components/engines/EngineCard';
import { MissingDefaultContext } from '../components/engines/DefaultContext';
import { useNow } from '../components/useNow';
import { reportError, useApp } from '../store/app';

export function EnginesView() {
  // Running and checkedAt arrive as engine.status events; the clock makes "Checked … ago" tick.
  const engines = useApp((s) => s.engines);
  const now = useNow();
  const [busy, setBusy] = useState(false);
  const [adding, setAdding] = useState<EngineDraft | undefined>();
  const [contexts, setContexts] = useState<DockerContext[] | undefined>();
  const [settings, setSettings] = useState<Settings | undefined>();
  useEffect(() => {
    void client.invoke('settings.get', {}).then(setSettings, reportError);
  }, [engines.length]);
  const showContexts = async () => {
    try {
      setContexts(await client.invoke('engines.contexts', {}));
    } catch (error) {
      reportError(error);
    }
  };

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
        <button onClick={() => void showContexts()}>Import Docker context</button>
        <button className="primary" onClick={() => setAdding({ id: '', host: 'tcp://' })}>
          Add remote host
        </button>
      </header>
      {contexts && (
        <section className="panel" aria-label="Docker contexts" data-testid="docker-contexts">
          <h3>Docker contexts</h3>
          {contexts.length === 0 && <p className="muted">No Docker contexts in ~/.docker/contexts (docker context create makes them).</p>}
          <ul style={{ listStyle: 'none', padding: 0, display: 'grid', gap: 6 }}>
            {contexts.map((c) => (
              <li key={c.name} data-testid="docker-context" className="row">
                <b>{c.name}</b>
                {c.current && <span className="pill">current</span>}
                <span className="mono ellipsis">{c.host || '–'}</span>
                {c.description && <span className="muted">{c.description}</span>}
                {c.problem ? (
                  <span className="bad-text">{c.problem}</span>
                ) : (
                  <button className="small" aria-label={`Import ${c.name}`} onClick={() => (setAdding(draftFromContext(c)), setContexts(undefined))}>
                    Import
                  </button>
                )}
              </li>
            ))}
          </ul>
          <button className="small" onClick={() => setContexts(undefined)}>
            Close
          </button>
        </section>
      )}
      {adding && <EngineAddForm key={`${adding.id}|${adding.host}`} draft={adding} onDone={() => setAdding(undefined)} />}
      {engines.length === 0 && <p className="empty">No engine found. Start Docker or Podman, or add a host.</p>}
      <MissingDefaultContext engines={engines} settings={settings} onSaved={setSettings} />
      <div className="cards">
        {engines.map((e) => (
          <EngineCard key={e.id} engine={e} settings={settings} now={now} onSettings={setSettings} onRemoved={() => void refresh()} />
        ))}
      </div>
    </section>
  );
}

