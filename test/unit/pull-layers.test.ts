// Image pulls on recorded `docker pull` progress events (the Engine API's JSON stream): each
// layer's id reaches the event, layers are throttled apart, the page folds them into one bar,
// and a failed pull says what the registry said and what to try.
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { ensureImage } from '../../src/main/core/engines/images';
import { pullStateText, pullSummary } from '../../src/renderer/src/components/pullText';
import { foldPull, pullFinished, type PullState } from '../../src/shared/pull';
import type { ImageProgress } from '../../src/shared/ipc';
import { formatBytes } from '../../src/shared/quantity';
import { harness } from '../support/fakes';

interface PullEvent {
  id?: string;
  status?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string };
}

/** Recorded from `docker pull` of a two-layer image (ids shortened to 12 as Docker sends them). */
const RECORDED: PullEvent[] = [
  { status: 'Pulling from library/python', id: '3.12-alpine' },
  { status: 'Pulling fs layer', progressDetail: {}, id: '4abcf2066143' },
  { status: 'Pulling fs layer', progressDetail: {}, id: 'c6d0f4e1c1f4' },
  { status: 'Downloading', progressDetail: { current: 40_000, total: 3_408_729 }, id: '4abcf2066143' },
  { status: 'Downloading', progressDetail: { current: 100_000, total: 12_000_000 }, id: 'c6d0f4e1c1f4' },
  { status: 'Downloading', progressDetail: { current: 3_408_729, total: 3_408_729 }, id: '4abcf2066143' },
  { status: 'Verifying Checksum', progressDetail: {}, id: '4abcf2066143' },
  { status: 'Download complete', progressDetail: {}, id: '4abcf2066143' },
  { status: 'Extracting', progressDetail: { current: 65_536, total: 3_408_729 }, id: '4abcf2066143' },
  { status: 'Downloading', progressDetail: { current: 6_000_000, total: 12_000_000 }, id: 'c6d0f4e1c1f4' },
  { status: 'Pull complete', progressDetail: {}, id: '4abcf2066143' },
];
const FINISHED: PullEvent[] = [
  { status: 'Download complete', progressDetail: {}, id: 'c6d0f4e1c1f4' },
  { status: 'Pull complete', progressDetail: {}, id: 'c6d0f4e1c1f4' },
  { status: 'Digest: sha256:' + 'e'.repeat(64) },
  { status: 'Status: Downloaded newer image for python:3.12-alpine' },
];

/** An engine that has no image until the pull plays the recorded stream. */
function recordingEngine(events: PullEvent[]): Docker {
  let pulled = false;
  const notFound = Object.assign(new Error('No such image'), { statusCode: 404 });
  return {
    getImage: () => ({ inspect: async () => (pulled ? {} : Promise.reject(notFound)) }),
    pull: async () => ({}),
    modem: {
      followProgress(_s: unknown, done: (err: Error | null, out: PullEvent[]) => void, each: (e: PullEvent) => void) {
        for (const e of events) each(e);
        pulled = !events.some((e) => e.error);
        done(null, events);
      },
    },
  } as unknown as Docker;
}

const fold = (events: Pick<ImageProgress, 'status' | 'current' | 'total' | 'layer'>[], image = 'python:3.12-alpine'): PullState =>
  events.reduce<PullState | undefined>((s, e) => foldPull(s, { image, ...e }), undefined)!;

describe('a pull on recorded progress events', () => {
  it('passes each layer id from the engine to the sink, as the job page needs it', async () => {
    const seen: { status: string; current?: number; total?: number; layer?: string }[] = [];
    await ensureImage(recordingEngine([...RECORDED, ...FINISHED]), 'python:3.12-alpine', 'IfNotPresent', (status, current, total, layer) =>
      seen.push({ status, ...(current !== undefined ? { current } : {}), ...(total !== undefined ? { total } : {}), ...(layer ? { layer } : {}) }),
    );
    expect(seen).toHaveLength(RECORDED.length + FINISHED.length);
    expect(seen[3]).toEqual({ status: 'Downloading', current: 40_000, total: 3_408_729, layer: '4abcf2066143' });
    expect(seen.at(-1)).toEqual({ status: 'Status: Downloaded newer image for python:3.12-alpine' });
  });

  it('throttles byte counts per layer: two layers downloading at once both move', () => {
    const got: ImageProgress[] = [];
    const h = harness({}, { onImageProgress: (p) => got.push(p) });
    const j = h.add({ image: 'python:3.12-alpine' });
    const pull = h.liveRuns(j.id)[0]!.sink.pullProgress!;
    pull({ status: 'Downloading', current: 1, total: 10, layer: 'aaaaaaaaaaaa' });
    pull({ status: 'Downloading', current: 1, total: 20, layer: 'bbbbbbbbbbbb' });
    pull({ status: 'Downloading', current: 2, total: 10, layer: 'aaaaaaaaaaaa' }); // within 250 ms of its own: dropped
    expect(got.map((p) => [p.layer, p.current])).toEqual([
      ['aaaaaaaaaaaa', 1],
      ['bbbbbbbbbbbb', 1],
    ]);
  });

  it('folds into layers done, bytes over every layer and one percentage', () => {
    const events = RECORDED.map((e) => ({ status: e.status!, ...(e.progressDetail?.current !== undefined ? { current: e.progressDetail.current, total: e.progressDetail.total } : {}), ...(e.id ? { layer: e.id } : {}) }));
    const s = fold(events);
    // The tag's "Pulling from" line is not a layer.
    expect(Object.keys(s.layers)).toEqual(['4abcf2066143', 'c6d0f4e1c1f4']);
    // Extracting counts no bytes again: the first layer is whole, the second half there.
    expect(pullSummary(s)).toEqual({ layers: 2, layersDone: 1, current: 3_408_729 + 6_000_000, total: 3_408_729 + 12_000_000, percent: 61 });
    expect(pullStateText(s, formatBytes)).toBe('Pulling image python:3.12-alpine: 1 of 2 layers · 9.0 MiB of 15 MiB (61 %)');
    expect(pullFinished(s)).toBe(false);
    const done = fold([...events, ...FINISHED.map((e) => ({ status: e.status!, ...(e.id ? { layer: e.id } : {}) }))]);
    expect(pullSummary(done)).toMatchObject({ layersDone: 2, percent: 100 });
    expect(pullFinished(done)).toBe(true);
  });

  it('before any layer is known, says what the engine says', () => {
    expect(pullStateText(fold([{ status: 'Pulling from library/busybox', layer: '1.36' }], 'busybox:1.36'), formatBytes)).toBe('Pulling image busybox:1.36: Pulling from library/busybox');
  });

  it('a failure in the stream says what the registry said and what to try', async () => {
    const failing = recordingEngine([
      { status: 'Pulling from acme/tool', id: 'latest' },
      { error: 'pull access denied for acme/tool, repository does not exist or may require docker login', errorDetail: { message: 'pull access denied for acme/tool, repository does not exist or may require docker login' } },
    ]);
    await expect(ensureImage(failing, 'acme/tool', 'IfNotPresent', () => undefined)).rejects.toThrow(
      'could not pull acme/tool: pull access denied for acme/tool, repository does not exist or may require docker login. ' +
        'Check the name and your network; to run an image already on this machine, use a tag this engine has (see Run an image), ' +
        'or, for an image built or imported here, set the pull policy to Never.',
    );
  });
});
