// Alert evaluation, pure: what the rules read from one look at the core (readings), and how the
// alerts move from one look to the next (step). The monitor (monitor.ts) feeds both and keeps the
// state between looks; the tests drive them with a fake clock.
import { clearBelow, CLEAR_BAND, mib, type Alert, type AlertRule } from '../../../shared/alerts';

/** A job that ended (completed or failed), as the failure-rate windows count it. */
export interface FinishedJob {
  templateId?: string;
  templateName: string;
  failed: boolean;
  /** When it ended (ms). */
  at: number;
}

/** What one look at the core sees. */
export interface HealthLook {
  now: number;
  pending: number;
  engines: readonly { id: string; available: boolean; error?: string }[];
  finished: Iterable<FinishedJob>;
  /** Free bytes on the data directory's file system; undefined when not measured. */
  diskFreeBytes?: number;
  templateName(id: string): string | undefined;
}

/** One rule's condition for one subject, now. */
export interface Reading {
  key: string;
  rule: AlertRule;
  subject?: string;
  title: string;
  /** The figure now, in words. */
  message: string;
  /** Past the threshold now. */
  over: boolean;
  /** Far enough back from it that an active alert clears. */
  clear: boolean;
  /** How long `over` must hold before the alert starts. */
  forMs: number;
}

const pct = (r: number) => `${Math.round(r * 1000) / 10}%`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function failureRate(rule: Extract<AlertRule, { kind: 'failureRate' }>, look: HealthLook): Reading[] {
  const since = look.now - rule.windowMinutes * 60_000;
  let total = 0;
  let failed = 0;
  for (const j of look.finished) {
    if (j.at < since || j.at > look.now) continue;
    if (rule.templateId !== undefined && j.templateId !== rule.templateId) continue;
    total++;
    if (j.failed) failed++;
  }
  const threshold = rule.thresholdPercent / 100;
  const rate = total ? failed / total : 0;
  const name = rule.templateId === undefined ? 'all jobs' : (look.templateName(rule.templateId) ?? rule.templateId);
  return [
    {
      key: `${rule.id}:${rule.templateId ?? '*'}`,
      rule,
      ...(rule.templateId !== undefined ? { subject: name } : {}),
      title: `High failure rate: ${name}`,
      message: `${failed} of ${plural(total, 'finished job')} failed in the last ${rule.windowMinutes} min (${pct(rate)}; alert at ${rule.thresholdPercent}%)`,
      // Starting takes enough jobs for the rate to mean something; staying needs only the rate.
      over: total >= rule.minJobs && rate >= threshold,
      clear: total === 0 || rate < threshold * (1 - CLEAR_BAND),
      forMs: 0,
    },
  ];
}

function engineDown(rule: Extract<AlertRule, { kind: 'engineDown' }>, look: HealthLook): Reading[] {
  const engines = look.engines.filter((e) => rule.engineId === undefined || e.id === rule.engineId);
  return engines.map((e) => ({
    key: `${rule.id}:${e.id}`,
    rule,
    subject: e.id,
    title: `Engine ${e.id} unavailable`,
    message: e.available ? `engine ${e.id} answers` : `engine ${e.id} does not answer${e.error ? `: ${e.error}` : ''}`,
    over: !e.available,
    // One answer clears it: starting took forSeconds of no answer, so it cannot flap faster than that.
    clear: e.available,
    forMs: rule.forSeconds * 1000,
  }));
}

function backlog(rule: Extract<AlertRule, { kind: 'backlog' }>, look: HealthLook): Reading[] {
  return [
    {
      key: `${rule.id}:queue`,
      rule,
      title: `Queue backlog above ${rule.above}`,
      message: `${plural(look.pending, 'job')} pending (alert above ${rule.above})`,
      over: look.pending > rule.above,
      clear: look.pending <= Math.max(0, clearBelow(rule.above)),
      forMs: rule.forSeconds * 1000,
    },
  ];
}

function diskFree(rule: Extract<AlertRule, { kind: 'diskFree' }>, look: HealthLook): Reading[] {
  if (look.diskFreeBytes === undefined) return [];
  const below = rule.belowMiB * 1024 ** 2;
  return [
    {
      key: `${rule.id}:disk`,
      rule,
      title: 'Low disk space for the data directory',
      message: `${mib(look.diskFreeBytes)} free (alert below ${rule.belowMiB} MiB)`,
      over: look.diskFreeBytes < below,
      clear: look.diskFreeBytes >= below * (1 + CLEAR_BAND),
      forMs: 0,
    },
  ];
}

/** Every rule's readings now. */
export function readings(rules: readonly AlertRule[], look: HealthLook): Reading[] {
  return rules.flatMap((rule) => {
    switch (rule.kind) {
      case 'failureRate':
        return failureRate(rule, look);
      case 'engineDown':
        return engineDown(rule, look);
      case 'backlog':
        return backlog(rule, look);
      case 'diskFree':
        return diskFree(rule, look);
    }
  });
}

/** Per reading key: since when it has been over, and its alert while one is active. */
export interface KeyState {
  overSince?: number;
  active?: Alert;
}
export type HealthState = ReadonlyMap<string, KeyState>;

export interface Step {
  state: Map<string, KeyState>;
  raised: Alert[];
  cleared: Alert[];
}

/**
 * The next state from the readings of one look. An alert starts when its reading has been over
 * for its rule's `forMs`, and clears when its reading says clear, or when nothing reads its key
 * any more (its rule was removed or changed, its engine is gone). Between the two it holds.
 */
export function step(state: HealthState, now: number, rs: readonly Reading[], newId: () => string): Step {
  const next = new Map<string, KeyState>();
  const raised: Alert[] = [];
  const cleared: Alert[] = [];
  const at = new Date(now).toISOString();
  for (const r of rs) {
    const prev = state.get(r.key) ?? {};
    const overSince = r.over ? (prev.overSince ?? now) : undefined;
    let active = prev.active;
    if (active && r.clear && !r.over) {
      cleared.push({ ...active, clearedAt: at, clearMessage: r.message });
      active = undefined;
    } else if (!active && overSince !== undefined && now - overSince >= r.forMs) {
      active = {
        id: newId(),
        key: r.key,
        ruleId: r.rule.id,
        kind: r.rule.kind,
        ...(r.subject !== undefined ? { subject: r.subject } : {}),
        title: r.title,
        message: r.message,
        startedAt: at,
        channels: [...r.rule.channels],
      };
      raised.push(active);
    }
    next.set(r.key, { ...(overSince !== undefined ? { overSince } : {}), ...(active ? { active } : {}) });
  }
  for (const [key, s] of state) {
    if (next.has(key) || !s.active) continue;
    cleared.push({ ...s.active, clearedAt: at, clearMessage: 'the rule no longer applies (changed or removed)' });
  }
  return { state: next, raised, cleared };
}

/** When the next look must come for a `forMs` to run out on time (undefined: no such wait). */
export function nextDue(state: HealthState, rs: readonly Reading[]): number | undefined {
  let due: number | undefined;
  for (const r of rs) {
    const s = state.get(r.key);
    if (!s || s.active || s.overSince === undefined) continue;
    const at = s.overSince + r.forMs;
    due = due === undefined ? at : Math.min(due, at);
  }
  return due;
}
