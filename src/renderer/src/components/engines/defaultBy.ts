// Which Kubernetes context is the default (what engineId "kubernetes" runs on), as the Engines
// view's cards say it. Pure, so the words are unit-tested without a page.
import type { KubernetesTarget } from '../../../../shared/engine';
import type { Settings } from '../../../../shared/settings';

/** How a context is the default (what engineId "kubernetes" runs on): Jobdeck's own choice, or the kubeconfig's current-context followed. */
export type DefaultBy = 'jobdeck' | 'kubeconfig';

/**
 * Whether `k` is the default context and by whose choice: the core's rule (kubernetes/engine.ts
 * chosenContext), settings.kubernetes.context else the kubeconfig's current-context. Unknown until
 * the settings are read: no marker rather than a wrong one.
 */
export function defaultBy(settings: Settings | undefined, k: KubernetesTarget): DefaultBy | undefined {
  if (!settings) return undefined;
  const chosen = settings.kubernetes?.context;
  if (chosen) return chosen === k.context ? 'jobdeck' : undefined;
  return k.current ? 'kubeconfig' : undefined;
}

/** The words beside the marker: whose choice made the context the default. */
export function defaultText(by: DefaultBy | undefined, k: KubernetesTarget): string {
  if (by === 'jobdeck') return k.current ? "default (chosen in Jobdeck; also the kubeconfig's current context)" : 'default (chosen in Jobdeck)';
  if (by === 'kubeconfig') return "default (kubeconfig's current context)";
  return k.current ? "not default (the kubeconfig's current context, but Jobdeck chose another)" : 'not default';
}

/**
 * The Engine fields' choice for engineId "kubernetes" (the editor's and the run dialog's), where the
 * kubeconfig has contexts: without it a template for the default context read "only kubernetes (not found)".
 */
export function defaultContextOptions(engines: readonly { kind: string }[]): { value: string; label: string }[] {
  return engines.some((e) => e.kind === 'kubernetes') ? [{ value: 'id:kubernetes', label: 'kubernetes (the default context, as the Engines view says)' }] : [];
}
