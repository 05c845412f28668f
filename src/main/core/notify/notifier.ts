// The notification service: watches the jobs the core announces, lets the rules decide
// (rules.ts), and sends through the channels: the desktop as an event the shells show, webhooks
// and mail through the outbox (outbox.ts). Late and stuck rules get one timer, armed for the
// earliest threshold of any active job.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Job } from '../../../shared/job';
import { isTerminal } from '../../../shared/job';
import { DESKTOP_CHANNEL, rulesFor, type Delivery, type DesktopNotice, type NotifyChannel, type NotifyPayload, type NotifyRule } from '../../../shared/notify';
import type { Settings } from '../../../shared/settings';
import { iso, type Clock } from '../clock';
import type { SecretCodec } from '../secrets';
import { ChannelStore, channelsFile } from './channelStore';
import { mailMessage, sendMail, type MailTransportOptions } from './mail';
import { Outbox, type Backoff, type SendResult } from './outbox';
import { buildPayload, desktopNotice, idempotencyKey } from './payload';
import { evaluate, FiringLedger, needsPast, nextDue, type Firing, type TemplatePast } from './rules';
import { postWebhook, webhookRequest } from './webhook';

/** An alert (the health part's) as the channels are told of it: once when it starts, once when it clears. */
export interface AlertNotice {
  id: string;
  title: string;
  state: 'firing' | 'resolved';
  detail?: string;
  /** When it started or cleared (ISO): with id and state, what makes the delivery's key. */
  at: string;
}

export interface NotifierDeps {
  dataDir: string;
  clock: Clock;
  codec: SecretCodec;
  settings(): Settings;
  activeJobs(): Job[];
  /** The template's finished runs before `job`: its p95 duration and how the last one ended. */
  past(job: Job): TemplatePast;
  /** The last lines of an attempt's log (masked as stored), for mail. */
  logTail(jobId: string, attempt: number): Promise<string[]>;
  /** The headless host's URL, where one serves the app (the payload links to its job page). */
  baseUrl(): string | undefined;
  desktop(notice: DesktopNotice): void;
  delivery(d: Delivery): void;
  onError(message: string): void;
  backoff?: Backoff;
  mailTransport?: MailTransportOptions;
}

export class Notifier {
  readonly channels: ChannelStore;
  readonly outbox: Outbox;
  private readonly ledger = new FiringLedger();
  private readonly p95 = new Map<string, { at: number; past: TemplatePast }>();
  private timer: unknown;
  private timerAt: number | undefined;
  private closed = false;

  constructor(private readonly d: NotifierDeps) {
    this.channels = new ChannelStore(channelsFile(d.dataDir), d.codec);
    for (const p of this.channels.problems) d.onError(p.message);
    this.outbox = Outbox.open({
      file: join(d.dataDir, 'notify', 'outbox.jsonl'),
      clock: d.clock,
      send: (x) => this.send(x),
      ...(d.backoff ? { backoff: d.backoff } : {}),
      onChange: d.delivery,
      onError: d.onError,
    });
    // What the active jobs had already set off before this process watched is not news again
    // (late and stuck are left to fire: the outbox's keys keep a webhook or mail from repeating).
    const now = d.clock.now();
    for (const job of d.activeJobs()) {
      for (const f of evaluate(job, this.rulesOf(job), { p95Ms: null }, now)) if (f.event !== 'late' && f.event !== 'stuck') this.ledger.note(FiringLedger.key(job.id, f));
    }
    this.arm();
  }

  /** A job changed (the repository's announce): whatever its rules now set off is sent. */
  observe(job: Job): void {
    if (this.closed) return;
    this.look(job);
    this.arm();
  }

  private look(job: Job): void {
    const rules = this.rulesOf(job);
    if (rules.length) {
      const past = needsPast(rules) || isTerminal(job.status) ? this.pastOf(job, isTerminal(job.status)) : { p95Ms: null };
      for (const f of this.ledger.admit(job.id, evaluate(job, rules, past, this.d.clock.now()))) this.fire(job, f);
    }
  }

  /** Queue an alert's notice to channels by id (health alerts: once when it starts, once when it clears). */
  notifyAlert(alert: AlertNotice, channelIds: readonly string[]): void {
    for (const channelId of new Set(channelIds)) {
      const key = idempotencyKey(['alert', alert.id, alert.state, alert.at, channelId]);
      const payload: NotifyPayload = {
        version: 1,
        event: 'alert',
        ruleId: `alert:${alert.id}`,
        idempotencyKey: key,
        at: alert.at,
        summary: `Alert ${alert.state === 'firing' ? 'started' : 'cleared'}: ${alert.title}`,
        alert: { id: alert.id, title: alert.title, state: alert.state, ...(alert.detail ? { detail: alert.detail } : {}) },
      };
      this.deliver(channelId, payload, undefined);
    }
  }

