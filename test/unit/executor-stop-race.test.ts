import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { DockerExecutor } from '../../src/main/core/engines/executor';
import type { AttemptSink } from '../../src/main/core/engines/types';
import { spec } from '../support/fakes';

// A stop (cancel, a FailJob rule, a success policy met) can reach an attempt between its create
// and its start. Both engines answer a stop of a container that is only created with success and
// do nothing (Docker 304, Podman 204; seen on both here), so the stop must be sent again once it
// runs; and Podman may refuse the start the stop overtook, which is the stop's end, not a failure.
// (CI saw a success policy's "rest are stopped" leave one attempt failed, not cancelled.)

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(e: Error): void;
}
const deferred = (): Deferred => {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};

/** An engine of one container that runs until stopped, its start held until the test says. */
function fakeEngine() {
  const gate = deferred();
  const exited = deferred();
  const live = new PassThrough();
  const calls: string[] = [];
  let status: 'created' | 'running' | 'exited' = 'created';
  let exitCode = 0;
  const container = {
    id: 'c1',
    attach: async () => live,
    start: async () => {
      calls.push('start');
      await gate.promise;
      status = 'running';
    },
    stop: async () => {
      calls.push(`stop:${status}`);
      // As the engines do: a stop of a container that does not run succeeds and does nothing.
      if (status !== 'running') return;
      status = 'exited';
      exitCode = 143;
      live.end();
      exited.resolve();
    },
    wait: async () => {
      await exited.promise;
      return { StatusCode: exitCode };
    },
    inspect: async () => ({ State: { Status: status, Running: status === 'running', ExitCode: exitCode, OOMKilled: false, Error: '', StartedAt: '', FinishedAt: '' } }),
    stats: async () => new PassThrough(),
    remove: async () => undefined,
  };
  const docker = { createContainer: async () => container, getContainer: () => container } as unknown as Docker;
  return { docker, gate, calls, status: () => status };
}

const sink = (): AttemptSink => ({ started: () => undefined, log: () => undefined });
const request = { jobId: 'j1', attempt: 1, index: 0, spec: spec({ command: ['sleep', '30'] }), env: [], labels: {}, graceSeconds: 1 };

/** Start an attempt and ask for its stop once the engine has been asked to start it. */
async function stopDuringStart(docker: Docker, calls: string[]) {
  const executor = new DockerExecutor('docker-local', docker, { artifactsDir: () => '/nonexistent' });
  executor.kind = 'docker';
  const running = executor.start(request, sink());
  await expect.poll(() => calls.includes('start')).toBe(true);
  running.stop('Cancelled');
  return running;
}

describe('executor: a stop that overtakes the start', () => {
  it('is sent again once the container runs, so the attempt ends cancelled instead of running on', async () => {
    const e = fakeEngine();
    const running = await stopDuringStart(e.docker, e.calls);
    expect(e.calls).toContain('stop:created');
    e.gate.resolve();
    const outcome = await running.done;
    expect(e.calls).toContain('stop:running');
    expect(outcome).toMatchObject({ reason: 'Cancelled', exitCode: 143 });
  });

  it('is the end when the engine then refuses the start: cancelled, not failed', async () => {
    const e = fakeEngine();
    const running = await stopDuringStart(e.docker, e.calls);
    e.gate.reject(Object.assign(new Error('container state improper'), { statusCode: 500, json: { message: 'container state improper' } }));
    const outcome = await running.done;
    expect(outcome).toMatchObject({ reason: 'Cancelled', exitCode: null, message: expect.stringContaining('container state improper') });
  });
});
