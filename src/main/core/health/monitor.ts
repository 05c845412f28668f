import { randomUUID } from 'node:crypto';
import type { Alert, AlertList, AlertRule } from '../../../shared/alerts';
import type { AppEvent } from '../../../shared/ipc';
import { isTerminal, type Job } from '../../../shared/job';
import { stampMs } from '../../../shared/jobNumbers';
import type { Clock } from '../clock';
import { nextDue, readings, step, type FinishedJob, type HealthLook, type KeyState } from './evaluate';
import type { AlertHistory } from './history';

/**
 * Where an alert's start and clear go besides the in-app banner: the rule's channels. The
 * composition root is given one (the notification outbox, once there is one); without it, nothing.
 */
export interface AlertSink {
  raised(alert: Alert): void;
  cleared(alert: Alert): void;
}
export const silentSink: AlertSink = { raised: () => undefined, cleared: () => undefined };

export interface HealthPorts {
  clock: Clock;
  rules(): readonly AlertRule[];
  pending(): number;
  engines(): readonly { id: string; status: 'available' | 'unavailable'; error?: string }[];
  templateName(id: string): string | undefined;
  /** Free bytes on the data dir's file system (fs.statfs). */
  diskFree(): Promise<number>;
  /** Jobs that ended since `ms`, read once at start (the windows then follow job changes). */
  finishedSince(ms: number): Iterable<Job>;
  history: AlertHistory;
  sink: AlertSink;
  /** The active alerts changed (the root emits alerts.changed). */
  changed(active: Alert[]): void;
  onError(message: string): void;
  /** Between looks when nothing happens (disk space, engines' durations); default 5 s. */
  intervalMs?: number;
}

/** The longest window a rule may have (FailureRateRule.windowMinutes): older ends are dropped. */
const MAX_WINDOW_MS = 10_080 * 60_000;

/**
 * Looks at the core after each change that matters (a job ended, the queue or an engine changed)
 * and every few seconds, and moves the alerts as evaluate.ts says: each start and clear is
 * written to the history first, then announced and handed to the sink.
 */
export class HealthMonitor {
  private state = new Map<string, KeyState>();
  /** Per job id its latest end: a job retried by hand and then completed counts once, as completed. */
  private finished = new Map<string, FinishedJob>();
  private diskFreeBytes: number | undefined;
  private timer: unknown;
  private timerAt: number | undefined;
  private soon = false;
  private closed = false;
  private readonly offs: (() => void)[] = [];

  constructor(private readonly p: HealthPorts) {
    // Alerts active when the app stopped are still active: they clear once, not start again.
    for (const a of p.history.active()) this.state.set(a.key, { active: a });
    for (const j of p.finishedSince(p.clock.now() - MAX_WINDOW_MS)) this.noteEnd(j);
  }

  /** A job changed (job.updated): an end counts in the failure-rate windows; a retry by hand un-ends it. */
  noteJob(job: Job): void {
    if (isTerminal(job.status)) this.noteEnd(job);
    else this.finished.delete(job.id);
    this.lookSoon();
  }

  /** What the core announces: jobs, the queue, engines. */
  onEvent(event: AppEvent): void {
    if (event.name === 'job.updated') this.noteJob(event.payload);
    else if (event.name === 'queue.state' || event.name === 'engine.status') this.lookSoon();
  }

  /** The queue or an engine changed. */
  lookSoon(): void {
    if (this.soon || this.closed) return;
    this.soon = true;
    setImmediate(() => {
      this.soon = false;
      this.look();
    });
  }

  start(): void {
    void this.tick();
  }

  list(): AlertList {
    const all = this.p.history.all();
    return { active: all.filter((a) => a.clearedAt === undefined), history: [...all].reverse() };
  }

  active(): Alert[] {
    return this.p.history.active();
  }

  /** One look now: the readings, the step, and what it started and cleared. */
  look(): void {
    if (this.closed) return;
    const now = this.p.clock.now();
    this.prune(now);
    const rules = this.p.rules();
    const look: HealthLook = {
      now,
      pending: this.p.pending(),
      engines: this.p.engines().map((e) => ({ id: e.id, available: e.status === 'available', ...(e.error ? { error: e.error } : {}) })),
      finished: this.finished.values(),
      ...(this.diskFreeBytes !== undefined ? { diskFreeBytes: this.diskFreeBytes } : {}),
      templateName: (id) => this.p.templateName(id),
    };
    const rs = readings(rules, look);
    const s = step(this.state, now, rs, randomUUID);
    this.state = s.state;
    for (const a of s.raised) this.p.history.raised(a);
    for (const a of s.cleared) this.p.history.cleared(a);
    if (s.raised.length || s.cleared.length) this.p.changed(this.p.history.active());
    for (const a of s.raised) this.deliver(() => this.p.sink.raised(a));
    for (const a of s.cleared) this.deliver(() => this.p.sink.cleared(a));
    // A `for` that runs out before the next tick is looked at when it does.
    const due = nextDue(this.state, rs);
    if (due !== undefined && due - now < this.interval && (this.timerAt === undefined || due < this.timerAt)) this.arm(Math.max(0, due - now));
  }

  /** Undone at close (the root's event subscription). */
  closeWith(off: () => void): void {
    this.offs.push(off);
  }

  close(): void {
    this.closed = true;
    for (const off of this.offs.splice(0)) off();
    if (this.timer !== undefined) this.p.clock.clearTimeout(this.timer);
  }

  private get interval(): number {
    return this.p.intervalMs ?? 5000;
  }

  private async tick(): Promise<void> {
    if (this.closed) return;
    if (this.p.rules().some((r) => r.kind === 'diskFree')) {
      try {
        this.diskFreeBytes = await this.p.diskFree();
      } catch (error) {
        this.diskFreeBytes = undefined;
        this.p.onError(`could not read the data directory's free space: ${error instanceof Error ? error.message : String(error)}`);
      }
    } else this.diskFreeBytes = undefined;
    // The next tick first: a look that finds a duration running out sooner arms an earlier one.
    this.arm(this.interval);
    this.look();
  }

  private arm(ms: number): void {
    if (this.closed) return;
    if (this.timer !== undefined) this.p.clock.clearTimeout(this.timer);
    this.timerAt = this.p.clock.now() + ms;
    this.timer = this.p.clock.setTimeout(() => {
      this.timer = undefined;
      this.timerAt = undefined;
      void this.tick();
    }, ms);
  }

  private noteEnd(j: Job): void {
    if (j.status !== 'completed' && j.status !== 'failed') {
      this.finished.delete(j.id);
      return;
    }
    const at = stampMs(j.finishedAt) ?? this.p.clock.now();
    this.finished.set(j.id, { ...(j.templateId ? { templateId: j.templateId } : {}), templateName: j.templateName, failed: j.status === 'failed', at });
  }

  private prune(now: number): void {
    for (const [id, j] of this.finished) if (j.at < now - MAX_WINDOW_MS) this.finished.delete(id);
  }

  private deliver(send: () => void): void {
    try {
      send();
    } catch (error) {
      this.p.onError(`an alert could not be handed on: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
