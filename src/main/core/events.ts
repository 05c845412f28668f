import type { AppEvent, EventName, EventPayload, LiveLogChunk } from '../../shared/ipc';

type Listener = (event: AppEvent) => void;

/**
 * Fans events out to clients (windows, sockets). Log chunks go only to the clients that
 * subscribed to that job, so a flood of output costs nothing where nobody looks.
 */
export class EventHub {
  private listeners = new Map<string, Set<Listener>>();
  private logSubs = new Map<string, Set<string>>();

  on(clientId: string, listener: Listener): () => void {
    let set = this.listeners.get(clientId);
    if (!set) this.listeners.set(clientId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.drop(clientId);
    };
  }

  drop(clientId: string): void {
    this.listeners.delete(clientId);
    for (const [jobId, subs] of this.logSubs) {
      subs.delete(clientId);
      if (subs.size === 0) this.logSubs.delete(jobId);
    }
  }

  subscribeLogs(clientId: string, jobId: string): void {
    let subs = this.logSubs.get(jobId);
    if (!subs) this.logSubs.set(jobId, (subs = new Set()));
    subs.add(clientId);
  }

  unsubscribeLogs(clientId: string, jobId: string): void {
    this.logSubs.get(jobId)?.delete(clientId);
    if (this.logSubs.get(jobId)?.size === 0) this.logSubs.delete(jobId);
  }

  hasLogSubscribers(jobId: string): boolean {
    return (this.logSubs.get(jobId)?.size ?? 0) > 0;
  }

  emit<E extends Exclude<EventName, 'log.chunks'>>(name: E, payload: EventPayload<E>): void {
    const event = { name, payload } as AppEvent;
    for (const set of this.listeners.values()) for (const l of set) safe(l, event);
  }

  emitLogs(jobId: string, chunks: LiveLogChunk[]): void {
    const subs = this.logSubs.get(jobId);
    if (!subs) return;
    const event: AppEvent = { name: 'log.chunks', payload: { id: jobId, chunks } };
    for (const clientId of subs) for (const l of this.listeners.get(clientId) ?? []) safe(l, event);
  }
}

function safe(listener: Listener, event: AppEvent): void {
  try {
    listener(event);
  } catch {
    // One broken client must not stop the others from hearing.
  }
}
