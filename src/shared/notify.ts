// Notification rules and channels (issue 13): what a rule listens for and where it sends. The
// rules live in settings (the default) and in a template (its override); the channels in their
// own store file, their secrets sealed (src/main/core/notify/channelStore.ts).
import { z } from 'zod';

/** The one channel every install has: the desktop's notices (Electron's, or the browser's). */
export const DESKTOP_CHANNEL = 'desktop';

export const NotifyOn = z.enum(['start', 'success', 'failure', 'late', 'stuck', 'recovered'], {
  error: 'A rule fires on start, success, failure, late, stuck or recovered',
});
export type NotifyOn = z.infer<typeof NotifyOn>;

const secondsField = (label: string) => {
  const message = `${label} must be a whole number of seconds from 1 to 2592000 (30 days)`;
  return z.number({ error: message }).int({ error: message }).min(1, { error: message }).max(2_592_000, { error: message });
};
const p95Message = 'Times the p95 must be a number from 1 to 100';

export const NotifyRule = z
  .object({
    id: z.string({ error: 'A rule needs an id' }).trim().min(1, { error: 'A rule needs an id' }).max(64, { error: 'A rule id must be at most 64 characters' }),
    on: NotifyOn,
    /** failure: every failed attempt, or only once the job has failed for good (after its last retry). */
    attempts: z.enum(['each', 'last'], { error: 'Failure attempts must be each or last' }).default('last'),
    /** late: running longer than this; stuck: pending longer than this. */
    afterSeconds: secondsField('After').optional(),
    /** late: running longer than this many times the template's p95 duration (its finished runs). */
    p95Factor: z.number({ error: p95Message }).min(1, { error: p95Message }).max(100, { error: p95Message }).optional(),
    channels: z
      .array(z.string().min(1).max(100), { error: 'Channels must be a list of channel ids' })
      .min(1, { error: 'A rule must send to at least one channel' })
      .max(20, { error: 'A rule sends to at most 20 channels' }),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.on === 'late' && r.afterSeconds === undefined && r.p95Factor === undefined)
      ctx.addIssue({ code: 'custom', path: ['afterSeconds'], message: 'A running-late rule needs a duration or a multiple of the p95' });
    if (r.on === 'stuck' && r.afterSeconds === undefined)
      ctx.addIssue({ code: 'custom', path: ['afterSeconds'], message: 'A stuck-pending rule needs a duration' });
  });
export type NotifyRule = z.infer<typeof NotifyRule>;
export type NotifyRuleInput = z.input<typeof NotifyRule>;

export const NotifyRules = z
  .array(NotifyRule, { error: 'Rules must be a list' })
  .max(50, { error: 'At most 50 rules' })
  .superRefine((rules, ctx) => {
    const seen = new Set<string>();
    rules.forEach((r, i) => {
      if (seen.has(r.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `Two rules are called ${r.id}` });
      seen.add(r.id);
    });
  });

/** A template's own rules: present, they replace the default rules for its jobs (empty: silent). */
export const TemplateNotifications = z.object({ rules: NotifyRules }).strict();
export type TemplateNotifications = z.infer<typeof TemplateNotifications>;

/** The default rules as the old settings meant them: failures always, successes unless muted. */
export function legacyRules(muteSuccess: boolean): NotifyRule[] {
  const failure: NotifyRule = { id: 'default-failure', on: 'failure', attempts: 'last', channels: [DESKTOP_CHANNEL] };
  const success: NotifyRule = { id: 'default-success', on: 'success', attempts: 'last', channels: [DESKTOP_CHANNEL] };
  return muteSuccess ? [failure] : [failure, success];
}

/** The rules that apply to a job: its template's override, else the settings' (else the legacy ones). */
export function rulesFor(
  notifications: { muteSuccess: boolean; rules?: NotifyRule[] | undefined },
  override: TemplateNotifications | undefined,
): NotifyRule[] {
  if (override) return override.rules;
  return notifications.rules ?? legacyRules(notifications.muteSuccess);
}

// Channels ------------------------------------------------------------------------------------

const ChannelId = z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9._-]+$/, { error: 'A channel id is letters, digits, dot, dash and underscore' });
const ChannelName = z.string({ error: 'Name is required' }).trim().min(1, { error: 'Name is required' }).max(120, { error: 'Name must be at most 120 characters' });
const timeoutMessage = 'Timeout must be a whole number of milliseconds from 100 to 120000';
const TimeoutMs = z.number({ error: timeoutMessage }).int({ error: timeoutMessage }).min(100, { error: timeoutMessage }).max(120_000, { error: timeoutMessage });

export const WebhookPreset = z.enum(['json', 'slack', 'ntfy'], { error: 'Body must be json, slack or ntfy' });
export type WebhookPreset = z.infer<typeof WebhookPreset>;

export const WebhookChannel = z
  .object({
    id: ChannelId,
    kind: z.literal('webhook'),
    name: ChannelName,
    url: z.string({ error: 'URL is required' }).trim().min(1, { error: 'URL is required' }).max(2000, { error: 'URL must be at most 2000 characters' }),
    preset: WebhookPreset.default('json'),
    /** HMAC-SHA256 key of X-Jobdeck-Signature: sealed at rest, the mask on the wire, '' for none. */
    secret: z.string().max(4096).default(''),
    /** Plain http to a host other than loopback (the body and signature travel unencrypted). */
    allowHttp: z.boolean().default(false),
    timeoutMs: TimeoutMs.default(10_000),
  })
  .strict();
