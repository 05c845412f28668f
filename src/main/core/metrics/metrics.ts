// Prometheus metrics of one core: a prom-client Registry of its own (never the global one, so two
// cores in one process, as tests have, keep their figures apart), fed by job changes as they are
// saved and read from the scheduler and engines when scraped.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { isTerminal, type Job } from '../../../shared/job';
import { jobDurationMs, queueWaitMs } from '../../../shared/jobNumbers';
import type { Delivery } from '../../../shared/notify';

export interface MetricsPorts {
  running(): number;
  pending(): number;
  engines(): readonly { id: string; kind: string; status: 'available' | 'unavailable' }[];
  /** Alerts active now, per rule kind. */
  activeAlerts?(): readonly { kind: string }[];
}

/** Seconds: a quick job is a second or less, a batch job hours. */
const DURATION_BUCKETS = [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21_600, 86_400];
const WAIT_BUCKETS = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 21_600, 86_400];

/**
 * The label sets, documented once:
 * - jobdeck_jobs_finished_total{status="completed|failed|cancelled", template}
 * - jobdeck_job_duration_seconds{status="completed|failed", template} (the job's run, shared/jobNumbers.ts)
 * - jobdeck_job_queue_wait_seconds{template}: created → first attempt started
 * - jobdeck_jobs_running, jobdeck_jobs_pending
 * - jobdeck_engine_up{engine, kind}: 1 when the engine answers its probe
 * - jobdeck_log_bytes_written_total: bytes of job output stored
 * - jobdeck_notification_deliveries_total{channel, outcome="delivered|failed|retrying|dropped"}: per
 *   try of the notification outbox (retrying: failed, another try to come; failed: given up)
 * - jobdeck_alerts_active{kind}
 */
export class CoreMetrics {
  readonly registry = new Registry();
  /** Tries already counted, by delivery key (the outbox announces a delivery more than once). */
  private readonly tries = new Map<string, number>();
  private readonly finished: Counter<'status' | 'template'>;
  private readonly duration: Histogram<'status' | 'template'>;
  private readonly wait: Histogram<'template'>;
  private readonly logBytes: Counter;
  private readonly deliveries: Counter<'channel' | 'outcome'>;

  constructor(ports: MetricsPorts) {
    const registers = [this.registry];
    this.finished = new Counter({ name: 'jobdeck_jobs_finished_total', help: 'Jobs that ended, by final status and template.', labelNames: ['status', 'template'], registers });
    this.duration = new Histogram({ name: 'jobdeck_job_duration_seconds', help: 'How long ended jobs ran (first attempt start to last attempt end).', labelNames: ['status', 'template'], buckets: DURATION_BUCKETS, registers });
    this.wait = new Histogram({ name: 'jobdeck_job_queue_wait_seconds', help: 'How long jobs waited in the queue: created to first attempt started.', labelNames: ['template'], buckets: WAIT_BUCKETS, registers });
    new Gauge({ name: 'jobdeck_jobs_running', help: 'Attempts running now.', registers, collect() { this.set(ports.running()); } });
    new Gauge({ name: 'jobdeck_jobs_pending', help: 'Jobs waiting in the queue now.', registers, collect() { this.set(ports.pending()); } });
    new Gauge({
      name: 'jobdeck_engine_up',
      help: 'Whether the engine answers its probe (1) or not (0).',
      labelNames: ['engine', 'kind'],
      registers,
      collect() {
        this.reset();
        for (const e of ports.engines()) this.set({ engine: e.id, kind: e.kind }, e.status === 'available' ? 1 : 0);
      },
    });
    this.logBytes = new Counter({ name: 'jobdeck_log_bytes_written_total', help: 'Bytes of job output stored in log files.', registers });
    this.deliveries = new Counter({ name: 'jobdeck_notification_deliveries_total', help: 'Notification delivery tries, by channel and outcome.', labelNames: ['channel', 'outcome'], registers });
    new Gauge({
      name: 'jobdeck_alerts_active',
      help: 'Health alerts active now, by rule kind.',
      labelNames: ['kind'],
      registers,
      collect() {
        this.reset();
        for (const kind of ['failureRate', 'engineDown', 'backlog', 'diskFree']) this.set({ kind }, 0);
        for (const a of ports.activeAlerts?.() ?? []) this.inc({ kind: a.kind });
      },
    });
  }

  /** A job was saved (the repository's one writer): its end, first start and new output count here. */
  noteJob(old: Job | undefined, next: Job): void {
    const template = next.templateName;
    if (isTerminal(next.status) && (!old || !isTerminal(old.status))) {
      this.finished.inc({ status: next.status, template });
      const ms = next.status === 'cancelled' ? null : jobDurationMs(next);
      if (ms !== null) this.duration.observe({ status: next.status, template }, ms / 1000);
    }
    const waited = queueWaitMs(next);
    if (waited !== null && (!old || queueWaitMs(old) === null)) this.wait.observe({ template }, waited / 1000);
    const bytes = logBytesOf(next) - (old ? logBytesOf(old) : 0);
    if (bytes > 0) this.logBytes.inc(bytes);
  }

  /** A delivery as the outbox announces it: each try counted once, by how it went. */
  noteDelivery(d: Delivery): void {
    const n = d.attempts.length;
    const last = d.attempts[n - 1];
    if (!last || this.tries.get(d.key) === n) return;
    this.tries.set(d.key, n);
    if (this.tries.size > 10_000) this.tries.delete(this.tries.keys().next().value!);
    this.notificationDelivered(d.channelId, d.state === 'delivered' ? 'delivered' : d.state === 'failed' ? 'failed' : 'retrying');
  }

  /** For the notification outbox: one delivery try to a channel and how it went. */
  notificationDelivered(channel: string, outcome: 'delivered' | 'failed' | 'retrying' | 'dropped'): void {
    this.deliveries.inc({ channel, outcome });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

const logBytesOf = (j: Job) => j.attempts.reduce((n, a) => n + a.logBytes, 0);
