import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { Alert } from '../../../shared/alerts';

const Line = z.union([
  z.object({ raised: Alert }).strict(),
  z.object({ cleared: z.object({ id: z.string(), at: z.string(), message: z.string().optional() }).strict() }).strict(),
]);

/**
 * Alerts' history in `alerts.jsonl` in the data dir: one line when an alert starts, one when it
 * clears, appended at once (alerts are rare; an append is what survives a crash). A line torn by a
 * crash is skipped on read. When the file holds far more than is kept, it is rewritten with the
 * kept alerts to a temp file and renamed over, as the store writes its files.
 */
export class AlertHistory {
  private alerts: Alert[] = [];
  private lines = 0;
  /** The file ends with a newline (or is not there): false after a crash tore its last line. */
  private whole = true;
  readonly file: string;

  constructor(
    dataDir: string,
    private readonly opts: { keep?: number; onError?(message: string): void } = {},
  ) {
    this.file = join(dataDir, 'alerts.jsonl');
    this.load();
  }

  private get keep(): number {
    return this.opts.keep ?? 500;
  }

  /** Oldest start first. */
  all(): readonly Alert[] {
    return this.alerts;
  }

  active(): Alert[] {
    return this.alerts.filter((a) => a.clearedAt === undefined);
  }

  raised(alert: Alert): void {
    this.alerts.push(alert);
    this.append({ raised: alert });
  }

  cleared(alert: Alert): void {
    const i = this.alerts.findIndex((a) => a.id === alert.id);
    if (i >= 0) this.alerts[i] = alert;
    this.append({ cleared: { id: alert.id, at: alert.clearedAt ?? new Date().toISOString(), ...(alert.clearMessage ? { message: alert.clearMessage } : {}) } });
    this.trim();
  }

  private load(): void {
    if (!existsSync(this.file)) return;
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      this.opts.onError?.(`could not read the alert history (${this.file}): ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    this.whole = text.length === 0 || text.endsWith('\n');
    const byId = new Map<string, Alert>();
    for (const raw of text.split('\n')) {
      if (!raw) continue;
      this.lines++;
      let parsed: ReturnType<typeof Line.safeParse>;
      try {
        parsed = Line.safeParse(JSON.parse(raw));
      } catch {
        continue; // a line cut short by a crash: the ones before it stand
      }
      if (!parsed.success) continue;
      if ('raised' in parsed.data) byId.set(parsed.data.raised.id, parsed.data.raised);
      else {
        const c = parsed.data.cleared;
        const a = byId.get(c.id);
        if (a) byId.set(c.id, { ...a, clearedAt: c.at, ...(c.message ? { clearMessage: c.message } : {}) });
      }
    }
    this.alerts = [...byId.values()];
  }

  private append(line: z.infer<typeof Line>): void {
    try {
      // A torn last line (a crash mid-append) must not swallow this one.
      appendFileSync(this.file, `${this.whole ? '' : '\n'}${JSON.stringify(line)}\n`);
      this.whole = true;
      this.lines++;
    } catch (error) {
      this.opts.onError?.(`could not record an alert in ${this.file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Past 4× what is kept: keep the active alerts and the newest others, rewritten atomically. */
  private trim(): void {
    if (this.lines <= this.keep * 4) return;
    const active = this.alerts.filter((a) => a.clearedAt === undefined);
    const done = this.alerts.filter((a) => a.clearedAt !== undefined).slice(-this.keep);
    const kept = [...active, ...done].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    const text = kept.flatMap((a) => [
      JSON.stringify({ raised: { ...a, clearedAt: undefined, clearMessage: undefined } }),
      ...(a.clearedAt ? [JSON.stringify({ cleared: { id: a.id, at: a.clearedAt, ...(a.clearMessage ? { message: a.clearMessage } : {}) } })] : []),
    ]);
    try {
      const tmp = `${this.file}.tmp`;
      writeFileSync(tmp, text.map((l) => `${l}\n`).join(''));
      renameSync(tmp, this.file);
      this.alerts = kept;
      this.lines = text.length;
    } catch (error) {
      this.opts.onError?.(`could not rewrite the alert history ${this.file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
