// The lead's wiring between the health monitor, the notifier and the metrics: an alert's start
// and clear go to its rule's channels, and each delivery try is counted once by how it went.
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/shared/alerts';
import type { Delivery } from '../../src/shared/notify';
import { CoreMetrics } from '../../src/main/core/metrics/metrics';
import { alertNotices } from '../../src/main/core/notify/alertNotices';
import type { AlertNotice } from '../../src/main/core/notify/notifier';

const alert: Alert = {
  id: 'a1',
  key: 'backlog',
  ruleId: 'r1',
  kind: 'backlog',
  title: 'Queue backlog above 1',
  message: '2 jobs pending',
  startedAt: '2026-12-01T10:00:00.000Z',
  channels: ['hook-1', 'mail-1'],
};

describe('alerts to the notifier', () => {
  it('sends the start and the clear, each with its own time, to the rule’s channels', () => {
    const sent: [AlertNotice, readonly string[]][] = [];
    const sink = alertNotices({ notifyAlert: (a, c) => void sent.push([a, c]) });
    sink.raised(alert);
    sink.cleared({ ...alert, clearMessage: '0 jobs pending', clearedAt: '2026-12-01T10:05:00.000Z' });
    expect(sent).toEqual([
      [{ id: 'a1', title: 'Queue backlog above 1', state: 'firing', detail: '2 jobs pending', at: '2026-12-01T10:00:00.000Z' }, ['hook-1', 'mail-1']],
      [{ id: 'a1', title: 'Queue backlog above 1', state: 'resolved', detail: '0 jobs pending', at: '2026-12-01T10:05:00.000Z' }, ['hook-1', 'mail-1']],
    ]);
  });
});

describe('deliveries in the metrics', () => {
  it('counts each try once: a 500 (retrying), then a 200 (delivered); a give-up as failed', async () => {
    const m = new CoreMetrics({ running: () => 0, pending: () => 0, engines: () => [] });
    const base = { key: 'k1', channelId: 'hook-1', channelName: 'hook', channelKind: 'webhook', ruleId: 'r', event: 'failure', createdAt: '2026-12-01T10:00:00.000Z' } as const;
    const d = (state: Delivery['state'], oks: boolean[]) =>
      ({ ...base, state, attempts: oks.map((ok, i) => ({ at: base.createdAt, attempt: i + 1, ok })), payload: {} }) as unknown as Delivery;
    m.noteDelivery(d('pending', []));
    m.noteDelivery(d('pending', [false]));
    m.noteDelivery(d('pending', [false])); // announced again: not a new try
    m.noteDelivery(d('delivered', [false, true]));
    m.noteDelivery({ ...d('failed', [false]), key: 'k2' });
    const text = await m.text();
    expect(text).toContain('jobdeck_notification_deliveries_total{channel="hook-1",outcome="retrying"} 1');
    expect(text).toContain('jobdeck_notification_deliveries_total{channel="hook-1",outcome="delivered"} 1');
    expect(text).toContain('jobdeck_notification_deliveries_total{channel="hook-1",outcome="failed"} 1');
  });
});
