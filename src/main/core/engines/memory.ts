import type Docker from 'dockerode';

interface StatsSample {
  memory_stats?: { usage?: number; max_usage?: number };
}

/**
 * When the stats stream opens: each one is an engine call more, and a job's peak means most where
 * it has a memory limit to meet. With a limit, after half a second (a short job ends before a
 * sample would come); without one, after two: on a loaded machine even `true` can outlive half a
 * second (7 of 200 at load 15), and those streams were the dispatch's only calls beyond
 * `docker run`'s.
 */
export const MEMORY_SAMPLE_DELAY_MS = { limited: 500, unlimited: 2000 } as const;

export function memorySampleDelay(limits: { memory?: string | number | undefined }): number {
  return limits.memory !== undefined ? MEMORY_SAMPLE_DELAY_MS.limited : MEMORY_SAMPLE_DELAY_MS.unlimited;
}

/**
 * Peak memory from the engine's stats stream: max_usage where cgroup v1 gives it, otherwise the
 * highest usage sampled (cgroup v2 has no max). Best effort: engines that give none give undefined.
 */
export function sampleMemory(container: Pick<Docker.Container, 'stats'>, delayMs: number): { stop(): number | undefined } {
  let peak: number | undefined;
  let stream: (NodeJS.ReadableStream & { destroy?: () => void }) | undefined;
  let stopped = false;
  let buf = '';
  // Short jobs end before a sample would come: don't open a stats stream for them at all.
  const timer = setTimeout(() => {
    if (!stopped) open();
  }, delayMs);
  const open = () => container
    .stats({ stream: true })
    .then((s) => {
      stream = s as NodeJS.ReadableStream & { destroy?: () => void };
      if (stopped) return stream.destroy?.();
      stream.on('data', (chunk: Buffer) => {
        buf += chunk.toString('utf8');
        let nl: number;
        while ((nl = buf.indexOf('\n')) !== -1) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (!line) continue;
          try {
            const sample = JSON.parse(line) as StatsSample;
            const v = Math.max(sample.memory_stats?.max_usage ?? 0, sample.memory_stats?.usage ?? 0);
            if (v > 0) peak = Math.max(peak ?? 0, v);
          } catch {
            // a partial or odd line: the next sample will do
          }
        }
        if (buf.length > 1 << 20) buf = '';
      });
      stream.on('error', () => undefined);
    })
    .catch(() => undefined);
  return {
    stop() {
      clearTimeout(timer);
      stopped = true;
      stream?.destroy?.();
      return peak;
    },
  };
}
