import type { Handlers } from '../../../shared/ipc';
import type { HealthMonitor } from '../health/monitor';
import type { CoreMetrics } from '../metrics/metrics';

/** Health alerts and metrics, as the contract exposes them. */
export function healthHandlers(health: HealthMonitor, metrics: CoreMetrics): Pick<Handlers, 'alerts.list' | 'metrics.text'> {
  return {
    async 'alerts.list'() {
      return health.list();
    },
    async 'metrics.text'() {
      return { contentType: metrics.contentType, text: await metrics.text() };
    },
  };
}
