// A context's namespace chosen in Jobdeck's settings (the Engines view), never in the kubeconfig.
// Changing it makes the engine again in the new namespace, where reconcile no longer sees the Jobs
// of the old one: so it is refused while attempts run there, instead of losing them.
import type { EngineInfo } from '../../../shared/engine';
import type { SettingsPatch } from '../../../shared/settings';

/** Why `patch` may not change a namespace now (a context with running attempts), or undefined. */
export function namespaceChangeRefused(engines: readonly EngineInfo[], patch: SettingsPatch): string | undefined {
  // Merge patch: kubernetes or its namespaces left out keep them; null clears them.
  if (patch.kubernetes === undefined || (patch.kubernetes !== null && patch.kubernetes.namespaces === undefined)) return undefined;
  const chosen = patch.kubernetes?.namespaces ?? {};
  for (const e of engines) {
    const k = e.kubernetes;
    if (!k || e.running === 0) continue;
    // null or no namespaces: every context goes back to its kubeconfig namespace.
    const next = chosen[k.context] ?? k.kubeconfigNamespace ?? k.namespace;
    if (next !== k.namespace) return `${e.id} has ${e.running} job${e.running === 1 ? '' : 's'} running in namespace ${k.namespace}: change its namespace once ${e.running === 1 ? 'it has' : 'they have'} ended`;
  }
  return undefined;
}

