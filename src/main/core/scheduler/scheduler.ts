import { AppError } from '../../../shared/errors';
import type { QueueState } from '../../../shared/ipc';
import { isTerminal, type Attempt, type Job, type JobStatus } from '../../../shared/job';
import { isSuspended } from '../../../shared/jobPolicies';
import { iso } from '../clock';
import type { AttemptOutcome, AttemptSink, RunningAttempt, StopReason } from '../engines/types';
import { Deadlines } from './deadlines';
import { LiveAttempts } from './live';
import { attemptResult, internalError, judgeAttempt, withAttempt, type EndInfo } from './outcome';
import { finished, heldIndex, mustBeActive, requeued, retried, withNewAttempt } from './transitions';
import { byQueueOrder, dependencyState, pickEngine, queueStateOf, startable } from './order';
import { pullReporter } from './pulls';
import type { EngineSlot, SchedulerDeps } from './types';
import { pendingWaits, type JobWait } from './waitReason';

export type { AttemptLog, EngineSlot, JobRepo, SchedulerDeps } from './types';

type PendingEnd = EndInfo & { status: 'completed' | 'failed' | 'cancelled' };

/**
 * Starts jobs in queue order within the global and per-engine limits, and turns each attempt's
 * outcome into the job's next state under the one transition table. Everything it decides is
 * written through the repo; containers are only touched through executors.
 */
export class Scheduler {
  private readonly live: LiveAttempts;
  private pendingEnd = new Map<string, PendingEnd>();
  /** Jobs whose containers are being stopped by a suspend: back to pending when the last is back. */
  private readonly suspending = new Set<string>();
  private readonly deadlines: Deadlines;
  private wake: { at: number; handle: unknown } | undefined;
  private pumping = false;
  private again = false;
  private closed = false;
  private detached = false;
  /** Outcomes being recorded; close() waits for them. */
  private settling = new Set<Promise<void>>();
  private lastQueueState = '';

  constructor(private readonly d: SchedulerDeps) {
    this.deadlines = new Deadlines(d.clock);
    this.live = new LiveAttempts(d, () => this.pump());
  }

  get paused(): boolean {
    return this.d.settings().queuePaused;
  }

  /** With `slots`, also the ended attempts whose containers are still being removed (live.ts). */
  runningAttempts(engineId?: string, slots = false): number {
    return this.live.count(engineId, slots);
  }

  isLiveAttempt(jobId: string, attempt: number): boolean {
    return this.live.has(jobId, attempt);
  }

  isLive(jobId: string): boolean {
    return this.live.isLive(jobId);
  }

  queueState(): QueueState {
    return queueStateOf(this.d.repo.activeJobs(), this.paused, this.d.settings().concurrency);
  }

  waits(): JobWait[] {
    return pendingWaits(this.d, this.paused, (id) => this.runningAttempts(id, true));
  }

