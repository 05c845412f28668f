// The Kubernetes executor: one attempt = one batch/v1 Job, followed through its pod's status
// (watched) and log (LogFollower), ended by the pod's container status; cancel and timeout delete
// the Job with propagationPolicy Background, as `kubectl delete job` does.
import type { BatchV1Api, CoreV1Api, V1ContainerStateTerminated, V1Job, V1Pod, Watch } from '@kubernetes/client-node';
import type { AttemptOutcome, AttemptRequest, AttemptSink, Executor, ReattachRequest, RunningAttempt, StopReason } from '../engines/types';
import { attemptManifest, MAIN_CONTAINER } from './attemptJob';
import { kubeMessage, kubeStatus, kubeUnreachable } from './errors';
import { LogFollower, type LogSource } from './logFollower';
import { Watcher } from './watcher';

export interface KubernetesClients {
  batch: BatchV1Api;
  core: CoreV1Api;
  watch: Watch;
  log: LogSource;
  namespace: string;
}

export interface KubernetesExecutorOptions {
  /** How long a pod may wait on ErrImagePull / ImagePullBackOff before the attempt ends as ImagePullFailed. */
  imagePullGraceMs?: number;
  /**
   * How long the API server may stay unreachable while an attempt runs before the attempt ends as
   * EngineLost (retried as on Docker after an outage, its Job swept when the cluster is back).
   */
  clusterLostGraceMs?: number;
}

const now = () => new Date().toISOString();
const iso = (t: Date | string | undefined): string | undefined => (t ? new Date(t).toISOString() : undefined);
const PULL_REASONS = new Set(['ErrImagePull', 'ImagePullBackOff']);
/** Reasons a kubelet never gets past by waiting. */
const PULL_FINAL = new Set(['InvalidImageName', 'ErrImageNeverPull']);
/** What every Kubernetes attempt's log says first: the job page shows it with the output. */
export const MERGED_STREAMS_NOTE = '[jobdeck] Kubernetes: the pod log API merges stdout and stderr, so both are shown as stdout\n';

export class KubernetesExecutor implements Executor {
  constructor(
    readonly engineId: string,
    private readonly k: KubernetesClients,
    private readonly options: KubernetesExecutorOptions = {},
  ) {}

  start(req: AttemptRequest, sink: AttemptSink): RunningAttempt {
    const run = new AttemptRun(this.k, sink, this.options, req.spec.keepContainer, req.graceSeconds);
    run.done = run.create(req);
    return run.handle();
  }

  reattach(req: ReattachRequest, sink: AttemptSink): RunningAttempt {
    const run = new AttemptRun(this.k, sink, this.options, req.keepContainer, req.graceSeconds);
    run.jobName = req.containerId;
    run.done = run.follow(req.resume?.stdout ?? 0);
    return run.handle();
  }
}

class AttemptRun {
  done!: Promise<AttemptOutcome>;
  jobName: string | undefined;
  private stopReason: StopReason | undefined;
  private detached = false;
  private settle: ((o: AttemptOutcome) => void) | undefined;
  private watchers: Watcher<V1Pod | V1Job>[] = [];
  private follower: LogFollower | undefined;
  private startedAt: string | undefined;
  private pullTimer: ReturnType<typeof setTimeout> | undefined;
  private lostTimer: ReturnType<typeof setTimeout> | undefined;
  private waitingReason: string | undefined;
  private jobFailure: { reason?: string; message?: string } | undefined;
  private ending = false;
  /** A pod of the attempt is there and has not ended (seen, neither terminated nor DELETED). */
  private podLive = false;
  private lostAt = Infinity;

  constructor(
    private readonly k: KubernetesClients,
    private readonly sink: AttemptSink,
    private readonly options: KubernetesExecutorOptions,
    private readonly keep: boolean,
    /** The pod's terminationGracePeriodSeconds: how long a stopped container may take to end. */
    private readonly graceSeconds: number,
  ) {}

  handle(): RunningAttempt {
    return { done: this.done, stop: (reason) => this.stop(reason), detach: () => this.detach() };
  }

