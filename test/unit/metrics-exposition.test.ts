// /metrics text is Prometheus exposition format 0.0.4, checked line by line by a small strict
// parser (prom-client ships none), and its figures move with job changes.
import { describe, expect, it } from 'vitest';
import type { Job } from '../../src/shared/job';
import { CoreMetrics } from '../../src/main/core/metrics/metrics';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
interface Family {
  name: string;
  type: string;
  help?: string;
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Parse exposition text; throws with the line number on anything the format does not allow. */
export function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  if (!text.endsWith('\n')) throw new Error('the text must end with a newline');
  const lines = text.split('\n').slice(0, -1);
  lines.forEach((line, i) => {
    const fail = (why: string): never => {
      throw new Error(`line ${i + 1}: ${why}: ${line}`);
    };
    if (line === '') return;
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (!m) return; // a plain comment
      const [, kind, name = '', rest = ''] = m;
      if (!NAME.test(name)) fail('bad metric name');
      const f = families.get(name) ?? { name, type: 'untyped', samples: [] };
      if (kind === 'TYPE') {
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(rest)) fail('bad type');
        if (f.samples.length) fail('TYPE after samples');
        f.type = rest;
      } else {
        if (/\\[^\\n]/.test(rest.replace(/\\\\/g, ''))) fail('bad escape in HELP');
        f.help = rest;
      }
      families.set(name, f);
      return;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)( -?\d+)?$/.exec(line);
    if (!m) return fail('not a sample line');
    const [, name = '', , labelText, valueText = ''] = m;
    const labels: Record<string, string> = {};
    if (labelText) {
      const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\["\\n])*)"(,|$)/y;
      let at = 0;
      while (at < labelText.length) {
        re.lastIndex = at;
        const l = re.exec(labelText);
        if (!l) return fail('bad label set');
        if (!LABEL.test(l[1]!) || l[1]! in labels) fail('bad or repeated label name');
        labels[l[1]!] = l[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
        at = re.lastIndex;
      }
    }
    const value = valueText === '+Inf' ? Infinity : valueText === '-Inf' ? -Infinity : valueText === 'NaN' ? NaN : Number(valueText);
    if (Number.isNaN(value) && valueText !== 'NaN') fail('bad value');
    const family = [...families.values()].find((f) => name === f.name || (['histogram', 'summary'].includes(f.type) && [`${f.name}_bucket`, `${f.name}_sum`, `${f.name}_count`].includes(name)));
    if (!family) return fail('a sample before its TYPE');
    family.samples.push({ name, labels, value });
  });
  for (const f of families.values()) if (f.type === 'histogram') checkHistogram(f);
  return families;
}

function checkHistogram(f: Family): void {
  const series = new Map<string, Sample[]>();
  for (const s of f.samples) {
    const { le: _le, ...rest } = s.labels;
    const key = JSON.stringify(rest);
    series.set(key, [...(series.get(key) ?? []), s]);
  }
  for (const [key, samples] of series) {
    const buckets = samples.filter((s) => s.name === `${f.name}_bucket`);
    const count = samples.find((s) => s.name === `${f.name}_count`);
    if (!count || !samples.some((s) => s.name === `${f.name}_sum`)) throw new Error(`${f.name} ${key}: no _sum or _count`);
    const inf = buckets.find((b) => b.labels.le === '+Inf');
    if (!inf || inf.value !== count.value) throw new Error(`${f.name} ${key}: +Inf bucket must equal _count`);
    for (let i = 1; i < buckets.length; i++) {
      if (Number(buckets[i]!.labels.le === '+Inf' ? Infinity : buckets[i]!.labels.le) <= Number(buckets[i - 1]!.labels.le)) throw new Error(`${f.name}: le not increasing`);
      if (buckets[i]!.value < buckets[i - 1]!.value) throw new Error(`${f.name}: buckets not cumulative`);
    }
  }
}

const T = (s: number) => new Date(Date.parse('2026-01-01T00:00:00Z') + s * 1000).toISOString();

function job(over: Partial<Job>): Job {
  return {
    id: 'j1',
    templateName: 'nightly "db"\\backup',
    spec: {} as Job['spec'],
    status: 'pending',
    priority: 3,
    seq: 1,
    origin: 'manual',
    dependsOn: [],
    createdAt: T(0),
    failures: 0,
    succeededIndexes: [],
    attempts: [],
    ...over,
  };
}
const attempt = (over: Partial<Job['attempts'][number]>): Job['attempts'][number] => ({
  number: 1,
  index: 0,
  engineId: 'docker',
  status: 'running',
  createdAt: T(4),
  startedAt: T(5),
  logBytes: 0,
  logTruncated: false,
  artifacts: [],
  ...over,
});

