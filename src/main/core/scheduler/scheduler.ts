import type { LogChunk, LogStream, QueueState } from '../../../shared/ipc';
import { assertTransition, isTerminal, type Attempt, type EndReason, type Job, type JobStatus } from '../../../shared/job';
import type { Settings } from '../../../shared/settings';
import { iso, type Clock } from '../clock';
import type { AttemptOutcome, AttemptRequest, AttemptSink, Executor, RunningAttempt, StopReason } from '../engines/types';
import { stampToIso } from '../engines/timestamps';
import { backoffMs, mayRetry } from './backoff';
import { byQueueOrder, dependencyState, indexesToRun } from './order';

/** The jobs the scheduler reads and writes; the store in the app, a Map in unit tests. */
export interface JobRepo {
  getJob(id: string): Job | undefined;
  activeJobs(): Job[];
  /** Persist and announce. */
  save(job: Job): void;
  /** Persist without an event (log progress stamps). */
  touch(job: Job): void;
  /** Resolves when what was saved is on disk (or its failure reported). */
  persist?(): Promise<void>;
}

export interface EngineSlot {
  id: string;
  kind: 'docker' | 'podman';
  available: boolean;
  /** Per-engine limit; undefined = only the global one. */
  limit?: number;
  executor: Executor;
}

export interface AttemptLog {
  append(stream: LogStream, data: string, t?: string): LogChunk | null;
  readonly bytes: number;
  readonly truncated: boolean;
  close(): Promise<void>;
}

export interface SchedulerDeps {
  clock: Clock;
  repo: JobRepo;
  settings(): Settings;
  engines(): EngineSlot[];
  /** Env for the container (secrets decrypted) and labels. */
  prepare(job: Job, attempt: number, index: number): Pick<AttemptRequest, 'env' | 'labels'>;
  openLog(jobId: string, attempt: number): AttemptLog;
  onLog(jobId: string, chunk: LogChunk): void;
  onEngineLost(engineId: string, message: string): void;
  onQueueState(state: QueueState): void;
  /** An attempt began or ended: the per-engine running counts (runningAttempts) changed. */
  onLiveChange?(): void;
  onImageProgress?(jobId: string, engineId: string, image: string, status: string, current?: number, total?: number): void;
}

interface Live {
  handle?: RunningAttempt;
  log: AttemptLog;
  engineId: string;
  lastTouch: number;
}

interface PendingEnd {
  status: 'failed' | 'cancelled';
  reason: EndReason;
  exitCode?: number | null;
  message?: string;
}

/**
 * Starts jobs in queue order within the global and per-engine limits, and turns each attempt's
 * outcome into the job's next state under the one transition table. Everything it decides is
 * written through the repo; containers are only touched through executors.
 */
export class Scheduler {
  private live = new Map<string, Map<number, Live>>();
  private pendingEnd = new Map<string, PendingEnd>();
  private deadlines = new Map<string, unknown>();
  private wake: { at: number; handle: unknown } | undefined;
  private pumping = false;
  private again = false;
  private closed = false;
  private detached = false;
  /** Outcomes being recorded; close() waits for them. */
  private settling = new Set<Promise<void>>();
  private lastQueueState = '';

  constructor(private readonly d: SchedulerDeps) {}

  get paused(): boolean {
    return this.d.settings().queuePaused;
  }

  runningAttempts(engineId?: string): number {
    let n = 0;
    for (const attempts of this.live.values()) {
      for (const l of attempts.values()) if (!engineId || l.engineId === engineId) n++;
    }
    return n;
  }

  isLiveAttempt(jobId: string, attempt: number): boolean {
    return this.live.get(jobId)?.has(attempt) ?? false;
  }

  isLive(jobId: string): boolean {
    return (this.live.get(jobId)?.size ?? 0) > 0;
  }

