import { Cron } from 'croner';
import type { Job } from '../../../shared/job';
import { checkSchedule } from '../../../shared/schedule';
import type { ConcurrencyPolicy, MissedRunPolicy, Template } from '../../../shared/template';

export type CronDecision = { run: false; cancel: string[] } | { run: true; cancel: string[] };

/** CronJob concurrencyPolicy: Allow runs alongside, Forbid skips, Replace cancels what runs. */
export function decideFire(policy: ConcurrencyPolicy, unfinishedScheduled: Pick<Job, 'id'>[]): CronDecision {
  if (unfinishedScheduled.length === 0 || policy === 'Allow') return { run: true, cancel: [] };
  if (policy === 'Forbid') return { run: false, cancel: [] };
  return { run: true, cancel: unfinishedScheduled.map((j) => j.id) };
}

/**
 * At start-up: the run that should have happened while the app was closed. CatchUpOnce runs it
 * once however many were missed, for the most recent missed slot (as a Kubernetes CronJob starts
 * only the most recent missed schedule); Skip does not. Returns that slot, or null. The caller
 * records the slot as the last run, so a restart before the next slot finds nothing missed: every
 * slot fires at most once however often the app restarts.
 */
export function missedRun(
  cron: string,
  timeZone: string | undefined,
  lastRun: string | undefined,
  now: Date,
  policy: MissedRunPolicy,
): Date | null {
  if (policy === 'Skip' || !lastRun) return null;
  const pattern = new Cron(cron, { ...(timeZone ? { timezone: timeZone } : {}), paused: true });
  // previousRuns excludes its reference instant; +1 ms counts a slot falling exactly on `now`.
  const latest = pattern.previousRuns(1, new Date(now.getTime() + 1))[0];
  pattern.stop();
  return latest && latest.getTime() > Date.parse(lastRun) ? latest : null;
}

/**
 * CronJob startingDeadlineSeconds: a run starting more than that after its slot is not started.
 * Returns why, in the user's words, or undefined when the run may start.
 */
export function pastStartingDeadline(slot: Date, now: Date, deadlineSeconds: number | undefined): string | undefined {
  if (deadlineSeconds === undefined) return undefined;
  const lateSeconds = Math.floor((now.getTime() - slot.getTime()) / 1000);
  if (lateSeconds <= deadlineSeconds) return undefined;
  return `missed: the run for ${slot.toISOString()} would start ${lateSeconds} s late, past its starting deadline of ${deadlineSeconds} s`;
}

export interface CronHost {
  templates(): Template[];
  lastRun(templateId: string): string | undefined;
  setLastRun(templateId: string, at: string): void;
  unfinishedScheduled(templateId: string): Job[];
  /** Throws (in the user's words) when the run cannot be made, e.g. a variable has no value. */
  run(template: Template, scheduledFor: Date): void;
  cancel(jobId: string): void;
  /** A run that did not start (past its starting deadline, or refused): kept in the history. */
  missed?(template: Template, scheduledFor: Date, message: string): void;
  /** The core's clock (default the system's): what start-up and a newly saved schedule count from. */
  now?(): Date;
}

/** One croner timer per enabled schedule; rebuilt when templates change. */
export class CronLauncher {
  private timers = new Map<string, { key: string; cron: Cron }>();

  constructor(private readonly host: CronHost) {}

  /** Start-up: catch up missed runs by policy, then arm every schedule. */
  start(now = this.now()): void {
    for (const t of this.host.templates()) {
      const s = t.schedule;
      if (!s?.enabled) continue;
      const missed = missedRun(s.cron, s.timeZone, this.host.lastRun(t.id), now, s.missedRunPolicy);
      if (missed) this.fire(t, missed, now);
      else if (!this.host.lastRun(t.id)) this.host.setLastRun(t.id, now.toISOString());
    }
    this.sync();
  }

  /** Arm, re-arm or drop timers to match the templates as they are now. */
  sync(): void {
    const wanted = new Map<string, Template>();
    // A schedule stored before the shared rule (seven fields, sub-minute unconfirmed) is never armed.
    for (const t of this.host.templates()) if (t.schedule?.enabled && !checkSchedule(t.schedule).error) wanted.set(t.id, t);
    // A schedule new since start-up counts its missed runs from now (a CronJob from its creation), not from the next start.
    for (const id of wanted.keys()) if (!this.host.lastRun(id)) this.host.setLastRun(id, this.now().toISOString());
    for (const [id, timer] of this.timers) {
      const t = wanted.get(id);
      if (!t || keyOf(t) !== timer.key) {
        timer.cron.stop();
        this.timers.delete(id);
      }
    }
    for (const [id, t] of wanted) {
      if (this.timers.has(id)) continue;
      const s = t.schedule!;
      const cron = new Cron(s.cron, { ...(s.timeZone ? { timezone: s.timeZone } : {}), protect: true }, () => {
        const current = this.host.templates().find((x) => x.id === id);
        if (current) this.fire(current, new Date());
      });
      this.timers.set(id, { key: keyOf(t), cron });
    }
  }

  private now(): Date {
    return this.host.now?.() ?? new Date();
  }

  nextRun(templateId: string): Date | null {
    return this.timers.get(templateId)?.cron.nextRun() ?? null;
  }

  /** The run for slot `at`, looked at `now` (a catch-up at start-up is late by the gap). */
  private fire(t: Template, at: Date, now: Date = at): void {
    this.host.setLastRun(t.id, at.toISOString());
    const late = pastStartingDeadline(at, now, t.schedule!.startingDeadlineSeconds);
    if (late) return this.host.missed?.(t, at, late);
    const decision = decideFire(t.schedule!.concurrencyPolicy, this.host.unfinishedScheduled(t.id));
    for (const id of decision.cancel) this.host.cancel(id);
    if (!decision.run) return;
    try {
      this.host.run(t, at);
    } catch (error) {
      // A run that cannot be made (a value still missing) is a missed run the user can see.
      this.host.missed?.(t, at, `not started: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  stop(): void {
    for (const t of this.timers.values()) t.cron.stop();
    this.timers.clear();
  }
}

const keyOf = (t: Template) => JSON.stringify(t.schedule);
