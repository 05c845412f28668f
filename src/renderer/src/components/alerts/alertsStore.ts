import { create } from 'zustand';
import type { Alert } from '../../../../shared/alerts';
import { client } from '../../client/client';
import { reportError } from '../../store/app';

interface AlertsState {
  /** Active now, oldest first (alerts.changed). */
  active: Alert[];
  /** The kept history, newest first, once the list has been shown. */
  history: Alert[] | undefined;
  /** The banner's link asked for the list: the Alerts panel scrolls to itself once it is shown. */
  reveal: boolean;
  load(): Promise<void>;
}

export const useAlerts = create<AlertsState>((set) => ({
  active: [],
  history: undefined,
  reveal: false,
  async load() {
    const list = await client.invoke('alerts.list', {});
    set({ active: list.active, history: list.history });
  },
}));

let started = false;

/** Listen once for the core's alert changes, and read the list at every (re)connect. */
export function startAlerts(): void {
  if (started) return;
  started = true;
  client.on('alerts.changed', ({ active }) => {
    useAlerts.setState({ active });
    // The list is open somewhere: its history gains the start or the clear too.
    if (useAlerts.getState().history) void useAlerts.getState().load().catch(reportError);
  });
  const load = () => void useAlerts.getState().load().catch(reportError);
  client.connection.subscribe((state) => state === 'connected' && load());
  if (client.connection.state === 'connected') load();
}
