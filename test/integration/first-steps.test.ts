// The first-run commands on both real engines: images.list shows the local test image with its
// size, a run of it is a job like any other, and a pull that cannot succeed says what the registry
// said and what to try.
import { describe, expect, it } from 'vitest';
import { useEngineCore } from '../support/core';
import { clientFor, engineTargets, TEST_IMAGE } from '../support/engines';

const targets = await engineTargets();

describe.each(targets)('on $kind', (target) => {
  const t = useEngineCore(target);

  describe.skipIf(Boolean(target.missing))(`${target.kind} engine`, () => {
    it('images.list shows the local test image, its tag as docker images shows it, and its size', async () => {
      const images = (await t.call('images.list', {})).filter((i) => i.engineId === target.kind);
      const mine = images.find((i) => i.tags.includes(TEST_IMAGE));
      expect(mine, JSON.stringify(images)).toBeDefined();
      const inspected = await clientFor(target.host).getImage(TEST_IMAGE).inspect();
      expect(mine!.size).toBe(inspected.Size);
      expect(mine!.id).toBe(inspected.Id);
    });

    it('an image run now, with a command: a job that completes with its output', async () => {
      const job = await t.call('jobs.create', {
        spec: { name: `run-image-${target.kind}`, image: TEST_IMAGE, network: 'none', engine: target.kind, command: ['echo', 'first job'] },
      });
      const done = await t.waitFor(job.id);
      expect(done).toMatchObject({ status: 'completed', exitCode: 0 });
      const log = await t.call('logs.read', { id: job.id });
      expect(log.chunks.map((c) => c.data).join('')).toContain('first job');
    });

    it('a pull that fails says what the registry said and what to try', async () => {
      const image = 'jobdeck-no-such-image-first-steps:1';
      const job = await t.call('jobs.create', {
        spec: { name: `pull-fail-${target.kind}`, image, network: 'none', engine: target.kind, command: 'true' },
      });
      const done = await t.waitFor(job.id);
      expect(done.status).toBe('failed');
      expect(done.reason).toBe('ImagePullFailed');
      const message = done.attempts.at(-1)?.message ?? done.message ?? '';
      expect(message).toMatch(new RegExp(`^could not pull ${image}: .+`));
      expect(message).toContain('pull policy to Never');
      expect(message).toContain('use a tag this engine has');
    });
  });
});
