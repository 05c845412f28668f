import type { EngineInfo } from '../../../../shared/engine';
import { spanMs } from '../../../../shared/jobNumbers';
import type { Settings } from '../../../../shared/settings';
import { client } from '../../client/client';
import { EngineLimit, engineLimitOf } from '../../views/EngineLimit';
import { duration, when } from '../format';
import { reportError } from '../../store/app';
import { DefaultContext } from './DefaultContext';
import { defaultBy } from './defaultBy';
import { NamespaceField } from './NamespaceField';

/** "just now", "3 s ago": to the second, as probes come every few seconds. */
function checkedAgo(checkedAt: string, now: number): string {
  const ms = spanMs({ from: checkedAt }, Math.max(now, Date.parse(checkedAt)));
  return ms !== null && ms < 1000 ? 'just now' : `${duration(ms)} ago`;
}

/** A socket is a path on this machine; tcp:// and ssh:// name another machine's address. */
export const addressLabel = (host: string): string => (/^(tcp|ssh|https?):\/\//.test(host) ? 'Address' : 'Socket');

interface Props {
  engine: EngineInfo;
  settings: Settings | undefined;
  now: number;
  onSettings(s: Settings): void;
  onRemoved(): void;
}

/** One engine: a Docker or Podman engine (its socket or address), or a Kubernetes context (its cluster and namespace). */
export function EngineCard({ engine: e, settings, now, onSettings, onRemoved }: Props) {
  const k = e.kubernetes;
  const up = e.status === 'available';
  // A cluster is reachable or not; an engine available or not (what Docker Desktop says).
  const state = k ? (up ? 'reachable' : 'unreachable') : e.status;
  return (
    <div className={`card engine ${e.status}`} data-testid="engine-card" data-engine={e.id} data-status={e.status}>
      <div className="card-head">
        <span className={`dot ${up ? 'dot-ok' : 'dot-bad'}`} />
        <b className="ellipsis" title={e.id}>
          {e.id}
        </b>
        <span className="pill">{e.kind}</span>
        {k && defaultBy(settings, k) && (
          <span className="pill" data-testid="engine-default-pill" aria-hidden="true" style={{ color: 'var(--info)', borderColor: 'var(--info)' }}>
            default
          </span>
        )}
        <div className="spacer" />
        <span className={up ? 'ok-text' : 'bad-text'} data-testid="engine-state">
          {state}
        </span>
      </div>
      <dl className="kv">
        {k ? (
          <>
            <dt>Context</dt>
            <dd className="mono ellipsis" title={k.context}>
              {k.context}
            </dd>
            <dt>Cluster</dt>
            <dd className="mono ellipsis" title={e.host} data-testid="engine-server">
              {k.cluster ? `${k.cluster} · ` : ''}
              {e.host}
            </dd>
            <dt>Namespace</dt>
            <dd data-testid="engine-namespace" data-namespace={k.namespace}>
              {settings ? <NamespaceField key={`${k.context}:${k.namespace}`} engine={e} settings={settings} onSaved={onSettings} /> : k.namespace}
            </dd>
            <dt title='What a template or run with engine "kubernetes" runs on'>Default</dt>
            <dd>
              <DefaultContext engine={e} settings={settings} onSaved={onSettings} />
            </dd>
          </>
        ) : (
          <>
            <dt>{addressLabel(e.host)}</dt>
            <dd className="mono ellipsis" title={e.host}>
              {e.host}
            </dd>
          </>
        )}
        <dt>Version</dt>
        <dd>
          {e.version ?? '–'}
          {e.apiVersion ? <span className="muted"> · API {e.apiVersion}</span> : null}
        </dd>
        <dt>Found via</dt>
        <dd>{e.source}</dd>
        <dt>Running</dt>
        <dd data-testid="engine-running">{e.running}</dd>
        <dt>Concurrent jobs</dt>
        <dd>{settings && <EngineLimit key={`${e.id}:${engineLimitOf(settings, e.id) ?? ''}`} id={e.id} settings={settings} onSaved={onSettings} />}</dd>
        <dt>Checked</dt>
        <dd className="muted" data-checked-at={e.checkedAt} title={when(e.checkedAt)}>
          {checkedAgo(e.checkedAt, now)}
        </dd>
      </dl>
      {e.error && (
        <div className="issue issue-error" data-testid="engine-error">
          {e.error}
        </div>
      )}
      {e.source === 'settings' && (
        <button className="small danger" onClick={() => void client.invoke('engines.remove', { id: e.id }).then(onRemoved, reportError)}>
          Remove
        </button>
      )}
    </div>
  );
}
