import type Docker from 'dockerode';
import type { AnnouncedExit } from './exitEvents';

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
export async function exitedState(
  container: Pick<Docker.Container, 'inspect' | 'wait'>,
  untilCleanedUp = true,
  /** The exit as the engine announces it (Podman's events): sooner than its wait, and no call of its own. */
  announced?: () => Promise<AnnouncedExit | undefined>,
): Promise<State> {
  const done = (s: State) => s.Status === 'exited' || s.Status === 'dead' || (!untilCleanedUp && s.Status === 'stopped' && ended(s.FinishedAt));
  let state = (await container.inspect()).State;
  if (done(state)) return state;
  if (state.Running && announced && !untilCleanedUp) {
    const e = await announced();
    // 137 may be an OOM kill, which only an inspect tells.
    if (e && e.exitCode !== 137) return { ...state, Status: 'exited', Running: false, ExitCode: e.exitCode, FinishedAt: e.finishedAt };
  }
  if (state.Running) await container.wait();
  for (let waited = 0, delay = 5; waited < 5_000 && !done(state); waited += delay, delay = Math.min(100, delay * 2)) {
    await new Promise((r) => setTimeout(r, delay));
    state = (await container.inspect()).State;
  }
  return state;
}

/**
 * The exit from the wait made at the start (Docker); an exit of 137 is inspected (only that tells
 * an OOM kill). The output has ended, so the answer is due: one that does not come within the
 * grace (an engine gone away can leave the wait hanging) gives way to an inspect.
 */
export async function waitedExit(container: Pick<Docker.Container, 'inspect' | 'wait'>, exit: Promise<unknown>, graceMs: number): Promise<ExitState> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), graceMs)));
  const r = (await Promise.race([exit, late]).finally(() => clearTimeout(timer))) as { StatusCode: number; Error?: { Message?: string } | null } | undefined;
  if (!r || r.StatusCode === 137) return exitedState(container, false);
  return { ExitCode: r.StatusCode, OOMKilled: false, Error: r.Error?.Message ?? '' };
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
