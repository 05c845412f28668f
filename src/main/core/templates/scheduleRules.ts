import { checkSchedule } from '../../../shared/schedule';
import type { Schedule } from '../../../shared/template';

/** An error message, or null when the schedule may be saved (the shared rule the editor shows). */
export function scheduleProblem(s: Pick<Schedule, 'cron' | 'seconds' | 'timeZone' | 'allowFrequent'>): string | null {
  return checkSchedule(s).error ?? null;
}

/**
 * The editor's schedule messages point at its checkboxes; a file says the same with fields.
 * A CronJob has no seconds at all, as a cluster reads it.
 */
export function scheduleMessageForFile(message: string, format: 'jobdeck' | 'kubernetes'): string {
  if (format === 'kubernetes') {
    return message
      .replace(/; to fire at given seconds, choose "with seconds"$/, ': a CronJob schedule has five fields, as in a cluster')
      .replace(/; confirm it to save$/, '');
  }
  return message
    .replace(/choose "with seconds"$/, 'add seconds: true to the schedule')
    .replace(/confirm it to save$/, 'to allow it, add allowFrequent: true to the schedule');
}
