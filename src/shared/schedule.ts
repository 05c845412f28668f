// One reading of a cron schedule for the editor and the core alike: how many fields it may have,
// whether it fires, how often, what it means in words and when it fires next. Pure (croner and
// cronstrue are plain JavaScript), so the renderer shows the same verdict the core enforces.
import { Cron } from 'croner';
import cronstrue from 'cronstrue';

/** What a schedule says about itself; the fields of the template's `schedule`. */
export interface ScheduleInput {
  cron: string;
  /** Six fields, the first one seconds: only where the user chose it. */
  seconds?: boolean | undefined;
  timeZone?: string | undefined;
  /** The user confirmed a schedule that fires more often than once a minute. */
  allowFrequent?: boolean | undefined;
}

export interface ScheduleCheck {
  /** Why the schedule cannot be saved, in the user's words; undefined when it can. */
  error?: string;
  /** Set when it fires more often than once a minute and nobody confirmed that. */
  tooFrequent?: boolean;
  description?: string;
  /** The next fire times (empty when there is an error). */
  next: Date[];
}

/** Kubernetes' (and Vixie cron's) shorthands; they are five-field schedules. */
const NICKNAMES: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const FIELDS_5 = 'minute hour day-of-month month day-of-week';
/** Gaps are looked for among this many upcoming runs (a burst within a day shows up in it). */
const GAP_SAMPLE = 30;
const MINUTE_MS = 60_000;

export const UTC = 'UTC';

/** The zones a schedule may use: UTC first, then the IANA names this runtime knows. */
export function timeZones(): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [UTC, ...known.filter((z) => z !== UTC)];
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The expression croner should read: a nickname expanded, spaces normalised. */
function expand(cron: string): string {
  const t = cron.trim().replace(/\s+/g, ' ');
  return NICKNAMES[t.toLowerCase()] ?? t;
}

function fieldCountProblem(expr: string, seconds: boolean): string | undefined {
  if (expr.startsWith('@')) return `unknown shorthand "${expr}" (expected @hourly, @daily, @weekly, @monthly or @yearly)`;
  const n = expr.split(' ').length;
  const want = seconds ? 6 : 5;
  if (n === want) return undefined;
  if (seconds) return `expected 6 fields with seconds (second ${FIELDS_5}), got ${n}`;
  if (n === 6) return `expected 5 fields (${FIELDS_5}), got 6; to fire at given seconds, choose "with seconds"`;
  return `expected 5 fields (${FIELDS_5}), got ${n}`;
}

/** The whole verdict on a schedule; never throws. */
export function checkSchedule(s: ScheduleInput, from: Date = new Date(), count = 5): ScheduleCheck {
  const raw = s.cron.trim();
  if (!raw) return { error: 'Schedule is required: a cron expression such as 0 3 * * *', next: [] };
  if (s.timeZone !== undefined && !isTimeZone(s.timeZone)) {
    return { error: `unknown time zone "${s.timeZone}" (expected an IANA name such as Europe/Paris)`, next: [] };
  }
  const expr = expand(raw);
  const fields = fieldCountProblem(expr, s.seconds === true);
  if (fields) return { error: fields, next: [] };
  let cron: Cron;
  try {
    cron = new Cron(expr, { paused: true, ...(s.timeZone ? { timezone: s.timeZone } : {}) });
  } catch (error) {
    const why = error instanceof Error ? error.message.replace(/^CronPattern: /, '') : String(error);
    return { error: `not a cron schedule: ${why}`, next: [] };
  }
  const upcoming = cron.nextRuns(Math.max(count, GAP_SAMPLE), from);
  cron.stop();
  if (upcoming.length === 0) return { error: `"${raw}" never fires (no such date)`, next: [] };
  const description = describe(expr);
  const next = upcoming.slice(0, count);
  const gap = smallestGapMs(upcoming);
  if (gap !== undefined && gap < MINUTE_MS && s.allowFrequent !== true) {
    return {
      error: `fires every ${Math.round(gap / 1000)} s, more often than once a minute; confirm it to save`,
      tooFrequent: true,
      ...(description ? { description } : {}),
      next,
    };
  }
  return { ...(description ? { description } : {}), next };
}

function smallestGapMs(runs: Date[]): number | undefined {
  let min: number | undefined;
  for (let i = 1; i < runs.length; i++) {
    const d = runs[i]!.getTime() - runs[i - 1]!.getTime();
    if (min === undefined || d < min) min = d;
  }
  return min;
}

/** The schedule in words ("At 03:30, Monday through Friday"); undefined if cronstrue cannot say. */
export function describe(expr: string): string | undefined {
  try {
    return cronstrue.toString(expand(expr), { use24HourTimeFormat: true, verbose: false });
  } catch {
    return undefined;
  }
}

/** A fire time as a person in that zone reads it: "Tue 2026-12-01 03:30:00"; no zone = this machine's. */
export function formatFireTime(d: Date, timeZone: string | undefined): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    ...(timeZone ? { timeZone } : {}),
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(d);
  const p = (t: Intl.DateTimeFormatPartTypes) => parts.find((x) => x.type === t)?.value ?? '';
  return `${p('weekday')} ${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')}:${p('second')}`;
}
