import { Cron } from 'croner';

/** An error message, or null when the schedule is valid and fires at least once. */
export function validateCron(expr: string, timeZone?: string): string | null {
  if (timeZone) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone });
    } catch {
      return `unknown time zone "${timeZone}" (expected an IANA name such as Europe/Paris)`;
    }
  }
  let cron: Cron;
  try {
    cron = new Cron(expr, { paused: true, ...(timeZone ? { timezone: timeZone } : {}) });
  } catch (error) {
    return `invalid cron expression "${expr}": ${error instanceof Error ? error.message : String(error)}`;
  }
  const next = cron.nextRun();
  cron.stop();
  return next ? null : `cron expression "${expr}" never fires`;
}
