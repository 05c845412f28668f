import type { Alert } from '../../../shared/alerts';
import type { AlertSink } from '../health/monitor';
import type { Notifier } from './notifier';

/** Health alerts to their rules' channels: once when one starts, once when it clears. */
export function alertNotices(notifier: Pick<Notifier, 'notifyAlert'>): AlertSink {
  return {
    raised: (a: Alert) => notifier.notifyAlert({ id: a.id, title: a.title, state: 'firing', detail: a.message, at: a.startedAt }, a.channels),
    cleared: (a: Alert) =>
      notifier.notifyAlert({ id: a.id, title: a.title, state: 'resolved', detail: a.clearMessage ?? a.message, at: a.clearedAt ?? a.startedAt }, a.channels),
  };
}
