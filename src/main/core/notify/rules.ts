// Which notification rules a job's state sets off (pure: the job, the rules, the template's past
// and the time in; firings out). Evaluated on every job.updated and when a late/stuck threshold
// falls due. Each firing carries an occurrence, so that the ledger lets it through once per job
// per rule: a job's end is one occurrence, a failed attempt another, running late one per run.
import { isTerminal, type Job } from '../../../shared/job';
import type { NotifyOn, NotifyRule } from '../../../shared/notify';

/** What the template's finished runs tell the rules: its p95 duration and how its last run ended. */
export interface TemplatePast {
  /** Nearest-rank p95 of its finished runs' durations, null with none. */
  p95Ms: number | null;
  /** How the template's latest finished run before this job ended (recovered: it failed). */
  previousEnd?: 'completed' | 'failed';
}

export interface Firing {
  rule: NotifyRule;
  event: NotifyOn;
  /** Unique per job and rule for one thing that happened (an end, an attempt, a run going late). */
  occurrence: string;
  /** When it happened (ms). */
  at: number;
}

const ms = (s: string | undefined): number | undefined => {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
};

/** Since when a pending job has been waiting for no reason of its own (not its retry backoff). */
export function pendingSince(job: Job): number | undefined {
  if (job.status !== 'pending' || job.suspended) return undefined;
  const lastEnd = Math.max(0, ...job.attempts.map((a) => ms(a.finishedAt) ?? 0));
  const since = Math.max(ms(job.createdAt) ?? 0, lastEnd, ms(job.notBefore) ?? 0);
  return since || undefined;
}

/** The running-late threshold of a rule for a job (ms after its start), or undefined if none applies. */
export function lateAfterMs(rule: NotifyRule, past: TemplatePast): number | undefined {
  const limits: number[] = [];
  if (rule.afterSeconds !== undefined) limits.push(rule.afterSeconds * 1000);
  if (rule.p95Factor !== undefined && past.p95Ms !== null && past.p95Ms > 0) limits.push(rule.p95Factor * past.p95Ms);
  return limits.length ? Math.min(...limits) : undefined;
}

/** When a time-based rule (late, stuck) falls due for this job, whether or not it is due yet. */
function dueAt(rule: NotifyRule, job: Job, past: TemplatePast): { at: number; occurrence: string } | undefined {
  if (rule.on === 'late' && job.status === 'running' && job.startedAt) {
    const after = lateAfterMs(rule, past);
    const start = ms(job.startedAt);
    if (after === undefined || start === undefined) return undefined;
    return { at: start + after, occurrence: `late:${job.startedAt}` };
  }
  if (rule.on === 'stuck' && rule.afterSeconds !== undefined) {
    const since = pendingSince(job);
    if (since === undefined) return undefined;
    return { at: since + rule.afterSeconds * 1000, occurrence: `stuck:${new Date(since).toISOString()}` };
  }
  return undefined;
}

const isEndFailure = (job: Job): boolean => job.status === 'failed' || (job.status === 'cancelled' && job.reason === 'UpstreamFailed');

/** What the job's state sets off now, before the ledger: every rule that matches, once per occurrence. */
export function evaluate(job: Job, rules: readonly NotifyRule[], past: TemplatePast, now: number): Firing[] {
  const out: Firing[] = [];
  // An end is named by the job's last attempt, not by finishedAt: after a crash, reconcile may
  // record the same end again with a later finishedAt (the store's write had not landed), and
  // that must be the same occurrence, so the same idempotency key. A manual retry adds attempts.
  const end = `a${job.attempts.reduce((n, a) => Math.max(n, a.number), 0)}`;
  const endAt = ms(job.finishedAt) ?? now;
  for (const rule of rules) {
    switch (rule.on) {
      case 'start':
        if (job.startedAt && (job.status === 'running' || isTerminal(job.status)) && job.attempts.length)
          out.push({ rule, event: 'start', occurrence: `start:${job.startedAt}`, at: ms(job.startedAt) ?? now });
        break;
      case 'success':
        if (job.status === 'completed') out.push({ rule, event: 'success', occurrence: `end:${end}`, at: endAt });
        break;
      case 'recovered':
        if (job.status === 'completed' && past.previousEnd === 'failed') out.push({ rule, event: 'recovered', occurrence: `end:${end}`, at: endAt });
        break;
      case 'failure': {
        if (rule.attempts === 'each') {
          for (const a of job.attempts)
            if (a.status === 'failed') out.push({ rule, event: 'failure', occurrence: `attempt:${a.number}`, at: ms(a.finishedAt) ?? now });
          // An end with no failed attempt of its own (a deadline while pending, an upstream failure).
          const last = job.attempts.at(-1);
          if (isEndFailure(job) && last?.status !== 'failed') out.push({ rule, event: 'failure', occurrence: `end:${end}`, at: endAt });
        } else if (isEndFailure(job)) out.push({ rule, event: 'failure', occurrence: `end:${end}`, at: endAt });
        break;
      }
      case 'late':
      case 'stuck': {
        const due = dueAt(rule, job, past);
        if (due && due.at <= now) out.push({ rule, event: rule.on, occurrence: due.occurrence, at: due.at });
        break;
      }
    }
  }
  return out;
}

/** The earliest time after `now` when a late or stuck rule falls due for this job (to arm a timer). */
export function nextDue(job: Job, rules: readonly NotifyRule[], past: TemplatePast, now: number): number | undefined {
  let next: number | undefined;
  for (const rule of rules) {
    const due = dueAt(rule, job, past);
    if (due && due.at > now && (next === undefined || due.at < next)) next = due.at;
  }
  return next;
}

/** Whether a rule needs the template's past (so the caller reads the store only then). */
export const needsPast = (rules: readonly NotifyRule[]): boolean => rules.some((r) => r.on === 'recovered' || (r.on === 'late' && r.p95Factor !== undefined));

/**
 * Remembers what has fired (job, rule, occurrence), so each notifies once. Bounded: the oldest
 * are forgotten first; the outbox's idempotency keys still keep a webhook or mail from repeating.
 */
export class FiringLedger {
  private readonly seen = new Set<string>();
  constructor(private readonly cap = 50_000) {}

  static key(jobId: string, f: Pick<Firing, 'rule' | 'occurrence'>): string {
    return `${jobId}\u0000${f.rule.id}\u0000${f.occurrence}`;
  }

  /** The firings not seen before, now remembered. */
  admit(jobId: string, firings: readonly Firing[]): Firing[] {
    return firings.filter((f) => this.note(FiringLedger.key(jobId, f)));
  }

  /** Record without announcing (what a job had already set off before this process watched). */
  note(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    if (this.seen.size > this.cap) this.seen.delete(this.seen.values().next().value!);
    return true;
  }
}
