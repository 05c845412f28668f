// Docker 20.10 records OOMKilled on a container's exit only if containerd's OOM event reached it
// before the exit event; the two come from separate watchers in the shim, and under load the OOM
// one is often second (here: 5 of 40 memory-limit kills, `die` then `oom`). State.OOMKilled then
// stays false for good, but the engine still announces the kill: its `oom` event follows within
// moments. So an exit of 137 that the state does not call an OOM kill asks the events for one.
import type Docker from 'dockerode';

/** How long after the exit the `oom` event may still come. */
export const LATE_OOM_MS = 1000;

/**
 * Whether the engine announced an OOM kill of the container: its events from the container's
 * start (kept by the engine) and up to `waitMs` from now. Any trouble reading them: no.
 */
export async function oomKillAnnounced(docker: Pick<Docker, 'getEvents'>, containerId: string, startedAt: string | undefined, waitMs = LATE_OOM_MS): Promise<boolean> {
  const started = startedAt ? Date.parse(startedAt) : NaN;
  const since = Math.floor((Number.isNaN(started) ? Date.now() - 60_000 : started) / 1000) - 1;
  const until = ((Date.now() + waitMs) / 1000).toFixed(3);
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.getEvents({ since, until, filters: { container: [containerId], event: ['oom'] } } as Parameters<Docker['getEvents']>[0] & object);
  } catch {
    return false;
  }
  return new Promise<boolean>((resolve) => {
    let text = '';
    let settled = false;
    const done = (seen: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(seen);
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
    };
    // The engine ends the stream at `until`; one that does not is not waited on much longer.
    const timer = setTimeout(() => done(false), waitMs + 2000);
    stream.on('data', (chunk: Buffer | string) => {
      text += chunk.toString();
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n')) {
        const line = text.slice(0, nl).trim();
        text = text.slice(nl + 1);
        if (isOom(line)) return done(true);
      }
    });
    stream.on('end', () => done(isOom(text.trim())));
    stream.on('error', () => done(false));
    stream.on('close', () => done(false));
  });
}

/** One event of the stream (the query's filters name the container already). */
function isOom(line: string): boolean {
  if (!line) return false;
  try {
    const e = JSON.parse(line) as { Action?: string; status?: string };
    return (e.Action ?? e.status) === 'oom';
  } catch {
    return false;
  }
}
