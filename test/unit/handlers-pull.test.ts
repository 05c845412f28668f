// jobs.pull through the real dispatcher, on the whole core with fake engines and a fake clock: a
// window opened in the middle of a pull (or after it stalled) is told how far it got.
import { expect, it } from 'vitest';
import { describeCommand, useFakeCore } from '../support/fakeCore';

const core = useFakeCore();

describeCommand('jobs.pull', () => {
  it('gives the pull as its events told it, the bytes a stalled pull got included', async () => {
    const h = core();
    const job = await h.call('jobs.create', { spec: { name: 'jp-pull', image: 'registry.test/app:1', command: 'true' } });
    expect(await h.call('jobs.pull', { id: job.id })).toBeNull();
    await h.until('an attempt to start', () => h.engines.runs(job.id).length > 0);
    const pull = h.engines.runs(job.id)[0]!.sink.pullProgress!;
    pull({ status: 'Pulling fs layer', layer: '0123456789ab' });
    pull({ status: 'Downloading', current: 100, total: 1000, layer: '0123456789ab' });
    pull({ status: 'Downloading', current: 400, total: 1000, layer: '0123456789ab' }); // then nothing: the registry stalls
    expect(await h.call('jobs.pull', { id: job.id })).toEqual({
      image: 'registry.test/app:1',
      status: 'Downloading',
      layers: { '0123456789ab': { status: 'Downloading', current: 100, total: 1000, done: false } },
    });
    h.clock.advance(250);
    expect((await h.call('jobs.pull', { id: job.id }))?.layers['0123456789ab']).toEqual({ status: 'Downloading', current: 400, total: 1000, done: false });
  });

  it('refuses a job that does not exist', async () => {
    const h = core();
    expect(await h.fail('jobs.pull', { id: 'ghost' })).toMatchObject({ code: 'NOT_FOUND' });
  });
});