  async create(req: AttemptRequest): Promise<AttemptOutcome> {
    const { job, secret, notes } = attemptManifest(req, this.k.namespace);
    this.sink.log('system', MERGED_STREAMS_NOTE, now());
    if (req.spec.outputDir) this.sink.log('system', `[jobdeck] artifacts are not collected on Kubernetes: files in ${req.spec.outputDir} stay in the pod and go with it\n`, now());
    for (const n of notes) this.sink.log('system', `[jobdeck] ${n}\n`, now());
    if (this.stopReason) return { exitCode: null, reason: this.stopReason, message: 'stopped before the Job was created', finishedAt: now() };
    await req.persisted?.();
    let made: V1Job;
    try {
      made = await this.k.batch.createNamespacedJob({ namespace: this.k.namespace, body: job });
    } catch (error) {
      return this.failure(error, 'creating the Job');
    }
    this.jobName = made.metadata?.name ?? job.metadata!.name!;
    if (secret) {
      try {
        await this.k.core.createNamespacedSecret({ namespace: this.k.namespace, body: secret({ name: this.jobName, uid: made.metadata?.uid ?? '' }) });
      } catch (error) {
        await this.deleteJob();
        return this.failure(error, 'creating the Secret for the secret env');
      }
    }
    if (this.stopReason) void this.deleteJob();
    return this.follow(0);
  }

  /** Watch the Job and its pod until the attempt ends; `skip`: characters of output already stored. */
  follow(skip: number): Promise<AttemptOutcome> {
    const name = this.jobName!;
    const ns = this.k.namespace;
    this.follower = new LogFollower(this.k.log, ns, '', MAIN_CONTAINER, { line: (text, t) => this.sink.log('stdout', text, t), backlog: () => this.sink.backlog?.() }, skip);
    const outcome = new Promise<AttemptOutcome>((resolve) => (this.settle = resolve));
    const pods = new Watcher<V1Pod>(
      {
        watch: this.k.watch,
        path: `/api/v1/namespaces/${ns}/pods`,
        query: { labelSelector: `job-name=${name}` },
        list: async () => {
          const l = await this.k.core.listNamespacedPod({ namespace: ns, labelSelector: `job-name=${name}` });
          return { items: l.items, resourceVersion: l.metadata?.resourceVersion ?? '' };
        },
      },
      { event: (type, pod) => this.onPod(type, pod), trouble: (error, cause) => this.onTrouble(error, cause) },
    );
    const jobs = new Watcher<V1Job>(
      {
        watch: this.k.watch,
        path: `/apis/batch/v1/namespaces/${ns}/jobs`,
        query: { fieldSelector: `metadata.name=${name}` },
        list: async () => {
          const l = await this.k.batch.listNamespacedJob({ namespace: ns, fieldSelector: `metadata.name=${name}` });
          return { items: l.items, resourceVersion: l.metadata?.resourceVersion ?? '' };
        },
      },
      // No such Job (deleted while the app was closed): the attempt cannot end by itself.
      { event: (type, job) => this.onJob(type, job), listed: (items) => void (items.length || this.expectEnd(this.podEndMs())), trouble: (error, cause) => this.onTrouble(error, cause) },
    );
    this.watchers = [pods, jobs] as Watcher<V1Pod | V1Job>[];
    jobs.start();
    pods.start();
    return outcome;
  }

  private onJob(type: string, job: V1Job): void {
    if (type === 'DELETED') {
      // Gone without an end seen: cancelled by us, or deleted by someone else (reported as lost).
      return this.expectEnd(this.podEndMs());
    }
    const failed = job.status?.conditions?.find((c) => (c.type === 'Failed' || c.type === 'FailureTarget') && c.status === 'True');
    if (failed) this.jobFailure = { ...(failed.reason ? { reason: failed.reason } : {}), ...(failed.message ? { message: failed.message } : {}) };
    if (failed?.reason === 'DeadlineExceeded') this.expectEnd(this.podEndMs());
  }