  queueState(): QueueState {
    const active = this.d.repo.activeJobs();
    return {
      paused: this.paused,
      running: active.filter((j) => j.status === 'running').length,
      pending: active.filter((j) => j.status === 'pending').length,
      concurrency: this.d.settings().concurrency,
    };
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
      if (deps === 'waiting' || this.paused) continue;
      if (job.notBefore) {
        const at = Date.parse(job.notBefore);
        if (at > now) {
          nextWake = Math.min(nextWake, at);
          continue;
        }
      }
      const liveCount = this.live.get(job.id)?.size ?? 0;
      const indexes = indexesToRun(job).slice(0, Math.max(0, job.spec.parallelism - liveCount));
      for (const index of indexes) {
        if (this.runningAttempts() >= settings.concurrency) return this.scheduleWake(nextWake);
        const choice = job.spec.engine;
        const matching = engines.filter((e) => choice === 'any' || e.kind === choice);
        const usable = matching.filter((e) => e.available);
        if (usable.length === 0) {
          const waitingFor = choice === 'any' ? 'any engine' : choice;
          if (job.waitingFor !== waitingFor) this.d.repo.save({ ...job, waitingFor });
          break;
        }
        const free = usable
          .filter((e) => e.limit === undefined || this.runningAttempts(e.id) < e.limit)
          .sort((a, b) => this.runningAttempts(a.id) - this.runningAttempts(b.id))[0];
        if (!free) break;
        this.startAttempt(this.d.repo.getJob(job.id) ?? job, index, free);
      }
    }
    this.scheduleWake(nextWake);
  }

  private startAttempt(job: Job, index: number, engine: EngineSlot): void {
    const nowIso = iso(this.d.clock.now());
    const number = job.attempts.reduce((n, a) => Math.max(n, a.number), 0) + 1;
    const attempt: Attempt = {
      number,
      index,
      engineId: engine.id,
      status: 'starting',
      createdAt: nowIso,
      logBytes: 0,
      logTruncated: false,
      artifacts: [],
    };
    let next: Job = { ...job, attempts: [...job.attempts, attempt] };
    delete next.waitingFor;
    delete next.notBefore;
    if (job.status === 'pending') {
      assertTransition('pending', 'running');
      next = { ...next, status: 'running', startedAt: job.startedAt ?? nowIso };
      this.armDeadline(next);
    }
    // Written before the container exists, so a restart can find the container by its labels.
    this.d.repo.save(next);
    const log = this.d.openLog(job.id, number);
    const live: Live = { log, engineId: engine.id, lastTouch: 0 };
    let attempts = this.live.get(job.id);
    if (!attempts) this.live.set(job.id, (attempts = new Map()));
    attempts.set(number, live);
    this.d.onLiveChange?.();
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
      this.sinkFor(job.id, number, (status, current, total) =>
        this.d.onImageProgress?.(job.id, engine.id, next.spec.image, status, current, total),
      ),
    );
    live.handle = handle;
    const end = this.pendingEnd.get(job.id);
    if (end) handle.stop(end.reason === 'DeadlineExceeded' ? 'DeadlineExceeded' : 'Cancelled');
    this.watch(job.id, number, handle);
  }

  /** Follow a container found again after a restart (reconciliation). */
  adopt(jobId: string, attemptNumber: number, engineId: string, start: (sink: AttemptSink) => RunningAttempt): void {
    const live: Live = { log: this.d.openLog(jobId, attemptNumber), engineId, lastTouch: 0 };
    let attempts = this.live.get(jobId);
    if (!attempts) this.live.set(jobId, (attempts = new Map()));
    attempts.set(attemptNumber, live);
    this.d.onLiveChange?.();
    const job = this.d.repo.getJob(jobId);
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
      started: (containerId, startedAt) => this.onStarted(jobId, number, containerId, startedAt),
      log: (stream, data, t) => this.onLog(jobId, number, stream, data, t),
      exited: (outcome) => this.onExited(jobId, number, outcome),
      ...(onPull ? { pullProgress: onPull } : {}),
    };
  }

  private async persist(): Promise<void> {
    await this.d.repo.persist?.().catch(() => undefined);
  }

  /** The exit, on disk before the container is removed; the outcome proper follows in onDone. */
  private async onExited(jobId: string, number: number, outcome: AttemptOutcome): Promise<void> {
    if (outcome.exitCode === null) return;
    const next = this.patchAttempt(jobId, number, { exitCode: outcome.exitCode, finishedAt: outcome.finishedAt });
    if (!next) return;
    this.d.repo.touch(next);
    await this.persist();
  }

  private watch(jobId: string, number: number, handle: RunningAttempt): void {
    const settled = handle.done
      .then(
        (outcome) => this.onDone(jobId, number, outcome),
        (error: unknown) =>
          this.onDone(jobId, number, {
            exitCode: null,
            reason: 'Error',
            message: `internal error: ${error instanceof Error ? error.message : String(error)}`,
            finishedAt: iso(this.d.clock.now()),
          }),
      )
      .finally(() => this.settling.delete(settled));
    this.settling.add(settled);
  }

  private patchAttempt(jobId: string, number: number, patch: Partial<Attempt>): Job | undefined {
    const job = this.d.repo.getJob(jobId);
    if (!job) return undefined;
    return { ...job, attempts: job.attempts.map((a) => (a.number === number ? { ...a, ...patch } : a)) };
  }

  private onStarted(jobId: string, number: number, containerId: string, startedAt: string): void {
    const next = this.patchAttempt(jobId, number, { containerId, status: 'running', startedAt: stampToIso(startedAt) });
    if (next) this.d.repo.save(next);
  }

  private onLog(jobId: string, number: number, stream: LogStream, data: string, stamp: string): void {
    const live = this.live.get(jobId)?.get(number);
    if (!live) return;
    const chunk = live.log.append(stream, data, stampToIso(stamp));
    if (chunk) this.d.onLog(jobId, chunk);
    // The log's size for the views; persisted at most once a second, without an event.
    const job = this.d.repo.getJob(jobId);
    if (!job) return;
    const attempt = job.attempts.find((a) => a.number === number);
    if (!attempt) return;
    attempt.logBytes = live.log.bytes;
    attempt.logTruncated = live.log.truncated;
    const now = this.d.clock.now();
    if (now - live.lastTouch >= 1000) {
      live.lastTouch = now;
      this.d.repo.touch(job);
    }
  }

  private async onDone(jobId: string, number: number, outcome: AttemptOutcome): Promise<void> {
    if (this.detached) return; // the app is quitting and leaves the container to the next start
    const live = this.live.get(jobId)?.get(number);
    this.live.get(jobId)?.delete(number);
    if (this.live.get(jobId)?.size === 0) this.live.delete(jobId);
    if (live) this.d.onLiveChange?.();
    if (live) await live.log.close().catch(() => undefined);
    const success = outcome.reason === 'Completed';
    const attemptStatus: Attempt['status'] = success ? 'succeeded' : outcome.reason === 'Cancelled' ? 'cancelled' : 'failed';
    let job = this.patchAttempt(jobId, number, {
      status: attemptStatus,
      exitCode: outcome.exitCode,
      reason: outcome.reason,
      finishedAt: outcome.finishedAt,
      ...(outcome.message ? { message: outcome.message } : {}),
      ...(outcome.containerId ? { containerId: outcome.containerId } : {}),
      ...(outcome.startedAt ? { startedAt: stampToIso(outcome.startedAt) } : {}),
      ...(outcome.peakMemoryBytes !== undefined ? { peakMemoryBytes: outcome.peakMemoryBytes } : {}),
      ...(live ? { logBytes: live.log.bytes, logTruncated: live.log.truncated } : {}),
    });
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
    if (success) {
      job = { ...job, succeededIndexes: [...new Set([...job.succeededIndexes, attempt.index])].sort((a, b) => a - b) };
      if (job.succeededIndexes.length >= job.spec.completions) this.finish(job, 'completed', { reason: 'Completed', exitCode: 0 });
      else this.d.repo.save(job);
      return this.pump();
    }
    if (outcome.reason === 'DeadlineExceeded' || outcome.reason === 'Cancelled') {
      // Stopped without a pendingEnd (the deadline raced the exit): end the same way.
      this.endJob(job, outcome.reason === 'Cancelled' ? 'cancelled' : 'failed', {
        reason: outcome.reason,
        exitCode: outcome.exitCode,
        ...(outcome.message ? { message: outcome.message } : {}),
      });
      return this.pump();
    }
    if (outcome.reason === 'EngineUnavailable') {
      // The engine was gone before the container existed: not the job's failure; it waits.
      this.d.repo.save(job);
      if (!stillLive) this.requeue(job, undefined);
      return this.pump();
    }
    const failures = job.failures + 1;
    job = { ...job, failures };
    if (mayRetry(job.spec.retry, failures, outcome.exitCode, outcome.reason)) {
      const at = this.d.clock.now() + backoffMs(job.spec.retry, failures);
      if (stillLive) this.d.repo.save({ ...job, notBefore: iso(at) });
      else this.requeue(job, at);
      return this.pump();
    }
    this.endJob(job, 'failed', {
      reason: outcome.reason,
      exitCode: outcome.exitCode,
      ...(outcome.message ? { message: outcome.message } : {}),
    });
    this.pump();
  }

  /** failed → pending: the one path back into the queue. */
  private requeue(job: Job, notBeforeMs: number | undefined): void {
    let next = job;
    if (job.status === 'running') {
      assertTransition('running', 'failed');
      assertTransition('failed', 'pending');
    }
    next = { ...next, status: 'pending' };
    if (notBeforeMs !== undefined) next.notBefore = iso(notBeforeMs);
    else delete next.notBefore;
    this.d.repo.save(next);
  }

  /** End now if nothing runs, else stop what runs and end when the last attempt is back. */
  private endJob(job: Job, status: 'failed' | 'cancelled', end: Omit<PendingEnd, 'status'>): void {
    if (!this.isLive(job.id)) return this.finish(job, status, end);
    this.pendingEnd.set(job.id, { status, ...end });
    this.d.repo.save(job);
    const stop: StopReason = end.reason === 'DeadlineExceeded' ? 'DeadlineExceeded' : 'Cancelled';
    for (const l of this.live.get(job.id)?.values() ?? []) l.handle?.stop(stop);
  }

  private finish(job: Job, status: JobStatus, end: Omit<PendingEnd, 'status'>): void {
    assertTransition(job.status, status);
    this.pendingEnd.delete(job.id);
    this.disarmDeadline(job.id);
    const next: Job = {
      ...job,
      status,
      reason: end.reason,
      finishedAt: iso(this.d.clock.now()),
      ...(end.exitCode !== undefined ? { exitCode: end.exitCode } : {}),
      ...(end.message ? { message: end.message } : {}),
    };
    delete next.notBefore;
    delete next.waitingFor;
    this.d.repo.save(next);
    // Jobs that depend on this one may now run or be cancelled.
    this.again = true;
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
    if (!seconds || this.deadlines.has(job.id) || !job.startedAt) return;
    const due = Date.parse(job.startedAt) + seconds * 1000 - this.d.clock.now();
    const handle = this.d.clock.setTimeout(() => {
      this.deadlines.delete(job.id);
      const current = this.d.repo.getJob(job.id);
      if (!current || isTerminal(current.status)) return;
      this.endJob(current, 'failed', {
        reason: 'DeadlineExceeded',
        message: `ran longer than its timeout of ${seconds} s`,
      });
      this.pump();
    }, Math.max(0, due));
    this.deadlines.set(job.id, handle);
  }

  private disarmDeadline(jobId: string): void {
    const h = this.deadlines.get(jobId);
    if (h !== undefined) this.d.clock.clearTimeout(h);
    this.deadlines.delete(jobId);
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
    for (const h of this.deadlines.values()) this.d.clock.clearTimeout(h);
    if (this.wake) this.d.clock.clearTimeout(this.wake.handle);
    const dones: Promise<unknown>[] = [];
    for (const attempts of this.live.values()) {
      for (const l of attempts.values()) {
        if (stopRunning) {
          l.handle?.stop('Cancelled');
          if (l.handle) dones.push(l.handle.done);
        } else {
          this.detached = true;
          l.handle?.detach();
          dones.push(l.log.close());
        }
      }
    }
    await Promise.all(dones);
    // The last outcomes (cancellations) are recorded before the store closes.
    await Promise.all([...this.settling]);
  }
}
