// Helpers of e2e/log-once.spec.ts: what crosses the headless host's WebSocket for a log.
import type { Page } from '@playwright/test';

export interface LogTraffic {
  /** Lines with `marker` that came in live log.chunks events. */
  live: number;
  /** Lines with `marker` that came in logs.read replies (and the logs.tail reply a pane opens on). */
  read: number;
}

/** From now on, counts the lines containing `marker` that reach the page, by the way they came. */
export function countLogTraffic(page: Page, marker: string): LogTraffic {
  const traffic: LogTraffic = { live: 0, read: 0 };
  const count = (chunks: { data?: unknown }[]) =>
    chunks.reduce((n, c) => n + (typeof c.data === 'string' ? c.data.split(marker).length - 1 : 0), 0);
  page.on('websocket', (ws) => {
    ws.on('framereceived', ({ payload }) => {
      const m = JSON.parse(String(payload)) as {
        type?: string;
        event?: { name?: string; payload?: { chunks?: { data?: unknown }[] } };
        result?: { ok?: boolean; value?: { chunks?: { data?: unknown }[]; nextOffset?: unknown; lines?: { text?: unknown }[]; offset?: unknown } };
      };
      if (m.type === 'event' && m.event?.name === 'log.chunks') traffic.live += count(m.event.payload?.chunks ?? []);
      else if (m.type === 'result' && m.result?.ok && typeof m.result.value?.nextOffset === 'number') traffic.read += count(m.result.value.chunks ?? []);
      else if (m.type === 'result' && m.result?.ok && typeof m.result.value?.offset === 'number')
        traffic.read += count((m.result.value.lines ?? []).map((l) => ({ data: l.text })));
    });
  });
  return traffic;
}
