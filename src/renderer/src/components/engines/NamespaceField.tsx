import { useState } from 'react';
import { KubernetesNamespace, type EngineInfo } from '../../../../shared/engine';
import type { Settings } from '../../../../shared/settings';
import { client } from '../../client/client';
import { reportError, useApp } from '../../store/app';

/** The settings' namespaces with one context's set, or (empty) back to the kubeconfig's. */
export function withNamespace(settings: Settings, context: string, namespace: string): Record<string, string> {
  const { [context]: _old, ...others } = settings.kubernetes?.namespaces ?? {};
  return namespace ? { ...others, [context]: namespace } : others;
}

/**
 * "Namespace" on a Kubernetes engine's card: where its Jobs go, kept in Jobdeck's settings (the
 * kubeconfig is never written); empty goes back to the kubeconfig's. The core answers with the
 * engines made again, so the card shows the namespace in use.
 */
export function NamespaceField({ engine, settings, onSaved }: { engine: EngineInfo; settings: Settings; onSaved(s: Settings): void }) {
  const k = engine.kubernetes!;
  const [value, setValue] = useState(k.namespace);
  const [error, setError] = useState<string | undefined>();
  const kubeconfigNamespace = k.kubeconfigNamespace ?? k.namespace;
  const typed = value.trim();
  const changed = typed !== k.namespace && !(typed === '' && !k.kubeconfigNamespace);

  const save = async () => {
    const parsed = typed === '' ? undefined : KubernetesNamespace.safeParse(typed);
    if (parsed && !parsed.success) return setError(parsed.error.issues[0]?.message);
    setError(undefined);
    // The kubeconfig's own namespace is no choice of Jobdeck's: it is not stored.
    const chosen = typed === kubeconfigNamespace ? '' : typed;
    try {
      const next = await client.invoke('settings.update', { kubernetes: { namespaces: withNamespace(settings, k.context, chosen) } });
      onSaved(next);
      useApp.setState({ engines: await client.invoke('engines.list', {}) });
      useApp.getState().toast('success', `New jobs on ${engine.id} go to namespace ${chosen || kubeconfigNamespace}`);
      if (!chosen) setValue(kubeconfigNamespace);
    } catch (err) {
      reportError(err);
    }
  };

  return (
    <form className="inline-form" style={{ display: 'flex', gap: 6, alignItems: 'center', flexWrap: 'wrap' }} onSubmit={(e) => (e.preventDefault(), void save())}>
      <input
        aria-label={`Namespace on ${engine.id}`}
        className="mono"
        value={value}
        onChange={(e) => (setValue(e.target.value), setError(undefined))}
        placeholder={kubeconfigNamespace}
        style={{ width: 160 }}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${engine.id}-ns-error` : undefined}
      />
      {changed && (
        <button type="submit" className="small">
          Save
        </button>
      )}
      {k.kubeconfigNamespace && <span className="muted small">kubeconfig: {k.kubeconfigNamespace}</span>}
      {error && (
        <em className="field-error" id={`${engine.id}-ns-error`} role="alert">
          {error}
        </em>
      )}
    </form>
  );
}
