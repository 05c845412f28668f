// The notification outbox: every webhook or mail is written to `notify/outbox.jsonl` before it is
// sent, each try's result after, so a crash (SIGKILL included) loses nothing: at the next start
// the file is read back and whatever was not delivered is sent. One JSON line per record,
// appended synchronously (the page cache survives a killed process); a line torn by a crash is
// skipped. At open the file is rewritten compacted (temp file + rename, as the store writes).
import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { Delivery, DeliveryAttempt, type DeliveryState } from '../../../shared/notify';
import { iso, type Clock } from '../clock';

export type SendResult = { ok: true; statusCode?: number } | { ok: false; statusCode?: number; error: string; permanent?: boolean };

export interface Backoff {
  /** Wait after the first failed try; doubled after each further one (ms). */
  baseMs: number;
  capMs: number;
  /** Tries before a delivery is given up (failed); at least once means many. */
  maxAttempts: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 2_000, capMs: 10 * 60_000, maxAttempts: 20 };

/** The wait before try n + 1 after n failed tries: base × 2^(n-1), capped. */
export function backoffMs(failedTries: number, b: Backoff): number {
  return Math.min(b.capMs, b.baseMs * 2 ** Math.max(0, failedTries - 1));
}

const Line = z.discriminatedUnion('op', [
  z.object({ op: z.literal('enqueue'), delivery: Delivery }),
  z.object({ op: z.literal('try'), key: z.string(), result: DeliveryAttempt, state: z.enum(['pending', 'delivered', 'failed']), nextAt: z.string().optional() }),
]);
type Line = z.infer<typeof Line>;

export interface OutboxOptions {
  file: string;
  clock: Clock;
  send(delivery: Delivery): Promise<SendResult>;
  backoff?: Backoff;
  /** A delivery changed (queued, tried, delivered): announced to the clients. */
  onChange?(delivery: Delivery): void;
  onError?(message: string): void;
  /** Finished deliveries kept in the log (oldest forgotten first, at the next compaction). */
  keep?: number;
}

/** The outbox and the delivery log it keeps. */
export class Outbox {
  private readonly byKey = new Map<string, Delivery>();
  private readonly timers = new Map<string, unknown>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private closed = false;
  private readonly backoff: Backoff;

  private constructor(private readonly o: OutboxOptions) {
    this.backoff = o.backoff ?? DEFAULT_BACKOFF;
  }

