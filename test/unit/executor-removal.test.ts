import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { DockerExecutor } from '../../src/main/core/engines/executor';
import type { AttemptOutcome, AttemptSink } from '../../src/main/core/engines/types';
import { spec } from '../support/fakes';

// Issue 12: as `docker run --rm` returns at the exit, the attempt's outcome comes once its exit is
// stored (sink.exited), not once the engine has removed the container; `settled` says when it has.

/** An engine of one container that exits 0 as it starts; its removal held until the test says. */
function fakeEngine() {
  const order: string[] = [];
  let removed!: () => void;
  const removal = new Promise<void>((r) => (removed = r));
  const live = new PassThrough();
  const exited = new Promise<void>((r) => live.once('end', () => r()));
  const container = {
    id: 'c1',
    attach: async () => live,
    start: async () => {
      order.push('start');
      setImmediate(() => live.end());
    },
    wait: async () => {
      await exited;
      return { StatusCode: 0 };
    },
    inspect: async () => ({ State: { Status: 'exited', Running: false, ExitCode: 0, OOMKilled: false, Error: '', StartedAt: '', FinishedAt: '' } }),
    stats: async () => new PassThrough(),
    stop: async () => undefined,
    remove: async () => {
      order.push('remove asked');
      await removal;
      order.push('removed');
    },
  };
  const docker = { createContainer: async () => container, getContainer: () => container } as unknown as Docker;
  return { docker, order, removed };
}

const request = (keepContainer = false) => ({ jobId: 'j1', attempt: 1, index: 0, spec: spec({ command: 'true', keepContainer }), env: [], labels: {}, graceSeconds: 1 });

describe('executor: the outcome before the removal', () => {
  it('gives the outcome once the exit is stored, and settles once the container is removed', async () => {
    const e = fakeEngine();
    const sink: AttemptSink = {
      started: () => undefined,
      log: () => undefined,
      exited: async () => void e.order.push('exit stored'),
    };
    const executor = new DockerExecutor('docker-local', e.docker, { artifactsDir: () => '/nonexistent' });
    executor.kind = 'docker';
    const running = executor.start(request(), sink);
    let settled = false;
    void running.settled!.then(() => (settled = true));
    const outcome: AttemptOutcome = await running.done;
    e.order.push('outcome');
    expect(outcome).toMatchObject({ exitCode: 0, reason: 'Completed', containerId: 'c1' });
    // The removal may have been asked for by now; it has not finished.
    expect(e.order.filter((x) => x !== 'remove asked')).toEqual(['start', 'exit stored', 'outcome']);
    await expect.poll(() => e.order.includes('remove asked')).toBe(true);
    expect(settled, 'not settled while the removal runs').toBe(false);
    e.removed();
    await running.settled;
    expect(e.order.at(-1)).toBe('removed');
  });

  it('keepContainer: nothing removed, settled at once after the outcome', async () => {
    const e = fakeEngine();
    const executor = new DockerExecutor('docker-local', e.docker, { artifactsDir: () => '/nonexistent' });
    executor.kind = 'docker';
    const running = executor.start(request(true), { started: () => undefined, log: () => undefined });
    await running.done;
    await running.settled;
    expect(e.order).not.toContain('remove asked');
  });
});
