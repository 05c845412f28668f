import type { LiveLogChunk, LogStream, QueueState } from '../../src/shared/ipc';
import type { Job } from '../../src/shared/job';
import { Settings } from '../../src/shared/settings';
import { TemplateSpec, type TemplateSpecInput } from '../../src/shared/template';
import type { Clock } from '../../src/main/core/clock';
import type {
  AttemptOutcome,
  AttemptRequest,
  AttemptSink,
  Executor,
  ReattachRequest,
  RunningAttempt,
  StopReason,
} from '../../src/main/core/engines/types';
import { Scheduler, type AttemptLog, type EngineSlot, type SchedulerDeps } from '../../src/main/core/scheduler/scheduler';

/** A clock that moves only when the test says so. */
export class FakeClock implements Clock {
  private t = Date.parse('2026-01-01T00:00:00Z');
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 1;
  private readonly armed: { ms: number; resolve: () => void }[] = [];
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.t + ms, fn, id });
    for (const w of this.armed.filter((a) => a.ms === ms)) {
      this.armed.splice(this.armed.indexOf(w), 1);
      w.resolve();
    }
    return id;
  }
  /** Resolves when the code sets a timer of `ms` (the moment to advance past it). */
  timerSet(ms: number): Promise<void> {
    return new Promise((resolve) => this.armed.push({ ms, resolve }));
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((x) => x.id !== handle);
  }
  /** Move time forward, running each timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = due.at;
      due.fn();
    }
    this.t = end;
  }
}

export interface FakeRun {
  req: AttemptRequest;
  sink: AttemptSink;
  stopped?: StopReason;
  finish(outcome: Partial<AttemptOutcome> & Pick<AttemptOutcome, 'reason'>): void;
  /** With removal 'held': the container's removal after the outcome is done (RunningAttempt.settled). */
  removed?(): void;
}

/** Containers that exist only in the test: the test decides when and how each ends. */
export class FakeExecutor implements Executor {
  runs: FakeRun[] = [];
  /**
   * Each attempt's removal after its outcome (RunningAttempt.settled): 'held' until its run's
   * removed() (as the engine's removal takes a while), 'at-once' as soon as the outcome is in.
   */
  removal: 'none' | 'held' | 'at-once' = 'none';
  /** `clock`: where start and finish times come from (default the real time). */
  constructor(
    readonly engineId: string,
    private readonly clock?: Clock,
  ) {}
  private now(): string {
    return new Date(this.clock ? this.clock.now() : Date.now()).toISOString();
  }
  start(req: AttemptRequest, sink: AttemptSink): RunningAttempt {
    let resolve!: (o: AttemptOutcome) => void;
    const done = new Promise<AttemptOutcome>((r) => (resolve = r));
    const run: FakeRun = {
      req,
      sink,
      finish: (o) => resolve({ exitCode: o.reason === 'Completed' ? 0 : null, finishedAt: this.now(), ...o }),
    };
    this.runs.push(run);
    sink.started(`ctr-${req.jobId}-${req.attempt}`, this.now());
    let settled: Promise<void> | undefined;
    if (this.removal === 'held') settled = done.then(() => new Promise<void>((r) => (run.removed = r)));
    if (this.removal === 'at-once') settled = done.then(() => undefined);
    return {
      done,
      ...(settled ? { settled } : {}),
      stop: (reason) => {
        run.stopped = reason;
        run.finish({ reason, exitCode: 143 });
      },
      // As the real executor's: the follow ends and says so; the container runs on.
      detach: () => run.finish({ reason: 'Cancelled', exitCode: null, message: 'detached' }),
    };
  }
  reattach(_req: ReattachRequest, _sink: AttemptSink): RunningAttempt {
    throw new Error('not used in these tests');
  }
}

class MemoryLog implements AttemptLog {
  bytes = 0;
  truncated = false;
  append(stream: LogStream, data: string, t?: string): LiveLogChunk {
    const from = this.bytes;
    this.bytes += data.length;
    return { attempt: 1, stream, data, t: t ?? new Date().toISOString(), from, to: this.bytes };
  }
  async close(): Promise<void> {}
}

export function spec(over: Partial<TemplateSpecInput> = {}): TemplateSpec {
  return TemplateSpec.parse({ name: 'job', image: 'img', command: 'true', ...over });
}

