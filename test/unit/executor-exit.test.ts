import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type Docker from 'dockerode';
import { exitedState } from '../../src/main/core/engines/executor';

// Podman's compat API passes through "stopped" (cleaning up) before "exited"; the executor waits
// for "exited", and how long it waits is a cost every Podman job pays (bench/dispatch.bench.ts).
type State = Docker.ContainerInspectInfo['State'];
const state = (Status: string, Running = false): State => ({ Status, Running, ExitCode: 0 }) as unknown as State;

function fakeContainer(states: State[]) {
  let i = 0;
  const calls = { inspect: 0, wait: 0 };
  const container = {
    inspect: async () => {
      calls.inspect++;
      return { State: states[Math.min(i++, states.length - 1)]! } as Docker.ContainerInspectInfo;
    },
    wait: async () => {
      calls.wait++;
      return { StatusCode: 0 };
    },
  } as unknown as Pick<Docker.Container, 'inspect' | 'wait'>;
  return { container, calls };
}

describe('executor: the exit as the engine reports it', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('one inspect when the container has exited already', async () => {
    const { container, calls } = fakeContainer([state('exited')]);
    await expect(exitedState(container)).resolves.toMatchObject({ Status: 'exited' });
    expect(calls).toEqual({ inspect: 1, wait: 0 });
  });

  it('Podman\'s "stopped" on the way to "exited" costs milliseconds, not a tenth of a second', async () => {
    const { container, calls } = fakeContainer([state('stopped'), state('stopped'), state('exited')]);
    let got: State | undefined;
    void exitedState(container).then((s) => (got = s));
    // 5 ms, then 10 ms: "exited" is seen 15 ms after the first look.
    await vi.advanceTimersByTimeAsync(15);
    expect(got?.Status).toBe('exited');
    expect(calls.inspect).toBe(3);
  });

  it('waits for the exit of a container still running, then for "exited"', async () => {
    const { container, calls } = fakeContainer([state('running', true), state('exited')]);
    let got: State | undefined;
    void exitedState(container).then((s) => (got = s));
    await vi.advanceTimersByTimeAsync(5);
    expect(got?.Status).toBe('exited');
    expect(calls).toEqual({ inspect: 2, wait: 1 });
  });

  it('gives up after about 5 s of "stopped", with the last state seen', async () => {
    const { container } = fakeContainer([state('stopped')]);
    let got: State | undefined;
    void exitedState(container).then((s) => (got = s));
    await vi.advanceTimersByTimeAsync(4_000);
    expect(got).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1_200);
    expect(got?.Status).toBe('stopped');
  });
});

describe('images: a container made from an image keeps it known', () => {
  it('after markPresent the next job asks the engine nothing; 10 s later without use it asks again', async () => {
    const { ensureImage, markPresent } = await import('../../src/main/core/engines/images');
    let inspects = 0;
    const docker = { getImage: () => ({ inspect: async () => void inspects++ }) } as unknown as Docker;
    const t0 = Date.now();
    vi.useFakeTimers({ now: t0, toFake: ['Date'] });
    try {
      markPresent(docker, 'img:1');
      await ensureImage(docker, 'img:1', 'IfNotPresent', () => undefined);
      expect(inspects).toBe(0);
      vi.setSystemTime(t0 + 9_000);
      markPresent(docker, 'img:1'); // another container made from it
      vi.setSystemTime(t0 + 15_000);
      await ensureImage(docker, 'img:1', 'IfNotPresent', () => undefined);
      expect(inspects).toBe(0);
      vi.setSystemTime(t0 + 30_000);
      await ensureImage(docker, 'img:1', 'IfNotPresent', () => undefined);
      expect(inspects).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
