import type Docker from 'dockerode';

type State = Docker.ContainerInspectInfo['State'];

/** What the outcome reads of a container's end (a wait gives no times: the executor's own then). */
export type ExitState = Pick<State, 'ExitCode' | 'OOMKilled' | 'Error'> & Partial<Pick<State, 'StartedAt' | 'FinishedAt'>>;

/**
 * The state once the container has exited. Usually one inspect. If it still runs (the output
 * ended before the exit), wait for the exit. Podman then passes through "stopped" while it cleans
 * up (its root filesystem going away) before "exited": "stopped" already holds the exit code and
 * the end time, so it is the end, except where the container's files are still to be copied
 * (`untilCleanedUp`: an output dir, whose copy raced that cleanup). That step takes milliseconds
 * and has no event of its own in the compat API: it is looked at again after 5 ms, then twice as
 * long each time up to 100 ms, for about 5 s in all.
 */
export async function exitedState(container: Pick<Docker.Container, 'inspect' | 'wait'>, untilCleanedUp = true): Promise<State> {
  const done = (s: State) => s.Status === 'exited' || s.Status === 'dead' || (!untilCleanedUp && s.Status === 'stopped' && ended(s.FinishedAt));
  let state = (await container.inspect()).State;
  if (done(state)) return state;
  if (state.Running) await container.wait();
  for (let waited = 0, delay = 5; waited < 5_000 && !done(state); waited += delay, delay = Math.min(100, delay * 2)) {
    await new Promise((r) => setTimeout(r, delay));
    state = (await container.inspect()).State;
  }
  return state;
}

/** Go's zero time ("0001-01-01T00:00:00Z") is no end. */
const ended = (t: string | undefined): boolean => Boolean(t) && !t!.startsWith('0001');

/**
 * The logs endpoint as a stream, following or not: dockerode hands back a non-follow answer as
 * one Buffer, which for a long log is hundreds of MB held at once.
 */
export function logStream(container: Docker.Container, query: Record<string, unknown>): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => {
    container.modem.dial(
      {
        path: `/containers/${container.id}/logs?`,
        method: 'GET',
        isStream: true,
        statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
        options: query,
      },
      (err: unknown, data: unknown) => (err ? reject(err) : resolve(data as NodeJS.ReadableStream)),
    );
  });
}