  /** Reads what the last run left, compacts the file, and sends what is still pending. */
  static open(o: OutboxOptions): Outbox {
    const box = new Outbox(o);
    box.load();
    box.compact();
    for (const d of box.byKey.values()) if (d.state === 'pending') box.arm(d);
    return box;
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  get(key: string): Delivery | undefined {
    return this.byKey.get(key);
  }

  /** Queue a delivery (written before anything is sent); a key already known is not queued again. */
  enqueue(delivery: Delivery): Delivery {
    const known = this.byKey.get(delivery.key);
    if (known || this.closed) return known ?? delivery;
    this.write({ op: 'enqueue', delivery });
    this.byKey.set(delivery.key, delivery);
    this.o.onChange?.(delivery);
    this.arm(delivery);
    return delivery;
  }

  /** Try a pending delivery now (a test send awaits its first try). */
  async sendNow(key: string): Promise<Delivery | undefined> {
    const d = this.byKey.get(key);
    if (!d) return undefined;
    if (d.state === 'pending') {
      this.disarm(key);
      await this.attempt(key);
    }
    return this.byKey.get(key);
  }

  /** The delivery log, newest first: per job, per channel, or all. */
  list(filter: { jobId?: string; channelId?: string; limit?: number } = {}): Delivery[] {
    const out: Delivery[] = [];
    for (const d of this.byKey.values()) {
      if (filter.jobId !== undefined && d.jobId !== filter.jobId) continue;
      if (filter.channelId !== undefined && d.channelId !== filter.channelId) continue;
      out.push(d);
    }
    out.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
    return out.slice(0, filter.limit ?? 200);
  }

  pendingCount(): number {
    let n = 0;
    for (const d of this.byKey.values()) if (d.state === 'pending') n++;
    return n;
  }

  /** Stops the timers and waits (briefly) for the sends under way; pending ones go at the next start. */
  async close(waitMs = 2_000): Promise<void> {
    this.closed = true;
    for (const key of [...this.timers.keys()]) this.disarm(key);
    const flights = [...this.inFlight.values()];
    if (!flights.length) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([Promise.all(flights), new Promise<void>((r) => (timer = setTimeout(r, waitMs)))]);
    clearTimeout(timer);
  }

  private arm(d: Delivery): void {
    if (this.closed || this.timers.has(d.key) || this.inFlight.has(d.key)) return;
    const wait = Math.max(0, (d.nextAt ? Date.parse(d.nextAt) : 0) - this.o.clock.now());
    this.timers.set(
      d.key,
      this.o.clock.setTimeout(() => {
        this.timers.delete(d.key);
        void this.attempt(d.key);
      }, wait),
    );
  }

  private disarm(key: string): void {
    const t = this.timers.get(key);
    if (t !== undefined) this.o.clock.clearTimeout(t);
    this.timers.delete(key);
  }

  private attempt(key: string): Promise<void> {
    const running = this.inFlight.get(key);
    if (running) return running;
    const d = this.byKey.get(key);
    if (!d || d.state !== 'pending' || this.closed) return Promise.resolve();
    const p = this.tryOnce(d).finally(() => {
      this.inFlight.delete(key);
      const now = this.byKey.get(key);
      if (now?.state === 'pending') this.arm(now);
    });
    this.inFlight.set(key, p);
    return p;
  }

  private async tryOnce(d: Delivery): Promise<void> {
    const number = d.attempts.length + 1;
    let result: SendResult;
    try {
      result = await this.o.send(d);
    } catch (error) {
      result = { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    const now = this.o.clock.now();
    const tried: DeliveryAttempt = {
      at: iso(now),
      attempt: number,
      ok: result.ok,
      ...(result.statusCode !== undefined ? { statusCode: result.statusCode } : {}),
      ...(!result.ok ? { error: result.error } : {}),
    };
    let state: DeliveryState = 'delivered';
    let nextAt: string | undefined;
    if (!result.ok) {
      state = result.permanent || number >= (d.maxTries ?? this.backoff.maxAttempts) ? 'failed' : 'pending';
      if (state === 'pending') nextAt = iso(now + backoffMs(number, this.backoff));
    }
    // A send that ends after close: the next start tries it again (at least once, not at most).
    if (this.closed) return;
    this.write({ op: 'try', key: d.key, result: tried, state, ...(nextAt ? { nextAt } : {}) });
    const next: Delivery = { ...d, attempts: [...d.attempts, tried], state };
    if (nextAt) next.nextAt = nextAt;
    else delete next.nextAt;
    this.byKey.set(d.key, next);
    this.o.onChange?.(next);
  }

  private write(line: Line): void {
    try {
      appendFileSync(this.o.file, `${JSON.stringify(line)}\n`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return this.fail(error);
      mkdirSync(dirname(this.o.file), { recursive: true });
      appendFileSync(this.o.file, `${JSON.stringify(line)}\n`);
    }
  }

  private load(): void {
    let text: string;
    try {
      text = readFileSync(this.o.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new Error(`the notification outbox ${this.o.file} could not be read: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    let skipped = 0;
    for (const raw of text.split('\n')) {
      if (!raw) continue;
      let parsed: ReturnType<typeof Line.safeParse>;
      try {
        parsed = Line.safeParse(JSON.parse(raw));
      } catch {
        skipped++;
        continue;
      }
      if (!parsed.success) {
        skipped++;
        continue;
      }
      this.apply(parsed.data);
    }
    // A torn last line is what a crash leaves; more than that is worth telling.
    if (skipped > 1) this.o.onError?.(`${skipped} lines of the notification outbox could not be read and were left out`);
  }

  private apply(line: Line): void {
    if (line.op === 'enqueue') {
      if (!this.byKey.has(line.delivery.key)) this.byKey.set(line.delivery.key, line.delivery);
      return;
    }
    const d = this.byKey.get(line.key);
    if (!d) return;
    const next: Delivery = { ...d, attempts: [...d.attempts, line.result], state: line.state };
    if (line.nextAt) next.nextAt = line.nextAt;
    else delete next.nextAt;
    this.byKey.set(line.key, next);
  }

  /** The file as one enqueue line per delivery kept (its tries folded in), written atomically. */
  private compact(): void {
    const keep = this.o.keep ?? 5_000;
    const all = [...this.byKey.values()];
    const finished = all.filter((d) => d.state !== 'pending').sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
    for (const d of finished.slice(0, Math.max(0, finished.length - keep))) this.byKey.delete(d.key);
    const text = [...this.byKey.values()].map((delivery) => `${JSON.stringify({ op: 'enqueue', delivery } satisfies Line)}\n`).join('');
    try {
      mkdirSync(dirname(this.o.file), { recursive: true });
      const tmp = `${this.o.file}.tmp`;
      writeFileSync(tmp, text);
      renameSync(tmp, this.o.file);
    } catch (error) {
      this.fail(error);
    }
  }

  private fail(error: unknown): void {
    this.o.onError?.(`the notification outbox could not be written: ${error instanceof Error ? error.message : String(error)}`);
  }
}
