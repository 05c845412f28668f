import { useEffect, useRef, useState } from 'react';
import type { EngineInfo } from '../../../../shared/engine';
import type { Settings } from '../../../../shared/settings';
import { client } from '../../client/client';
import { reportError, useApp } from '../../store/app';
import { defaultBy, defaultText } from './defaultBy';

/**
 * Saves the default context (null: follow the kubeconfig's current-context again) as a merge patch
 * of settings.kubernetes, so the namespaces chosen per context stay; the core refuses a context the
 * kubeconfig does not have, and that message is what the user reads.
 */
async function saveDefault(context: string | null, onSaved: (s: Settings) => void): Promise<boolean> {
  try {
    const next = await client.invoke('settings.update', { kubernetes: { context } });
    onSaved(next);
    const engines = await client.invoke('engines.list', {});
    useApp.setState({ engines });
    const current = engines.find((e) => e.kubernetes?.current)?.kubernetes?.context;
    useApp
      .getState()
      .toast(
        'success',
        context
          ? `Jobs for engine "kubernetes" now run on context ${context}`
          : current
            ? `Jobs for engine "kubernetes" follow the kubeconfig's current context (now ${current})`
            : `Jobs for engine "kubernetes" follow the kubeconfig's current context (it sets none: they wait)`,
      );
    return true;
  } catch (error) {
    reportError(error);
    return false;
  }
}

const HELP = 'A template or run with engine "kubernetes" runs on the default context. Jobdeck keeps its choice in its own settings; the kubeconfig is never changed.';

/**
 * On a Kubernetes card: whether it is the default context, said in words (read by screen readers
 * as the row's text), "Make default" where it is not, and the way back to following the
 * kubeconfig's current-context where Jobdeck chose it. After a click the focus stays on the card
 * (the control that replaced the button, or the words), not lost to the page.
 */
export function DefaultContext({ engine, settings, onSaved }: { engine: EngineInfo; settings: Settings | undefined; onSaved(s: Settings): void }) {
  const k = engine.kubernetes!;
  const by = defaultBy(settings, k);
  const [busy, setBusy] = useState(false);
  const [refocus, setRefocus] = useState(false);
  const controls = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (!refocus) return;
    setRefocus(false);
    const target = controls.current?.querySelector('button') ?? controls.current;
    target?.focus();
  }, [refocus, by]);

  const choose = async (context: string | null) => {
    setBusy(true);
    const saved = await saveDefault(context, onSaved);
    setBusy(false);
    if (saved) setRefocus(true);
  };

  return (
    <span ref={controls} tabIndex={-1} style={{ display: 'flex', gap: 6, alignItems: 'center', flexWrap: 'wrap', outline: 'none' }}>
      <span data-testid="engine-default" data-default={by ?? 'no'} className={by ? undefined : 'muted'} title={HELP}>
        {settings ? defaultText(by, k) : '…'}
      </span>
      {settings && !by && (
        <button type="button" className="small" disabled={busy} onClick={() => void choose(k.context)} title={HELP}>
          Make default<span className="sr-only"> context: {k.context}</span>
        </button>
      )}
      {by === 'jobdeck' && (
        <button type="button" className="small" disabled={busy} onClick={() => void choose(null)} title="Clear Jobdeck's choice: engine &quot;kubernetes&quot; runs on the kubeconfig's current context again">
          Follow kubeconfig&apos;s current context
        </button>
      )}
    </span>
  );
}

/**
 * Jobdeck's chosen context is no longer in the kubeconfig (it was edited since): jobs for engine
 * "kubernetes" wait for it. Said above the cards, with the way back; nothing is cleared by itself.
 */
export function MissingDefaultContext({ engines, settings, onSaved }: { engines: EngineInfo[]; settings: Settings | undefined; onSaved(s: Settings): void }) {
  const chosen = settings?.kubernetes?.context;
  if (!chosen || engines.some((e) => e.kubernetes?.context === chosen)) return null;
  return (
    <div className="issue issue-error" data-testid="missing-default-context" style={{ display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap' }}>
      <span>
        Jobdeck&apos;s default Kubernetes context &quot;{chosen}&quot; is not in the kubeconfig: jobs for engine &quot;kubernetes&quot; wait until it is back.
      </span>
      <button type="button" className="small" onClick={() => void saveDefault(null, onSaved)}>
        Follow kubeconfig&apos;s current context
      </button>
    </div>
  );
}