export type WebhookChannel = z.infer<typeof WebhookChannel>;

export const MailSecurity = z.enum(['tls', 'starttls', 'none'], { error: 'Security must be tls, starttls or none' });
const portMessage = 'Port must be a whole number from 1 to 65535';
const Address = z.string().trim().min(3, { error: 'An address looks like name@example.com' }).max(320).regex(/^[^\s@]+@[^\s@]+$/, { error: 'An address looks like name@example.com' });

export const MailChannel = z
  .object({
    id: ChannelId,
    kind: z.literal('mail'),
    name: ChannelName,
    host: z.string({ error: 'SMTP host is required' }).trim().min(1, { error: 'SMTP host is required' }).max(255),
    port: z.number({ error: portMessage }).int({ error: portMessage }).min(1, { error: portMessage }).max(65535, { error: portMessage }).default(587),
    /** tls: TLS from the first byte (465); starttls: upgrade required (587); none: loopback only. */
    security: MailSecurity.default('starttls'),
    user: z.string().max(320).default(''),
    /** Sealed at rest, the mask on the wire, '' for none. */
    password: z.string().max(4096).default(''),
    from: Address,
    to: z.array(Address, { error: 'To must be a list of addresses' }).min(1, { error: 'Mail needs at least one recipient' }).max(50),
    timeoutMs: TimeoutMs.default(15_000),
  })
  .strict();
export type MailChannel = z.infer<typeof MailChannel>;

export const NotifyChannel = z.discriminatedUnion('kind', [WebhookChannel, MailChannel], { error: 'A channel is a webhook or mail' });
export type NotifyChannel = z.infer<typeof NotifyChannel>;
export type NotifyChannelInput = z.input<typeof NotifyChannel>;

/** What notify.channels.save takes: a channel without an id is a new one. */
export const ChannelInput = z.discriminatedUnion('kind', [WebhookChannel.extend({ id: ChannelId.optional() }), MailChannel.extend({ id: ChannelId.optional() })]);
export type ChannelInput = z.input<typeof ChannelInput>;

// What is sent -----------------------------------------------------------------------------------

/**
 * The webhook's JSON body (preset json), documented in docs/notifications.md. The same facts
 * make the Slack text, the ntfy body and the mail. Stable across retries: the signature and the
 * idempotency key are the same on every try.
 */
export const NotifyPayload = z.object({
  version: z.literal(1),
  event: z.union([NotifyOn, z.literal('test'), z.literal('alert')]),
  ruleId: z.string(),
  idempotencyKey: z.string(),
  /** When the event happened (ISO). */
  at: z.string(),
  summary: z.string(),
  job: z
    .object({
      id: z.string(),
      status: z.string(),
      reason: z.string().optional(),
      message: z.string().optional(),
      exitCode: z.number().int().nullable().optional(),
      exitMeaning: z.string().optional(),
      template: z.string(),
      templateId: z.string().optional(),
      engine: z.string().optional(),
      createdAt: z.string(),
      startedAt: z.string().optional(),
      finishedAt: z.string().optional(),
      durationMs: z.number().optional(),
      attempt: z.number().int(),
      /** Opens the job in the desktop app. */
      link: z.string(),
      /** The headless host's page of the job, where one serves it. */
      url: z.string().optional(),
    })
    .optional(),
  alert: z.object({ id: z.string(), title: z.string(), state: z.enum(['firing', 'resolved']), detail: z.string().optional() }).optional(),
});
export type NotifyPayload = z.infer<typeof NotifyPayload>;

export const DeliveryAttempt = z.object({
  at: z.string(),
  attempt: z.number().int().min(1),
  ok: z.boolean(),
  statusCode: z.number().int().optional(),
  error: z.string().optional(),
});
export type DeliveryAttempt = z.infer<typeof DeliveryAttempt>;

export const DeliveryState = z.enum(['pending', 'delivered', 'failed']);
export type DeliveryState = z.infer<typeof DeliveryState>;
export const Delivery = z.object({
  key: z.string(),
  channelId: z.string(),
  channelName: z.string(),
  channelKind: z.enum(['webhook', 'mail']),
  jobId: z.string().optional(),
  ruleId: z.string(),
  event: NotifyPayload.shape.event,
  createdAt: z.string(),
  state: DeliveryState,
  attempts: z.array(DeliveryAttempt),
  /** When the next try is due (pending only). */
  nextAt: z.string().optional(),
  /** Most tries before it is given up; left out, the outbox's own limit (a test send tries once). */
  maxTries: z.number().int().min(1).optional(),
  payload: NotifyPayload,
});
export type Delivery = z.infer<typeof Delivery>;

/** A desktop notice the shells show (Electron's Notification, the browser's). */
export const DesktopNotice = z.object({ title: z.string(), body: z.string(), jobId: z.string().optional(), key: z.string() });
export type DesktopNotice = z.infer<typeof DesktopNotice>;

/** "delivered 200", "failed: timed out after 1000 ms", "retrying (try 3)". */
export function deliveryText(d: Pick<Delivery, 'state' | 'attempts'>): string {
  const last = d.attempts.at(-1);
  const what = last ? (last.error ?? (last.statusCode !== undefined ? String(last.statusCode) : '')) : '';
  if (d.state === 'delivered') return `delivered${last?.statusCode !== undefined ? ` ${last.statusCode}` : ''}`;
  if (d.state === 'failed') return `failed${what ? `: ${what}` : ''}`;
  return last ? `retrying after try ${last.attempt}${what ? ` (${what})` : ''}` : 'queued';
}
