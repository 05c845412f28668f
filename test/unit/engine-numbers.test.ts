// Engines' "Running" and "Checked" (item 12): kept by the core, announced when they change.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EngineInfo } from '../../src/shared/engine';
import { dockerEngine } from '../../src/main/core/engines/dockerEngine';
import { EngineRegistry, type EngineChange } from '../../src/main/core/engines/registry';
import { harness } from '../support/fakes';

function registry() {
  const seen: { info: EngineInfo; change: EngineChange }[] = [];
  const r = new EngineRegistry(
    { env: {}, socketCandidates: [{ kind: 'docker', host: 'unix:///nonexistent/jobdeck-test.sock' }] },
    (c) => dockerEngine(c, { artifactsDir: () => '/tmp' }),
    (info, change) => seen.push({ info, change }),
  );
  return { r, seen };
}

afterEach(() => vi.useRealTimers());

describe('engine registry: what the Engines card shows', () => {
  it('announces every probe, so "Checked" moves even when nothing else changed', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse('2026-01-01T00:00:00Z'));
    const { r, seen } = registry();
    await r.refresh([]);
    expect(seen.map((s) => s.change)).toEqual(['status']);
    expect(seen[0]!.info).toMatchObject({ id: 'docker', status: 'unavailable' });
    vi.setSystemTime(Date.parse('2026-01-01T00:00:05Z'));
    await r.probe(r.get('docker')!);
    expect(seen.map((s) => s.change)).toEqual(['status', 'checked']);
    expect(seen[1]!.info.checkedAt).toBe('2026-01-01T00:00:05.000Z');
    expect(r.list()[0]!.checkedAt).toBe('2026-01-01T00:00:05.000Z');
  });

  it('announces the running count when it changes, and only then', async () => {
    const { r, seen } = registry();
    await r.refresh([]);
    seen.length = 0;
    r.syncRunning(() => 1);
    r.syncRunning(() => 1);
    r.setRunning('docker', 0);
    r.setRunning('nonexistent', 3);
    expect(seen.map((s) => [s.change, s.info.running])).toEqual([
      ['running', 1],
      ['running', 0],
    ]);
  });
});

describe('scheduler: running attempts per engine, reported as they change', () => {
  it('reports when an attempt starts and ends, with the per-engine count the registry takes', async () => {
    const counts: [number, number][] = [];
    const h = harness({ concurrency: 2 }, { onLiveChange: () => counts.push([h.scheduler.runningAttempts('docker'), h.scheduler.runningAttempts('podman')]) });
    const a = h.add({ engine: 'docker' });
    const b = h.add({ engine: 'podman' });
    expect(counts).toEqual([
      [1, 0],
      [1, 1],
    ]);
    await h.finish(a.id, { reason: 'Completed' });
    await h.finish(b.id, { reason: 'Error', exitCode: 1 });
    expect(counts.slice(2)).toEqual([
      [0, 1],
      [0, 0],
    ]);
  });
});