  private onPod(type: string, pod: V1Pod): void {
    if (this.ending) return;
    const podName = pod.metadata?.name ?? '';
    if (type === 'DELETED') return (this.podLive = false), this.expectEnd();
    const status = pod.status?.containerStatuses?.find((c) => c.name === MAIN_CONTAINER) ?? pod.status?.containerStatuses?.[0];
    const state = status?.state;
    if (state?.waiting) return this.onWaiting(state.waiting.reason ?? 'Waiting', state.waiting.message);
    this.clearPull();
    this.podLive = !state?.terminated;
    if (state?.running || state?.terminated) {
      this.follower!.pod = podName;
      if (!this.startedAt) {
        this.startedAt = iso(state.running?.startedAt ?? state.terminated?.startedAt) ?? now();
        this.sink.started(this.jobName!, this.startedAt);
      }
      this.follower!.start();
    }
    if (state?.terminated) void this.end(state.terminated);
  }

  private onWaiting(reason: string, message: string | undefined): void {
    if (reason !== this.waitingReason) {
      this.waitingReason = reason;
      if (reason !== 'ContainerCreating') this.sink.log('system', `[jobdeck] pod waiting: ${reason}${message ? `: ${message}` : ''}\n`, now());
    }
    if (PULL_FINAL.has(reason)) return void this.finish({ exitCode: null, reason: 'ImagePullFailed', message: message ?? reason, finishedAt: now() });
    if (!PULL_REASONS.has(reason)) return this.clearPull();
    this.pullMessage = message ?? reason;
    // Pulls fail and are retried (ErrImagePull, then ImagePullBackOff): past the grace, the attempt ends with the cluster's words.
    this.pullTimer ??= setTimeout(() => {
      void this.finish({ exitCode: null, reason: 'ImagePullFailed', message: this.pullMessage ?? 'the image could not be pulled', finishedAt: now() });
    }, this.options.imagePullGraceMs ?? 30_000);
  }

  private pullMessage: string | undefined;
  private awayTimer: ReturnType<typeof setTimeout> | undefined;

  /** The API server stopped answering the watches: past the grace the attempt is lost, not waited on for ever. */
  private onTrouble(error: string | undefined, cause: unknown): void {
    if (error === undefined) {
      if (this.awayTimer) clearTimeout(this.awayTimer);
      this.awayTimer = undefined;
      return;
    }
    if (this.ending || this.awayTimer || !kubeUnreachable(cause ?? new Error(error))) return;
    const grace = this.options.clusterLostGraceMs ?? 30_000;
    this.awayTimer = setTimeout(() => void this.stillAway(grace, cause ?? error), grace);
  }

  /** Past the grace: one call says whether the cluster answers again (a quiet watch sends nothing), else the attempt is lost. */
  private async stillAway(grace: number, cause: unknown): Promise<void> {
    try {
      await this.k.batch.readNamespacedJob({ name: this.jobName!, namespace: this.k.namespace });
      this.awayTimer = undefined;
      return;
    } catch (error) {
      // An answer (even 404: the Job's watch says what became of it): the cluster is there.
      if (!kubeUnreachable(error)) {
        this.awayTimer = undefined;
        return;
      }
      cause = error;
    }
    if (this.ending) return;
    void this.finish({
      exitCode: null,
      reason: 'EngineLost',
      message: `cluster unreachable for ${Math.round(grace / 1000)} s while the attempt ran: ${kubeMessage(cause)}`,
      ...(this.startedAt ? { startedAt: this.startedAt } : {}),
      finishedAt: now(),
    });
  }

  private clearPull(): void {
    if (this.pullTimer) clearTimeout(this.pullTimer);
    this.pullTimer = undefined;
  }

  /**
   * How long to wait for the pod's own end once its Job is gone or past its deadline: while the
   * pod still runs, its grace period (the container's SIGTERM handler may take that long and
   * ends with an exit code of its own, as on Docker); else a moment for a last status.
   */
  private podEndMs(): number {
    return this.podLive ? (this.graceSeconds + 5) * 1000 : 1500;
  }

