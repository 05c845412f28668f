import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { exitedState } from '../../src/main/core/engines/containerState';
import { isMissingImage } from '../../src/main/core/engines/images';

// Dispatch (issue 9): calls per job the bare loop does not make. Podman's "stopped" already
// holds the exit code and end time; only a copy of the container's files must wait for "exited".
type State = Docker.ContainerInspectInfo['State'];
function podmanStopped() {
  const calls = { inspect: 0, wait: 0 };
  const states: State[] = [
    { Status: 'stopped', Running: false, ExitCode: 3, FinishedAt: '2026-12-01T17:01:28.427540898Z' } as unknown as State,
    { Status: 'exited', Running: false, ExitCode: 3, FinishedAt: '2026-12-01T17:01:28.427540898Z' } as unknown as State,
  ];
  const container = {
    inspect: async () => ({ State: states[Math.min(calls.inspect++, 1)]! }) as Docker.ContainerInspectInfo,
    wait: async () => {
      calls.wait++;
      return { StatusCode: 3 };
    },
  } as unknown as Pick<Docker.Container, 'inspect' | 'wait'>;
  return { container, calls };
}

describe('executor: calls per job', () => {
  it("takes Podman's 'stopped' with its exit code as the end: one inspect", async () => {
    const { container, calls } = podmanStopped();
    await expect(exitedState(container, false)).resolves.toMatchObject({ Status: 'stopped', ExitCode: 3 });
    expect(calls).toEqual({ inspect: 1, wait: 0 });
  });

  it("waits for 'exited' when files are to be copied out", async () => {
    const { container, calls } = podmanStopped();
    await expect(exitedState(container, true)).resolves.toMatchObject({ Status: 'exited', ExitCode: 3 });
    expect(calls.inspect).toBe(2);
  });

  it("'stopped' without an end time is not the end", async () => {
    const calls = { inspect: 0 };
    const states = [
      { Status: 'stopped', Running: false, ExitCode: 0, FinishedAt: '0001-01-01T00:00:00Z' },
      { Status: 'exited', Running: false, ExitCode: 0, FinishedAt: '2026-12-01T17:01:28Z' },
    ];
    const container = { inspect: async () => ({ State: states[Math.min(calls.inspect++, 1)] }), wait: async () => ({}) } as unknown as Pick<Docker.Container, 'inspect' | 'wait'>;
    await expect(exitedState(container, false)).resolves.toMatchObject({ Status: 'exited' });
    expect(calls.inspect).toBe(2);
  });

  it('knows a create refused for want of its image on both engines (the cue to pull), and nothing else', () => {
    const err = (statusCode: number, message: string) => Object.assign(new Error(message), { statusCode, json: { message } });
    expect(isMissingImage(err(404, 'No such image: jobdeck-absent:1'))).toBe(true);
    expect(isMissingImage(err(404, 'no such image: docker.io/library/jobdeck-absent:1: image not known'))).toBe(true);
    expect(isMissingImage(err(404, 'network nonexistnet not found'))).toBe(false);
    expect(isMissingImage(err(500, 'No such image: x'))).toBe(false);
  });
});