describe('the metrics text', () => {
  const make = () => {
    const engines = [{ id: 'docker', kind: 'docker', status: 'available' as const }, { id: 'podman', kind: 'podman', status: 'unavailable' as const }];
    return new CoreMetrics({ running: () => 1, pending: () => 2, engines: () => engines, activeAlerts: () => [{ kind: 'backlog' }] });
  };

  it('parses as Prometheus exposition, every family with its HELP and TYPE', async () => {
    const m = make();
    const pending = job({});
    const running = job({ status: 'running', attempts: [attempt({ logBytes: 100 })] });
    m.noteJob(undefined, pending);
    m.noteJob(pending, running);
    m.noteJob(running, job({ status: 'completed', finishedAt: T(65), attempts: [attempt({ status: 'succeeded', finishedAt: T(65), logBytes: 250 })] }));
    m.notificationDelivered('ops-mail', 'delivered');
    const families = parseExposition(await m.text());
    expect([...families.keys()].sort()).toEqual([
      'jobdeck_alerts_active',
      'jobdeck_engine_up',
      'jobdeck_job_duration_seconds',
      'jobdeck_job_queue_wait_seconds',
      'jobdeck_jobs_finished_total',
      'jobdeck_jobs_pending',
      'jobdeck_jobs_running',
      'jobdeck_log_bytes_written_total',
      'jobdeck_notification_deliveries_total',
    ]);
    for (const f of families.values()) expect(f.help, f.name).toBeTruthy();
    const value = (name: string, labels: Record<string, string> = {}) =>
      [...families.values()].flatMap((f) => f.samples).find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
    // A template name with quotes and a backslash survives the escaping.
    expect(value('jobdeck_jobs_finished_total', { status: 'completed', template: 'nightly "db"\\backup' })).toBe(1);
    expect(value('jobdeck_job_queue_wait_seconds_sum')).toBe(4);
    expect(value('jobdeck_job_queue_wait_seconds_count')).toBe(1);
    expect(value('jobdeck_job_duration_seconds_sum', { status: 'completed' })).toBe(60);
    expect(value('jobdeck_job_duration_seconds_bucket', { le: '30' })).toBe(0);
    expect(value('jobdeck_job_duration_seconds_bucket', { le: '60' })).toBe(1);
    expect(value('jobdeck_log_bytes_written_total')).toBe(250);
    expect(value('jobdeck_engine_up', { engine: 'podman', kind: 'podman' })).toBe(0);
    expect(value('jobdeck_engine_up', { engine: 'docker' })).toBe(1);
    expect(value('jobdeck_jobs_running')).toBe(1);
    expect(value('jobdeck_jobs_pending')).toBe(2);
    expect(value('jobdeck_alerts_active', { kind: 'backlog' })).toBe(1);
    expect(value('jobdeck_alerts_active', { kind: 'diskFree' })).toBe(0);
    expect(value('jobdeck_notification_deliveries_total', { channel: 'ops-mail', outcome: 'delivered' })).toBe(1);
  });

  it('counts an end once however often the ended job is saved again, and a first start once', async () => {
    const m = make();
    const done = job({ status: 'failed', finishedAt: T(10), attempts: [attempt({ status: 'failed', finishedAt: T(10) })] });
    m.noteJob(job({ status: 'running', attempts: [attempt({})] }), done);
    m.noteJob(done, { ...done, pinned: true });
    const families = parseExposition(await m.text());
    const finished = families.get('jobdeck_jobs_finished_total')!.samples;
    expect(finished).toEqual([{ name: 'jobdeck_jobs_finished_total', labels: { status: 'failed', template: 'nightly "db"\\backup' }, value: 1 }]);
    // The attempt existed before these saves: its wait was counted when it began, not here.
    expect(families.get('jobdeck_job_queue_wait_seconds')!.samples.find((s) => s.name.endsWith('_count'))).toBeUndefined();
  });

  it('the parser refuses what the format does not allow', () => {
    expect(() => parseExposition('x 1')).toThrow('newline');
    expect(() => parseExposition('# TYPE x counter\nx{a="1} 1\n')).toThrow('bad label set');
    expect(() => parseExposition('y 1\n')).toThrow('before its TYPE');
    expect(() => parseExposition('# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n')).toThrow('cumulative');
  });
});
