// The health monitor on a fake clock: durations run out on time, each start and clear reaches the
// sink once, and the history in the data dir is what a restart reads back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertRule, type Alert } from '../../src/shared/alerts';
import { AlertHistory } from '../../src/main/core/health/history';
import { HealthMonitor, type HealthPorts } from '../../src/main/core/health/monitor';
import { FakeClock } from '../support/fakes';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(rules: unknown[], over: Partial<HealthPorts> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'jobdeck-health-'));
  dirs.push(dataDir);
  const clock = new FakeClock();
  const engine = { id: 'docker', status: 'available' as 'available' | 'unavailable', error: 'connect ECONNREFUSED' };
  const sent: string[] = [];
  const announced: string[][] = [];
  const errors: string[] = [];
  let free = 10 * 1024 ** 3;
  const ports = (history: AlertHistory): HealthPorts => ({
    clock,
    rules: () => rules.map((r) => AlertRule.parse(r)),
    pending: () => 0,
    engines: () => [engine],
    templateName: () => undefined,
    diskFree: async () => free,
    finishedSince: () => [],
    history,
    sink: { raised: (a: Alert) => void sent.push(`raised ${a.title} → ${a.channels.join(',')}`), cleared: (a: Alert) => void sent.push(`cleared ${a.title}`) },
    changed: (active) => void announced.push(active.map((a) => a.title)),
    onError: (m) => void errors.push(m),
    intervalMs: 5000,
    ...over,
  });
  const open = () => {
    const m = new HealthMonitor(ports(new AlertHistory(dataDir)));
    m.start();
    return m;
  };
  return { dataDir, clock, engine, sent, announced, errors, open, setFree: (b: number) => (free = b) };
}

describe('HealthMonitor', () => {
  it('an engine down for longer than the rule says starts one alert when the duration runs out, between ticks', () => {
    const t = setup([{ id: 'eng', kind: 'engineDown', forSeconds: 12, channels: ['pager'] }]);
    const m = t.open();
    t.engine.status = 'unavailable';
    m.look();
    t.clock.advance(11_999);
    expect(t.sent).toEqual([]);
    t.clock.advance(1);
    expect(t.sent).toEqual(['raised Engine docker unavailable → pager']);
    // Every probe after that finds it still down: nothing more.
    for (let i = 0; i < 10; i++) {
      t.clock.advance(5000);
      m.look();
    }
    expect(t.sent).toHaveLength(1);
    t.engine.status = 'available';
    m.look();
    m.look();
    expect(t.sent).toEqual(['raised Engine docker unavailable → pager', 'cleared Engine docker unavailable']);
    expect(t.announced).toEqual([['Engine docker unavailable'], []]);
    m.close();
  });

  it('reads the free space on its ticks, and reports a statfs that fails instead of alerting on nothing', async () => {
    const t = setup([{ id: 'disk', kind: 'diskFree', belowMiB: 1024 }]);
    const m = t.open();
    await Promise.resolve();
    expect(t.sent).toEqual([]);
    t.setFree(512 * 1024 ** 2);
    t.clock.advance(5000);
    await new Promise((r) => setImmediate(r));
    expect(t.sent).toEqual(['raised Low disk space for the data directory → ']);
    m.close();
    const broken = setup([{ id: 'disk', kind: 'diskFree', belowMiB: 1024 }], { diskFree: async () => Promise.reject(new Error('ENOSYS')) });
    const b = broken.open();
    await new Promise((r) => setImmediate(r));
    expect(broken.errors).toEqual(["could not read the data directory's free space: ENOSYS"]);
    expect(broken.sent).toEqual([]);
    b.close();
  });

  it('a sink that throws does not stop the alert from being recorded and announced', () => {
    const t = setup([{ id: 'q', kind: 'backlog', above: 0 }], { pending: () => 3, sink: { raised: () => { throw new Error('outbox full'); }, cleared: () => undefined } });
    const m = t.open();
    expect(t.announced).toEqual([['Queue backlog above 0']]);
    expect(t.errors).toEqual(['an alert could not be handed on: outbox full']);
    expect(m.list().active).toHaveLength(1);
    m.close();
  });

  it('keeps the history bounded, active alerts always kept', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jobdeck-health-'));
    dirs.push(dataDir);
    const h = new AlertHistory(dataDir, { keep: 3 });
    const alert = (n: number): Alert => ({ id: `a${n}`, key: 'k', ruleId: 'r', kind: 'backlog', title: `t${n}`, message: 'm', startedAt: new Date(n * 1000).toISOString(), channels: [] });
    h.raised(alert(0));
    for (let n = 1; n <= 20; n++) {
      h.raised(alert(n));
      h.cleared({ ...alert(n), clearedAt: new Date(n * 1000 + 500).toISOString() });
    }
    const back = new AlertHistory(dataDir, { keep: 3 });
    expect(back.active().map((a) => a.id)).toEqual(['a0']);
    expect(back.all().length).toBeLessThanOrEqual(1 + 3 * 4);
    expect(back.all().at(-1)).toMatchObject({ id: 'a20', clearedAt: new Date(20_500).toISOString() });
  });
});
