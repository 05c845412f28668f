import { checkSchedule } from '../../../shared/schedule';
import type { Schedule } from '../../../shared/template';

/** An error message, or null when the schedule may be saved (the shared rule the editor shows). */
export function scheduleProblem(s: Pick<Schedule, 'cron' | 'seconds' | 'timeZone' | 'allowFrequent'>): string | null {
  return checkSchedule(s).error ?? null;
}
