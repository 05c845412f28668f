import { describe, expect, it } from 'vitest';
import { pullText, waitsForImage } from '../../src/renderer/src/components/pullText';
import type { ImageProgress } from '../../src/shared/ipc';
import { events } from '../../src/shared/ipc';
import { harness } from '../support/fakes';

describe('image pulls: from the executor to the job page', () => {
  it('each step reaches the event as one payload with the job, engine and image; byte counts a few a second', () => {
    const got: ImageProgress[] = [];
    const h = harness({}, { onImageProgress: (p) => got.push(p) });
    const j = h.add({ image: 'busybox:latest' });
    const pull = h.liveRuns(j.id)[0]!.sink.pullProgress!;
    pull({ status: 'Pulling fs layer' });
    pull({ status: 'Downloading', current: 10, total: 100 });
    pull({ status: 'Downloading', current: 20, total: 100 }); // same status within 250 ms: held back until then
    h.clock.advance(250);
    pull({ status: 'Downloading', current: 40, total: 100 }); // held again, then overtaken by the new status
    pull({ status: 'Download complete' });
    expect(got).toEqual([
      { id: j.id, engineId: 'docker', image: 'busybox:latest', status: 'Pulling fs layer' },
      { id: j.id, engineId: 'docker', image: 'busybox:latest', status: 'Downloading', current: 10, total: 100 },
      { id: j.id, engineId: 'docker', image: 'busybox:latest', status: 'Downloading', current: 20, total: 100 },
      { id: j.id, engineId: 'docker', image: 'busybox:latest', status: 'Download complete' },
    ]);
    for (const p of got) expect(events['image.progress'].parse(p)).toEqual(p);
  });

  it('a step held back goes out when its interval ends, unless a newer status went first', () => {
    const got: ImageProgress[] = [];
    const h = harness({}, { onImageProgress: (p) => got.push(p) });
    const j = h.add({ image: 'busybox:latest' });
    const pull = h.liveRuns(j.id)[0]!.sink.pullProgress!;
    pull({ status: 'Downloading', current: 10, total: 100, layer: 'aaaaaaaaaaaa' });
    pull({ status: 'Downloading', current: 20, total: 100, layer: 'aaaaaaaaaaaa' });
    pull({ status: 'Downloading', current: 30, total: 100, layer: 'aaaaaaaaaaaa' }); // the pull stalls here
    h.clock.advance(249);
    expect(got.map((p) => p.current)).toEqual([10]);
    h.clock.advance(1);
    expect(got.map((p) => p.current)).toEqual([10, 30]);
    h.clock.advance(1_000);
    expect(got).toHaveLength(2);
    pull({ status: 'Downloading', current: 40, total: 100, layer: 'bbbbbbbbbbbb' });
    pull({ status: 'Downloading', current: 50, total: 100, layer: 'bbbbbbbbbbbb' });
    pull({ status: 'Download complete', layer: 'bbbbbbbbbbbb' });
    h.clock.advance(1_000);
    expect(got.slice(2).map((p) => [p.status, p.current])).toEqual([
      ['Downloading', 40],
      ['Download complete', undefined],
    ]);
  });

  it('reads as a pull does, with a percentage where the engine gives sizes', () => {
    expect(pullText({ image: 'busybox', status: 'Downloading', current: 40, total: 100 })).toBe('Pulling image busybox: Downloading 40 %');
    expect(pullText({ image: 'busybox', status: 'Pulling fs layer' })).toBe('Pulling image busybox: Pulling fs layer');
    expect(pullText({ image: 'b', status: 'Extracting', current: 7, total: 0 })).toBe('Pulling image b: Extracting');
  });

  it('is shown only while the latest attempt waits for its container', () => {
    const attempt = (status: 'starting' | 'running') => ({ number: 1, index: 0, engineId: 'docker', status, createdAt: '', logBytes: 0, logTruncated: false, artifacts: [] });
    expect(waitsForImage({ status: 'running', attempts: [attempt('starting')] })).toBe(true);
    expect(waitsForImage({ status: 'running', attempts: [attempt('running')] })).toBe(false);
    expect(waitsForImage({ status: 'pending', attempts: [] })).toBe(false);
  });
});
