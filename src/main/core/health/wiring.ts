import { statfs } from 'node:fs/promises';
import type { Job } from '../../../shared/job';
import type { Clock } from '../clock';
import type { EngineRegistry } from '../engines/registry';
import type { EventHub } from '../events';
import type { JobStore } from '../store/jobStore';
import { AlertHistory } from './history';
import { HealthMonitor, silentSink, type AlertSink } from './monitor';

export interface HealthWiring {
  dataDir: string;
  clock: Clock;
  store: JobStore;
  engines: EngineRegistry;
  hub: EventHub;
  pending(): number;
  sink?: AlertSink | undefined;
  intervalMs?: number | undefined;
}

/**
 * The health monitor of one core: its rules from settings, its history in the data dir, its news
 * from the core's own events (jobs, queue, engines), its alerts out as alerts.changed and to the sink.
 */
export function startHealth(w: HealthWiring): HealthMonitor {
  const { hub, store } = w;
  const health = new HealthMonitor({
    clock: w.clock,
    rules: () => store.settings().alerts.rules,
    pending: w.pending,
    engines: () => w.engines.list(),
    templateName: (id) => store.getTemplate(id)?.name,
    diskFree: async () => {
      const s = await statfs(w.dataDir);
      return s.bavail * s.bsize;
    },
    finishedSince: (ms) => finishedSince(store, ms),
    history: new AlertHistory(w.dataDir, { onError: (message) => hub.emit('store.error', { message }) }),
    sink: w.sink ?? silentSink,
    changed: (active) => hub.emit('alerts.changed', { active }),
    onError: (message) => hub.emit('store.error', { message }),
    ...(w.intervalMs !== undefined ? { intervalMs: w.intervalMs } : {}),
  });
  health.closeWith(hub.on('core:health', (event) => health.onEvent(event)));
  return health;
}

/** The jobs that ended since `ms`, a page at a time. */
function* finishedSince(store: JobStore, ms: number): Generator<Job> {
  const finishedFrom = new Date(ms).toISOString();
  for (let offset = 0; ; offset += 1000) {
    const page = store.listJobs({ status: ['completed', 'failed'], finishedFrom, sort: 'finishedAt', order: 'asc', offset, limit: 1000 });
    yield* page.items;
    if (offset + page.items.length >= page.total || !page.items.length) return;
  }
}