export interface Harness {
  clock: FakeClock;
  jobs: Map<string, Job>;
  settings: Settings;
  engines: EngineSlot[];
  docker: FakeExecutor;
  podman: FakeExecutor;
  scheduler: Scheduler;
  queueStates: QueueState[];
  /** What the repo held at each persist (a deep copy): what a crash right after would find on disk. */
  persisted: Job[][];
  add(s?: Partial<TemplateSpecInput>, extra?: Partial<Job>): Job;
  job(id: string): Job;
  /** Let promise callbacks (attempt outcomes) run. */
  settle(): Promise<void>;
  /** Finish the one live run of a job. */
  finish(jobId: string, o: Partial<AttemptOutcome> & Pick<AttemptOutcome, 'reason'>): Promise<void>;
  liveRuns(jobId?: string): FakeRun[];
}

export function harness(settings: Partial<Settings> = {}, deps: Pick<SchedulerDeps, 'onLiveChange' | 'onImageProgress'> = {}): Harness {
  const clock = new FakeClock();
  const jobs = new Map<string, Job>();
  const s = Settings.parse({ concurrency: 1, ...settings });
  const docker = new FakeExecutor('docker');
  const podman = new FakeExecutor('podman');
  const engines: EngineSlot[] = [
    { id: 'docker', kind: 'docker', available: true, executor: docker },
    { id: 'podman', kind: 'podman', available: true, executor: podman },
  ];
  const queueStates: QueueState[] = [];
  const persisted: Job[][] = [];
  const ended = new Set<FakeRun>();
  let seq = 0;
  const scheduler = new Scheduler({
    clock,
    repo: {
      getJob: (id) => jobs.get(id),
      activeJobs: () => [...jobs.values()].filter((j) => j.status === 'pending' || j.status === 'running'),
      save: (j) => jobs.set(j.id, j),
      touch: (j) => jobs.set(j.id, j),
      persist: async () => {
        persisted.push(structuredClone([...jobs.values()]));
      },
    },
    settings: () => s,
    engines: () => engines,
    prepare: (_job, attempt, index) => ({ env: [`A=${attempt}`, `I=${index}`], labels: {} }),
    openLog: () => new MemoryLog(),
    onLog: () => {},
    onEngineLost: (id) => {
      const e = engines.find((x) => x.id === id);
      if (e) e.available = false;
    },
    onQueueState: (q) => queueStates.push(q),
    ...deps,
  });
  const settle = async () => {
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
  };
  const h: Harness = {
    clock,
    jobs,
    settings: s,
    engines,
    docker,
    podman,
    scheduler,
    queueStates,
    persisted,
    add(over = {}, extra = {}) {
      const sp = spec(over);
      const j: Job = {
        id: `job${++seq}`,
        templateName: sp.name,
        spec: sp,
        status: 'pending',
        priority: sp.priority,
        seq,
        origin: 'manual',
        dependsOn: [],
        createdAt: new Date(clock.now()).toISOString(),
        failures: 0,
        succeededIndexes: [],
        attempts: [],
        ...extra,
      };
      jobs.set(j.id, j);
      scheduler.pump();
      return j;
    },
    job: (id) => jobs.get(id)!,
    settle,
    liveRuns: (jobId) =>
      [...docker.runs, ...podman.runs].filter((r) => !ended.has(r) && !r.stopped && (!jobId || r.req.jobId === jobId)),
    async finish(jobId, o) {
      const run = h.liveRuns(jobId)[0];
      if (!run) throw new Error(`no live run for ${jobId}`);
      ended.add(run);
      run.finish(o);
      await settle();
    },
  };
  return h;
}

let stored = 0;
/**
 * A valid job record as the store keeps it, for store tests: pending unless `over` says
 * otherwise, ids and seq numbered in order, created a second apart.
 */
export function storedJob(over: Partial<Job> = {}): Job {
  stored++;
  return {
    id: `job-${stored}`,
    templateName: over.templateName ?? 'tpl',
    spec: spec({ name: over.templateName ?? 'tpl' }),
    status: 'pending',
    priority: 3,
    seq: stored,
    origin: 'manual',
    dependsOn: [],
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, stored)).toISOString(),
    failures: 0,
    succeededIndexes: [],
    attempts: [],
    ...over,
  };
}