  /** The pod or the Job went (or the deadline passed): a terminated status may still come; else the attempt ends without an exit code. */
  private expectEnd(afterMs = 1500): void {
    // A sooner end replaces a later one (the pod's DELETED after the Job's).
    if (this.ending || Date.now() + afterMs >= this.lostAt) return;
    if (this.lostTimer) clearTimeout(this.lostTimer);
    this.lostAt = Date.now() + afterMs;
    this.lostTimer = setTimeout(() => {
      const reason = this.stopReason ?? (this.jobFailure?.reason === 'DeadlineExceeded' ? 'DeadlineExceeded' : undefined);
      void this.finish({
        exitCode: null,
        reason: reason ?? 'EngineLost',
        ...(reason ? (this.jobFailure?.message ? { message: this.jobFailure.message } : {}) : { message: `the Job ${this.jobName} or its pod was deleted outside Jobdeck` }),
        ...(this.startedAt ? { startedAt: this.startedAt } : {}),
        finishedAt: now(),
      });
    }, afterMs);
  }

  private async end(t: V1ContainerStateTerminated): Promise<void> {
    if (this.ending) return;
    this.ending = true;
    await this.follower?.finish();
    const exitCode = t.exitCode;
    // A stop (ours) or the Job's deadline names the end; else what the kubelet says.
    const reason = this.stopReason ?? (this.jobFailure?.reason === 'DeadlineExceeded' ? 'DeadlineExceeded' : t.reason === 'OOMKilled' ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error');
    this.ending = false;
    await this.finish({
      exitCode,
      reason,
      containerId: this.jobName!,
      startedAt: iso(t.startedAt) ?? this.startedAt ?? now(),
      finishedAt: iso(t.finishedAt) ?? now(),
      ...(t.message ? { message: t.message } : reason === 'DeadlineExceeded' && this.jobFailure?.message ? { message: this.jobFailure.message } : {}),
    });
  }

  private finished = false;

  private async finish(outcome: AttemptOutcome): Promise<void> {
    if (this.finished || this.detached) return;
    this.finished = true;
    this.ending = true;
    this.quiet();
    if (this.jobName) outcome.containerId ??= this.jobName;
    try {
      await this.sink.exited?.(outcome);
    } finally {
      // The attempt ends once its Job is gone (a finished job leaves nothing behind), unless kept.
      // Lost (the cluster away): left for the sweep when the engine is back, as a Docker container is.
      if ((!this.keep || outcome.reason === 'ImagePullFailed') && outcome.reason !== 'EngineLost') await this.deleteJob();
      this.settle?.(outcome);
    }
  }

  private quiet(): void {
    this.clearPull();
    if (this.lostTimer) clearTimeout(this.lostTimer);
    if (this.awayTimer) clearTimeout(this.awayTimer);
    for (const w of this.watchers) w.stop();
    this.follower?.stop();
  }

  stop(reason: StopReason): void {
    if (this.stopReason || this.finished) return;
    this.stopReason = reason;
    // Deleting the Job (Background) deletes its pod: SIGTERM, the grace period, SIGKILL.
    if (this.jobName) void this.deleteJob();
  }

  detach(): void {
    if (this.finished) return;
    this.detached = true;
    this.quiet();
    this.settle?.({ exitCode: null, reason: 'Cancelled', message: 'detached', ...(this.jobName ? { containerId: this.jobName } : {}), finishedAt: now() });
  }

  private async deleteJob(): Promise<void> {
    if (!this.jobName) return;
    try {
      await this.k.batch.deleteNamespacedJob({ name: this.jobName, namespace: this.k.namespace, propagationPolicy: 'Background' });
    } catch (error) {
      if (kubeStatus(error) !== 404 && !kubeUnreachable(error)) throw error;
    }
  }

  private failure(error: unknown, doing: string): AttemptOutcome {
    const lost = kubeUnreachable(error);
    const code = kubeStatus(error);
    return {
      exitCode: null,
      reason: lost ? 'EngineUnavailable' : 'Error',
      message: `${lost ? 'cluster unreachable' : 'the cluster refused'} while ${doing}${code && !lost ? ` (${code})` : ''}: ${kubeMessage(error)}`,
      finishedAt: now(),
    };
  }
}