  /** "Send test": one try now, the result in the channel's delivery log. */
  async test(channel: NotifyChannel): Promise<Delivery> {
    const key = `test-${randomUUID()}`;
    const payload: NotifyPayload = { version: 1, event: 'test', ruleId: 'test', idempotencyKey: key, at: iso(this.d.clock.now()), summary: `Test notification from Jobdeck to ${channel.name}` };
    this.outbox.enqueue(this.delivery(channel, payload, undefined, 1));
    return (await this.outbox.sendNow(key))!;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) this.d.clock.clearTimeout(this.timer);
    await this.outbox.close();
  }

  private rulesOf(job: Job): NotifyRule[] {
    return rulesFor(this.d.settings().notifications, job.spec.notifications);
  }

  /** p95 is cached a minute per template; how the last run ended is read fresh at each end. */
  private pastOf(job: Job, fresh: boolean): TemplatePast {
    const k = job.templateId ?? `name:${job.templateName}`;
    const hit = this.p95.get(k);
    if (!fresh && hit && this.d.clock.now() - hit.at < 60_000) return hit.past;
    const past = this.d.past(job);
    this.p95.set(k, { at: this.d.clock.now(), past });
    return past;
  }

  private fire(job: Job, f: Firing): void {
    for (const channelId of new Set(f.rule.channels)) {
      const key = idempotencyKey([job.id, f.rule.id, f.occurrence, channelId]);
      const payload = buildPayload({ job, event: f.event, ruleId: f.rule.id, key, at: f.at, ...(this.d.baseUrl() ? { baseUrl: this.d.baseUrl()! } : {}) });
      this.deliver(channelId, payload, job.id, job);
    }
  }

  private deliver(channelId: string, payload: NotifyPayload, jobId: string | undefined, job?: Job): void {
    if (channelId === DESKTOP_CHANNEL) {
      if (this.d.settings().notifications.enabled) this.d.desktop(desktopNotice(payload, job));
      return;
    }
    const channel = this.channels.get(channelId);
    if (!channel) {
      this.d.onError(`notification rule ${payload.ruleId} names channel ${channelId}, which does not exist (Settings → Notifications)`);
      return;
    }
    this.outbox.enqueue(this.delivery(channel, payload, jobId));
  }

  private delivery(channel: NotifyChannel, payload: NotifyPayload, jobId: string | undefined, maxTries?: number): Delivery {
    return {
      key: payload.idempotencyKey,
      channelId: channel.id,
      channelName: channel.name,
      channelKind: channel.kind,
      ...(jobId ? { jobId } : {}),
      ruleId: payload.ruleId,
      event: payload.event,
      createdAt: iso(this.d.clock.now()),
      state: 'pending',
      attempts: [],
      ...(maxTries ? { maxTries } : {}),
      payload,
    };
  }

  private async send(x: Delivery): Promise<SendResult> {
    const channel = this.channels.get(x.channelId);
    if (!channel) return { ok: false, error: `channel ${x.channelName} was removed`, permanent: true };
    const secret = this.channels.secretOf(channel);
    if (channel.kind === 'webhook') {
      let req;
      try {
        req = webhookRequest(channel, x.payload, secret);
      } catch (error) {
        return { ok: false, error: error instanceof Error ? error.message : String(error), permanent: true };
      }
      return postWebhook(req, channel.timeoutMs);
    }
    const job = x.payload.job;
    const tail = job && job.attempt > 0 ? await this.d.logTail(job.id, job.attempt).catch(() => []) : [];
    return sendMail(channel, secret, mailMessage(x.payload, tail), this.d.mailTransport);
  }

  /** One timer for the earliest late/stuck threshold of any active job. */
  private arm(): void {
    if (this.closed) return;
    const now = this.d.clock.now();
    let next: number | undefined;
    for (const job of this.d.activeJobs()) {
      const rules = this.rulesOf(job).filter((r) => r.on === 'late' || r.on === 'stuck');
      if (!rules.length) continue;
      const at = nextDue(job, rules, needsPast(rules) ? this.pastOf(job, false) : { p95Ms: null }, now);
      if (at !== undefined && (next === undefined || at < next)) next = at;
    }
    if (next === this.timerAt) return;
    if (this.timer !== undefined) this.d.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = next;
    if (next === undefined) return;
    this.timer = this.d.clock.setTimeout(() => {
      this.timer = undefined;
      this.timerAt = undefined;
      if (this.closed) return;
      for (const job of this.d.activeJobs()) this.look(job);
      this.arm();
    }, next - now);
  }
}