  /** Look at the queue again (new job, engine back, setting changed, timer). */
  pump(): void {
    if (this.closed) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        this.pumpOnce();
      } while (this.again);
    } finally {
      this.pumping = false;
    }
    this.announceQueue();
  }

  private pumpOnce(): void {
    const settings = this.d.settings();
    const now = this.d.clock.now();
    const engines = this.d.engines();
    const jobs = this.d.repo.activeJobs().sort(byQueueOrder);
    let nextWake = Infinity;
    for (const job of jobs) {
      if (this.pendingEnd.has(job.id)) continue;
      const deps = dependencyState(job, (id) => this.d.repo.getJob(id));
      if (deps === 'upstream-failed') {
        this.finish(job, 'cancelled', { reason: 'UpstreamFailed', message: 'a job it depends on failed or was cancelled' });
        continue;
      }
      if (deps === 'waiting' || this.paused || isSuspended(job)) continue;
      if (job.notBefore) {
        const at = Date.parse(job.notBefore);
        if (at > now) {
          nextWake = Math.min(nextWake, at);
          continue;
        }
      }
      const { indexes, wake } = startable(job, this.live.countOf(job.id), now);
      nextWake = Math.min(nextWake, wake);
      for (const index of indexes) {
        if (this.runningAttempts(undefined, true) >= settings.concurrency) return this.scheduleWake(nextWake);
        const free = pickEngine(job.spec, engines, (id) => this.runningAttempts(id, true));
        if (typeof free === 'string') {
          if (free && job.waitingFor !== free) this.d.repo.save({ ...job, waitingFor: free });
          break;
        }
        this.startAttempt(this.d.repo.getJob(job.id) ?? job, index, free);
      }
    }
    this.scheduleWake(nextWake);
  }

  private startAttempt(job: Job, index: number, engine: EngineSlot): void {
    const { next, number } = withNewAttempt(job, index, engine.id, this.d.clock.now());
    this.suspending.delete(job.id);
    if (job.status === 'pending') this.armDeadline(next);
    // Written before the container exists, so a restart can find the container by its labels.
    this.d.repo.save(next);
    const live = this.live.open(next, number, engine.id);
    const prepared = this.d.prepare(next, number, index);
    const handle = engine.executor.start(
      {
        jobId: job.id,
        attempt: number,
        index,
        spec: next.spec,
        env: prepared.env,
        labels: prepared.labels,
        graceSeconds: this.d.settings().stopGraceSeconds,
        persisted: () => this.persist(),
      },
      this.sinkFor(job.id, number, pullReporter(this.d, { id: job.id, engineId: engine.id, image: next.spec.image })),
    );
    live.handle = handle;
    const end = this.pendingEnd.get(job.id);
    if (end) handle.stop(end.reason === 'DeadlineExceeded' ? 'DeadlineExceeded' : 'Cancelled');
    this.watch(job.id, number, handle);
  }

  /** Follow a container found again after a restart (reconciliation). */
  adopt(jobId: string, attemptNumber: number, engineId: string, start: (sink: AttemptSink) => RunningAttempt): void {
    const job = this.d.repo.getJob(jobId);
    const live = this.live.open(job ?? jobId, attemptNumber, engineId);
    if (job) this.armDeadline(job);
    live.handle = start(this.sinkFor(jobId, attemptNumber));
    this.watch(jobId, attemptNumber, live.handle);
  }

  /** An attempt that never got a container (found so at start-up): as if it had not begun. */
  forget(jobId: string, attemptNumber: number): void {
    const job = this.d.repo.getJob(jobId);
    if (!job) return;
    const next: Job = { ...job, attempts: job.attempts.filter((a) => a.number !== attemptNumber) };
    if (next.attempts.length === 0) delete next.startedAt;
    if (job.status === 'running' && !this.isLive(jobId)) this.requeue(next, undefined);
    else this.d.repo.save(next);
  }

  /** An attempt whose container is gone for good (found missing at start-up). */
  settle(jobId: string, attemptNumber: number, outcome: AttemptOutcome): Promise<void> {
    return this.onDone(jobId, attemptNumber, outcome);
  }

  private sinkFor(jobId: string, number: number, onPull?: AttemptSink['pullProgress']): AttemptSink {
    return {
      started: (containerId, startedAt) => this.saveAttempt(jobId, number, { containerId, status: 'running', startedAt }),
      log: (stream, data, t) => this.live.output(jobId, number, stream, data, t),
      backlog: () => this.live.backlog(jobId, number),
      exited: (outcome) => this.onExited(jobId, number, outcome),
      steps: (steps) => this.saveAttempt(jobId, number, { steps }),
      ...(onPull ? { pullProgress: onPull } : {}),
    };
  }

  private persist = async (): Promise<void> => void (await this.d.repo.persist?.().catch(() => undefined));

  /** The exit, on disk before the container is removed; the outcome proper follows in onDone. */
  private async onExited(jobId: string, number: number, outcome: AttemptOutcome): Promise<void> {
    if (outcome.exitCode === null) return;
    const next = this.patchAttempt(jobId, number, { exitCode: outcome.exitCode, finishedAt: outcome.finishedAt });
    if (!next) return;
    this.d.repo.touch(next);
    await this.persist();
  }

  /** The end is told at `done`; the slot is free once the container is gone (`settled`) and that end recorded. */
  private watch(jobId: string, number: number, handle: RunningAttempt): void {
    // Read once `settled` is in, long after `told` is set.
    const removed = handle.settled?.then((): Promise<void> => told);
    const told: Promise<void> = handle.done.then(
      (outcome) => this.onDone(jobId, number, outcome, removed),
      (error: unknown) => this.onDone(jobId, number, internalError(error, this.d.clock.now()), removed),
    );
    const settled = told.then(() => removed).finally(() => this.settling.delete(settled));
    this.settling.add(settled);
  }

  private patchAttempt(jobId: string, number: number, patch: Partial<Attempt>): Job | undefined {
    const job = this.d.repo.getJob(jobId);
    return job && withAttempt(job, number, patch);
  }

  private saveAttempt(jobId: string, number: number, patch: Partial<Attempt>): void {
    const next = this.patchAttempt(jobId, number, patch);
    if (next) this.d.repo.save(next);
  }

  private async onDone(jobId: string, number: number, outcome: AttemptOutcome, removed?: Promise<void>): Promise<void> {
    if (this.detached) return; // the app is quitting and leaves the container to the next start
    const live = await this.live.end(jobId, number, removed);
    const job = this.patchAttempt(jobId, number, attemptResult(outcome, live?.log));
    if (!job) return;
    const attempt = job.attempts.find((a) => a.number === number)!;
    const stillLive = this.isLive(jobId);

    if (isTerminal(job.status)) {
      this.d.repo.save(job);
      return this.pump();
    }
    if (outcome.reason === 'EngineLost' || outcome.reason === 'EngineUnavailable') {
      this.d.onEngineLost(attempt.engineId, outcome.message ?? outcome.reason);
    }
    const end = this.pendingEnd.get(jobId);
    if (end) {
      if (end.exitCode === undefined) end.exitCode = outcome.exitCode;
      if (!stillLive) this.finish(job, end.status, end);
      else this.d.repo.save(job);
      return this.pump();
    }
    if (this.suspending.has(jobId) && outcome.reason === 'Cancelled') return this.suspended(job, stillLive);
    const v = judgeAttempt(job, attempt, outcome, {
      now: this.d.clock.now(),
      othersLive: stillLive,
      // Stopped by the app's shutdown (or the engine lost): Kubernetes' DisruptionTarget.
      disrupted: outcome.reason === 'EngineLost' || (this.closed && outcome.reason === 'Cancelled'),
      ...(outcome.containerName ? { containerName: outcome.containerName } : {}),
    });
    if (v.do === 'save') this.d.repo.save(v.job);
    else if (v.do === 'complete') this.endJob(v.job, 'completed', v.end);
    else if (v.do === 'end') this.endJob(v.job, v.status, v.end);
    else if (v.do === 'wait') {
      this.d.repo.save(v.job);
      if (!stillLive) this.requeue(v.job, undefined);
    } else if (v.index !== undefined) {
      if (stillLive) this.d.repo.save(heldIndex(v.job, v.index, v.at));
      else this.requeue(heldIndex(v.job, v.index, v.at), undefined);
    } else if (stillLive) this.d.repo.save({ ...v.job, notBefore: iso(v.at) });
    else this.requeue(v.job, v.at);
    this.pump();
  }

  /** failed → pending: the one path back into the queue. */
  private requeue(job: Job, notBeforeMs: number | undefined): void {
    this.d.repo.save(requeued(job, notBeforeMs));
  }

  /** A suspend's stop came back: pending again once nothing runs, its deadline to count afresh. */
  private suspended(job: Job, stillLive: boolean): void {
    // Kept until the next start: attempts stopped together may all see "nothing live" here.
    if (stillLive) return this.d.repo.save(job);
    const next = { ...job };
    delete next.startedAt;
    this.requeue(next, undefined);
    this.pump();
  }

  /**
   * Suspend (Kubernetes spec.suspend = true): start nothing more; stop what runs, with cancel's
   * grace, not counted as failures; the job stays pending.
   */
  suspend(jobId: string): Job {
    const job = mustBeActive(this.d.repo.getJob(jobId), jobId, 'suspended');
    if (this.pendingEnd.has(jobId)) throw new AppError('CONFLICT', 'this job is already ending');
    this.d.repo.save({ ...job, suspended: true });
    this.deadlines.disarm(jobId);
    if (this.isLive(jobId)) {
      this.suspending.add(jobId);
      for (const l of this.live.of(jobId)) l.handle?.stop('Cancelled');
    } else if (job.status === 'running') this.suspended({ ...job, suspended: true }, false);
    return this.d.repo.getJob(jobId) ?? job;
  }

  /** Resume: the job starts its containers again, its deadline counted from the new start. */
  resume(jobId: string): Job {
    const job = mustBeActive(this.d.repo.getJob(jobId), jobId, 'resumed');
    const next: Job = { ...job, suspended: false };
    if (job.status === 'pending') delete next.startedAt;
    this.d.repo.save(next);
    this.pump();
    return this.d.repo.getJob(jobId) ?? next;
  }

  /** End now if nothing runs, else stop what runs and end when the last attempt is back. */
  private endJob(job: Job, status: PendingEnd['status'], end: EndInfo): void {
    if (!this.isLive(job.id)) return this.finish(job, status, end);
    this.pendingEnd.set(job.id, { status, ...end });
    this.d.repo.save(job);
    const stop: StopReason = end.reason === 'DeadlineExceeded' ? 'DeadlineExceeded' : 'Cancelled';
    for (const l of this.live.of(job.id)) l.handle?.stop(stop);
  }

  private finish(job: Job, status: JobStatus, end: EndInfo): void {
    const next = finished(job, status, end, this.d.clock.now());
    this.pendingEnd.delete(job.id);
    this.deadlines.disarm(job.id);
    this.d.repo.save(next);
    // Jobs that depend on this one may now run or be cancelled.
    this.again = true;
  }

  /**
   * A manual retry of a failed job: failed → pending, a fresh retry budget, a new attempt, and a
   * new run: startedAt is cleared, so it becomes the retry's first attempt's start and the
   * deadline counts from there (the earlier attempts keep their own times).
   */
  retry(jobId: string): Job {
    const next = retried(this.d.repo.getJob(jobId), jobId);
    this.d.repo.save(next);
    this.pump();
    return this.d.repo.getJob(jobId) ?? next;
  }

  cancel(jobId: string): Job | undefined {
    const job = this.d.repo.getJob(jobId);
    if (!job || isTerminal(job.status)) return job;
    if (job.status === 'pending' && !this.isLive(jobId)) {
      this.finish(job, 'cancelled', { reason: 'Cancelled', message: 'cancelled while pending' });
    } else {
      this.endJob(job, 'cancelled', { reason: 'Cancelled', message: 'cancelled while running' });
    }
    this.pump();
    return this.d.repo.getJob(jobId);
  }

  private armDeadline(job: Job): void {
    const seconds = job.spec.timeoutSeconds;
    this.deadlines.arm(job.id, job.startedAt, seconds, () => {
      const current = this.d.repo.getJob(job.id);
      if (!current || isTerminal(current.status)) return;
      this.endJob(current, 'failed', {
        reason: 'DeadlineExceeded',
        message: `ran longer than its timeout of ${seconds} s`,
      });
      this.pump();
    });
  }

  private scheduleWake(at: number): void {
    if (!Number.isFinite(at)) return;
    if (this.wake && this.wake.at <= at && this.wake.at > this.d.clock.now()) return;
    if (this.wake) this.d.clock.clearTimeout(this.wake.handle);
    const handle = this.d.clock.setTimeout(() => {
      this.wake = undefined;
      this.pump();
    }, Math.max(0, at - this.d.clock.now()));
    this.wake = { at, handle };
  }

  private announceQueue(): void {
    const state = this.queueState();
    const key = JSON.stringify(state);
    if (key !== this.lastQueueState) {
      this.lastQueueState = key;
      this.d.onQueueState(state);
    }
  }

  /** Stop timers; with stopRunning, stop every container and wait for them. */
  async close(stopRunning: boolean): Promise<void> {
    this.closed = true;
    this.deadlines.close();
    if (this.wake) this.d.clock.clearTimeout(this.wake.handle);
    const dones: Promise<unknown>[] = [];
    for (const l of this.live.all()) {
      if (stopRunning) {
        l.handle?.stop('Cancelled');
        if (l.handle) dones.push(l.handle.done);
      } else {
        this.detached = true;
        l.handle?.detach();
        dones.push(l.log.close());
      }
    }
    await Promise.all(dones);
    // The last outcomes (cancellations) are recorded, and their containers removed, before the store closes.
    await Promise.all([...this.settling]);
  }
}
