// The Settings form as text and flags, and the patch it sends: only the keys the user changed, so
// a save never writes back (or resets) what the form does not show (engines, the paused queue…).
import type { Settings } from '../../../shared/settings';

export type RemovableStatus = Settings['retention']['statuses'][number];

export interface SettingsFormValues {
  concurrency: string;
  stopGraceSeconds: string;
  logCapMiB: string;
  days: string;
  statuses: RemovableStatus[];
  notify: boolean;
  muteSuccess: boolean;
  closeToTray: boolean;
}

const MiB = 1024 ** 2;

export function formFromSettings(s: Settings): SettingsFormValues {
  return {
    concurrency: String(s.concurrency),
    stopGraceSeconds: String(s.stopGraceSeconds),
    logCapMiB: String(Math.round(s.logCapBytes / MiB)),
    days: s.retention.days === undefined ? '' : String(s.retention.days),
    statuses: [...s.retention.statuses],
    notify: s.notifications.enabled,
    muteSuccess: s.notifications.muteSuccess,
    closeToTray: s.closeToTray,
  };
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));
/** Text the user typed, as the number the schema checks (NaN stays NaN: the schema says why). */
const num = (text: string) => (text.trim() === '' ? Number.NaN : Number(text.trim()));

/**
 * What changed between the settings the form started from and the form: a JSON merge patch
 * (nested objects carry only their changed keys; a cleared optional field is null).
 */
export function settingsPatch(base: Settings, form: SettingsFormValues): Record<string, unknown> {
  const was = formFromSettings(base);
  const patch: Record<string, unknown> = {};
  if (form.concurrency.trim() !== was.concurrency) patch.concurrency = num(form.concurrency);
  if (form.stopGraceSeconds.trim() !== was.stopGraceSeconds) patch.stopGraceSeconds = num(form.stopGraceSeconds);
  // Shown rounded to MiB: an untouched cap keeps its exact byte count.
  if (form.logCapMiB.trim() !== was.logCapMiB) patch.logCapBytes = Math.round(num(form.logCapMiB) * MiB);
  const retention: Record<string, unknown> = {};
  if (form.days.trim() !== was.days) retention.days = form.days.trim() === '' ? null : num(form.days);
  if (!sameSet(form.statuses, was.statuses)) retention.statuses = form.statuses;
  if (Object.keys(retention).length) patch.retention = retention;
  const notifications: Record<string, unknown> = {};
  if (form.notify !== was.notify) notifications.enabled = form.notify;
  if (form.muteSuccess !== was.muteSuccess) notifications.muteSuccess = form.muteSuccess;
  if (Object.keys(notifications).length) patch.notifications = notifications;
  if (form.closeToTray !== was.closeToTray) patch.closeToTray = form.closeToTray;
  return patch;
}
