import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MEMORY_SAMPLE_DELAY_MS, memorySampleDelay, sampleMemory } from '../../src/main/core/engines/memory';

// Peak memory (issue 9, dispatch): the stats stream is an engine call beyond `docker run`'s, so a
// job that ends before its delay never opens one; with a memory limit it opens sooner.
afterEach(() => {
  vi.useRealTimers();
});

function fakeContainer() {
  const streams: PassThrough[] = [];
  const container = {
    stats: vi.fn(async () => {
      const s = new PassThrough();
      streams.push(s);
      return s as unknown as NodeJS.ReadableStream;
    }),
  } as unknown as Pick<Docker.Container, 'stats'> & { stats: ReturnType<typeof vi.fn> };
  return { container, streams };
}

describe('executor: peak memory', () => {
  it('opens no stats stream for a job without a memory limit that ends within two seconds', async () => {
    vi.useFakeTimers();
    const { container } = fakeContainer();
    const m = sampleMemory(container, memorySampleDelay({}));
    await vi.advanceTimersByTimeAsync(1_999);
    expect(m.stop()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(container.stats).not.toHaveBeenCalled();
  });

  it('samples a job with a memory limit after half a second, and keeps the highest usage', async () => {
    vi.useFakeTimers();
    const { container, streams } = fakeContainer();
    const m = sampleMemory(container, memorySampleDelay({ memory: '64Mi' }));
    await vi.advanceTimersByTimeAsync(MEMORY_SAMPLE_DELAY_MS.limited);
    expect(container.stats).toHaveBeenCalledTimes(1);
    // Samples split across chunks, as a stream hands them over.
    streams[0]!.write('{"memory_stats":{"usage":1000}}\n{"memory_st');
    streams[0]!.write('ats":{"usage":5000}}\n{"memory_stats":{"usage":3000}}\n');
    await vi.advanceTimersByTimeAsync(0);
    expect(m.stop()).toBe(5000);
    expect(streams[0]!.destroyed).toBe(true);
  });

  it('samples a long job without a limit too, once two seconds have passed', async () => {
    vi.useFakeTimers();
    const { container, streams } = fakeContainer();
    const m = sampleMemory(container, memorySampleDelay({}));
    await vi.advanceTimersByTimeAsync(MEMORY_SAMPLE_DELAY_MS.unlimited);
    expect(container.stats).toHaveBeenCalledTimes(1);
    streams[0]!.write('{"memory_stats":{"usage":7,"max_usage":9}}\n');
    await vi.advanceTimersByTimeAsync(0);
    expect(m.stop()).toBe(9);
  });
});
