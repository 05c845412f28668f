// Health alerts: the rules the user sets (Settings → Alerts) and the alerts they raise. An alert
// starts once when its rule's condition holds and clears once when it is well clear of it again
// (the bands below), so a value hovering at the threshold does not flap on every probe.
import { z } from 'zod';
import { wholeNumber } from './template';

/** Channel names (the notification channels' ids) an alert's start and clear go to. */
const Channels = z.array(z.string().min(1).max(100)).max(20).default([]);

const RuleId = z
  .string({ error: 'Rule id is required' })
  .min(1, { error: 'Rule id is required' })
  .max(64, { error: 'Rule id must be at most 64 characters' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: 'Rule id uses letters, digits, ., _ and -' });

export const FailureRateRule = z
  .object({
    id: RuleId,
    kind: z.literal('failureRate'),
    /** One template's jobs; absent: all jobs. */
    templateId: z.string().min(1).max(100).optional(),
    windowMinutes: wholeNumber('Failure rate window', 1, 10_080, 'minutes').default(60),
    thresholdPercent: wholeNumber('Failure rate threshold', 1, 100, 'percent').default(50),
    /** Finished jobs the window must hold before a rate counts: one failed job alone is not 100%. */
    minJobs: wholeNumber('Minimum finished jobs', 1, 100_000).default(5),
    channels: Channels,
  })
  .strict();

export const EngineDownRule = z
  .object({
    id: RuleId,
    kind: z.literal('engineDown'),
    /** One engine; absent: any engine (an alert per engine). */
    engineId: z.string().min(1).max(64).optional(),
    forSeconds: wholeNumber('Engine unavailable for', 0, 86_400, 'seconds').default(300),
    channels: Channels,
  })
  .strict();

export const BacklogRule = z
  .object({
    id: RuleId,
    kind: z.literal('backlog'),
    /** Pending jobs above this many. */
    above: wholeNumber('Queue backlog', 0, 1_000_000, 'pending jobs'),
    /** The backlog has been above for this long (0: at once). */
    forSeconds: wholeNumber('Backlog lasting', 0, 86_400, 'seconds').default(0),
    channels: Channels,
  })
  .strict();

export const DiskFreeRule = z
  .object({
    id: RuleId,
    kind: z.literal('diskFree'),
    /** Free space of the data directory's file system below this many MiB. */
    belowMiB: wholeNumber('Free space', 1, 100_000_000, 'MiB'),
    channels: Channels,
  })
  .strict();

export const AlertRule = z.discriminatedUnion('kind', [FailureRateRule, EngineDownRule, BacklogRule, DiskFreeRule], {
  error: 'Alert kind must be failureRate, engineDown, backlog or diskFree',
});
export type AlertRule = z.infer<typeof AlertRule>;
export type AlertKind = AlertRule['kind'];

/** Settings → alerts. No rule by default: an alert nobody asked for is noise. */
export const AlertSettings = z
  .object({
    rules: z
      .array(AlertRule)
      .max(100)
      .default([])
      .refine((rules) => new Set(rules.map((r) => r.id)).size === rules.length, { error: 'Each alert rule needs its own id' }),
  })
  .strict();
export type AlertSettings = z.infer<typeof AlertSettings>;

/** One alert: from its start to its clear (absent while it is active). */
export const Alert = z.object({
  /** This occurrence. */
  id: z.string(),
  /** Its rule and subject: one alert at a time is active per key. */
  key: z.string(),
  ruleId: z.string(),
  kind: z.enum(['failureRate', 'engineDown', 'backlog', 'diskFree']),
  /** What it is about within its rule: an engine id, a template's name; absent for one-subject rules. */
  subject: z.string().optional(),
  /** What the banner says: "Queue backlog above 1". */
  title: z.string(),
  /** The figure at the start: "2 jobs pending". */
  message: z.string(),
  /** The figure at the clear, once cleared. */
  clearMessage: z.string().optional(),
  startedAt: z.string(),
  clearedAt: z.string().optional(),
  channels: z.array(z.string()),
});
export type Alert = z.infer<typeof Alert>;

export const AlertList = z.object({
  /** Active now, oldest first. */
  active: z.array(Alert),
  /** Every kept alert, active ones too, newest start first. */
  history: z.array(Alert),
});
export type AlertList = z.infer<typeof AlertList>;

/** The bands: an alert clears only once the figure is this far back on the right side. */
export const CLEAR_BAND = 0.1;

/** Where an alert of a counted threshold clears: at most 90% of it (a backlog above 10 clears at 9). */
export function clearBelow(threshold: number): number {
  return Math.min(threshold - 1, Math.floor(threshold * (1 - CLEAR_BAND)));
}

const MiB = 1024 ** 2;
export const mib = (bytes: number): string => `${Math.round((bytes / MiB) * 10) / 10} MiB`;

/** A rule as one line, in the user's terms (Settings lists rules so). */
export function describeRule(rule: AlertRule, templateName: (id: string) => string | undefined = () => undefined): string {
  switch (rule.kind) {
    case 'failureRate': {
      const whose = rule.templateId ? `template ${templateName(rule.templateId) ?? rule.templateId}` : 'all jobs';
      return `Failure rate of ${whose} at or above ${rule.thresholdPercent}% over ${rule.windowMinutes} min (at least ${rule.minJobs} finished)`;
    }
    case 'engineDown':
      return `${rule.engineId ? `Engine ${rule.engineId}` : 'Any engine'} unavailable for ${rule.forSeconds} s`;
    case 'backlog':
      return `Queue backlog above ${rule.above} pending${rule.forSeconds ? ` for ${rule.forSeconds} s` : ''}`;
    case 'diskFree':
      return `Free space of the data directory below ${rule.belowMiB} MiB`;
  }
}
