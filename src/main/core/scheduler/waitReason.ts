import type { Job } from '../../../shared/job';
import type { JobWait, WaitReason } from '../../../shared/wait';
import { iso } from '../clock';
import { byQueueOrder, engineLabel, indexesToRun, nextIndexWake, usableEngines, type EngineView } from './order';

import type { SchedulerDeps } from './types';

export type { JobWait };


/** What the scheduler knows at one moment, enough to say why a pending job has not started. */
export interface WaitView {
  now: number;
  paused: boolean;
  concurrency: number;
  /** Attempts running now, over all engines. */
  running: number;
  engines: (EngineView & { running: number })[];
  /** settings.kubernetes.context: Jobdeck's choice of the context engineId 'kubernetes' runs on. */
  defaultContext?: string;
  lookup(id: string): Job | undefined;
}

/**
 * Why `job` (pending) waits, checked in the order the scheduler's pump checks it: upstream jobs,
 * the paused queue, a retry's backoff, then engines and slots. Pure: the fake clock's `now` decides.
 */
export function waitReason(job: Job, v: WaitView): WaitReason {
  if (job.scheduledFor && Date.parse(job.scheduledFor) > v.now) return { kind: 'scheduled', at: job.scheduledFor };
  const upstream = job.dependsOn
    .map((id) => v.lookup(id))
    .filter((d): d is Job => d !== undefined && d.status !== 'completed')
    .map((d) => ({ id: d.id, templateName: d.templateName, status: d.status }));
  if (upstream.length > 0) return { kind: 'upstream', jobs: upstream };
  if (v.paused) return { kind: 'paused' };
  if (job.notBefore && Date.parse(job.notBefore) > v.now) return { kind: 'backoff', until: iso(Date.parse(job.notBefore)) };
  // Every index left waits out its own backoff (backoffLimitPerIndex).
  const held = job.indexNotBefore && indexesToRun(job, v.now).length === 0 ? nextIndexWake(job, v.now) : Infinity;
  if (Number.isFinite(held)) return { kind: 'backoff', until: iso(held) };
  const usable = usableEngines(job.spec, v.engines);
  if (usable.length === 0) {
    // A job that names its engine says what is wrong with it (an unknown host key, an expired certificate).
    const named = job.spec.engineId ? namedProblem(job.spec.engineId, v.engines, v.defaultContext) : undefined;
    return { kind: 'engine', engine: engineLabel(job.spec), ...(named ? { problem: named } : {}) };
  }
  if (v.running >= v.concurrency) return { kind: 'concurrency', running: v.running, limit: v.concurrency };
  if (usable.every((e) => e.limit !== undefined && e.running >= e.limit)) return { kind: 'engineSlot', engines: usable.map((e) => e.id) };
  return { kind: 'starting' };
}

/** engineId for "the default Kubernetes context" (kubernetes/engine.ts KUBERNETES_CHOSEN; not imported: the scheduler stays free of the client). */
const KUBERNETES_DEFAULT = 'kubernetes';

/**
 * The error of the engine an engineId names; through an alias ('kubernetes'), which engine that is
 * too; and for 'kubernetes' with no context behind it, why none is, with where to choose one.
 */
function namedProblem(engineId: string, engines: EngineView[], defaultContext: string | undefined): string | undefined {
  const own = engines.find((e) => e.id === engineId);
  if (own) return own.error;
  const aliased = engines.find((e) => e.aliases?.includes(engineId));
  if (aliased) return aliased.error ? `${aliased.id}: ${aliased.error}` : undefined;
  if (engineId !== KUBERNETES_DEFAULT) return undefined;
  if (defaultContext) return `Jobdeck's default Kubernetes context "${defaultContext}" is not in the kubeconfig: make another the default in the Engines view, or follow the kubeconfig's current context`;
  if (!engines.some((e) => e.kind === 'kubernetes')) return 'the kubeconfig has no contexts (KUBECONFIG, else ~/.kube/config)';
  return "no Kubernetes context is the default: the kubeconfig's current-context names none of its contexts; make one the default in the Engines view";
}

/** Every pending job's reason, in queue order, from the scheduler's own deps and live counts. */
export function pendingWaits(d: Pick<SchedulerDeps, 'clock' | 'repo' | 'settings' | 'engines'>, paused: boolean, running: (engineId?: string) => number): JobWait[] {
  const defaultContext = d.settings().kubernetes?.context;
  const view: WaitView = {
    now: d.clock.now(),
    paused,
    concurrency: d.settings().concurrency,
    running: running(),
    engines: d.engines().map((e) => ({ id: e.id, kind: e.kind, available: e.available, running: running(e.id), ...(e.limit !== undefined ? { limit: e.limit } : {}), ...(e.aliases ? { aliases: e.aliases } : {}), ...(e.error ? { error: e.error } : {}) })),
    lookup: (id) => d.repo.getJob(id),
    ...(defaultContext ? { defaultContext } : {}),
  };
  return d.repo
    .activeJobs()
    .filter((j) => j.status === 'pending')
    .sort(byQueueOrder)
    .map((j) => ({ id: j.id, reason: waitReason(j, view) }));
}
