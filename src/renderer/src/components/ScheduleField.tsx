import { useMemo } from 'react';
import { checkSchedule, formatFireTime, timeZones } from '../../../shared/schedule';
import './templates.css';

export interface ScheduleValue {
  cron: string;
  seconds: boolean;
  timeZone: string;
  enabled: boolean;
  allowFrequent: boolean;
  concurrencyPolicy: string;
  missedRunPolicy: string;
}

/** Kubernetes CronJob's concurrencyPolicy and Jobdeck's missed-run rule, said in words. */
const CONCURRENCY = [
  { value: 'Allow', label: 'Allow (runs may overlap)' },
  { value: 'Forbid', label: 'Forbid (skip while one runs)' },
  { value: 'Replace', label: 'Replace (cancel the running one)' },
];
const MISSED = [
  { value: 'Skip', label: 'Skip (runs missed while closed are dropped)' },
  { value: 'CatchUpOnce', label: 'Catch up once (one run for all missed)' },
];

/**
 * The cron box with what it means before it is saved: in words, the next five fire times in the
 * schedule's zone, and a confirmation for anything firing more often than once a minute. The
 * verdict is the shared one (src/shared/schedule.ts) that the core enforces on save.
 */
export function ScheduleField({ value, error, onChange }: { value: ScheduleValue; error: string | undefined; onChange(patch: Partial<ScheduleValue>): void }) {
  const zones = useMemo(timeZones, []);
  // Read as unconfirmed, so the confirmation box stays while the schedule is sub-minute.
  const check = useMemo(
    () => (value.cron.trim() ? checkSchedule({ cron: value.cron, seconds: value.seconds, timeZone: value.timeZone || undefined }) : undefined),
    [value.cron, value.seconds, value.timeZone],
  );
  const zoneLabel = value.timeZone || 'the host\'s local time';
  return (
    <fieldset className={`field schedule-field ${error ? 'invalid' : ''}`} data-testid="schedule-field">
      <legend className="muted small">Schedule</legend>
      <div className="row">
        <label className="field grow">
          <span>Cron {value.seconds ? '(second minute hour day month weekday)' : '(minute hour day month weekday)'}</span>
          <input name="cron" value={value.cron} placeholder="0 3 * * *" onChange={(e) => onChange({ cron: e.target.value })} />
        </label>
        <label className="field">
          <span>Time zone</span>
          <select value={value.timeZone} onChange={(e) => onChange({ timeZone: e.target.value })} data-testid="schedule-zone">
            <option value="">Host's local time</option>
            {zones.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="row">
        <label className="field">
          <span>If still running</span>
          <select name="concurrencyPolicy" value={value.concurrencyPolicy} onChange={(e) => onChange({ concurrencyPolicy: e.target.value })}>
            {CONCURRENCY.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Missed runs</span>
          <select name="missedRunPolicy" value={value.missedRunPolicy} onChange={(e) => onChange({ missedRunPolicy: e.target.value })}>
            {MISSED.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="checks">
        <label className="check">
          <input type="checkbox" checked={value.seconds} onChange={(e) => onChange({ seconds: e.target.checked })} />
          with seconds (six fields)
        </label>
        <label className="check">
          <input type="checkbox" checked={value.enabled} onChange={(e) => onChange({ enabled: e.target.checked })} />
          schedule on
        </label>
      </div>
      {error && <em className="field-error" data-testid="error-schedule.cron">{error}</em>}
      {check?.tooFrequent && (
        <label className="check">
          <input type="checkbox" checked={value.allowFrequent} onChange={(e) => onChange({ allowFrequent: e.target.checked })} />
          Yes, start a job more often than once a minute
        </label>
      )}
      {check && check.next.length > 0 && (
        <div className="schedule-preview" data-testid="schedule-preview">
          {check.description && <div data-testid="schedule-words">{check.description}</div>}
          <div className="muted">
            {value.enabled ? `Next ${check.next.length} runs (${zoneLabel}):` : `Off: no runs until it is turned on. When on, the next ${check.next.length} (${zoneLabel}):`}
          </div>
          <ol data-testid="schedule-next">
            {check.next.map((d) => (
              <li key={d.getTime()}>{formatFireTime(d, value.timeZone || undefined)}</li>
            ))}
          </ol>
        </div>
      )}
    </fieldset>
  );
}
