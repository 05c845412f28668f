// A template or run that names a Kubernetes context (engineId kubernetes:<context>) the kubeconfig
// does not have is refused when saved, imported or run, naming the contexts there are: waiting
// for an engine that can never appear would say nothing useful.
import { AppError } from '../../../shared/errors';
import type { EngineInfo } from '../../../shared/engine';

const PREFIX = 'kubernetes:';

/** Why `engineId` names no context of the kubeconfig (as the registry last read it), or undefined. */
export function unknownContextProblem(engineId: string | undefined, engines: readonly EngineInfo[]): string | undefined {
  if (!engineId?.startsWith(PREFIX)) return undefined;
  const context = engineId.slice(PREFIX.length);
  const known = engines.flatMap((e) => (e.kubernetes ? [e.kubernetes.context] : []));
  if (known.includes(context)) return undefined;
  return known.length
    ? `Kubernetes context "${context}" is not in the kubeconfig; its contexts are ${known.map((c) => `"${c}"`).join(', ')}`
    : `Kubernetes context "${context}" is not in the kubeconfig: it has no contexts (KUBECONFIG, else ~/.kube/config)`;
}

export function assertKnownContext(engineId: string | undefined, engines: readonly EngineInfo[]): void {
  const problem = unknownContextProblem(engineId, engines);
  if (problem) throw new AppError('VALIDATION', problem, [{ path: 'engineId', message: problem }]);
}

/** Why `context` cannot be Jobdeck's default Kubernetes context (settings.kubernetes.context), or undefined. */
export function defaultContextProblem(context: string | null | undefined, engines: readonly EngineInfo[]): string | undefined {
  // null or left out: no choice of Jobdeck's, the kubeconfig's current-context is followed.
  return context ? unknownContextProblem(`${PREFIX}${context}`, engines) : undefined;
}
