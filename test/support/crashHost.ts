// The headless host as the crash tests run it: the real entry point (src/main/headless/main.ts),
// with one fault that only a test can place. JOBDECK_TEST_KILL_AFTER_START=N kills this process
// with SIGKILL the moment the engine has started the Nth container, before Jobdeck has written
// anything about that start: the window a crash test must cover. JOBDECK_TEST_HOLD_REMOVE=1
// makes every container removal hang, as if the process died right after a job's end was told.
import Docker from 'dockerode';

if (process.env.JOBDECK_TEST_HOLD_REMOVE === '1') {
  const proto = Object.getPrototypeOf(new Docker().getContainer('probe')) as { remove: () => Promise<unknown> };
  proto.remove = () => new Promise<never>(() => undefined);
}

const killAfter = Number(process.env.JOBDECK_TEST_KILL_AFTER_START ?? 0);
if (killAfter > 0) {
  type Start = (this: Docker.Container, ...args: unknown[]) => Promise<unknown>;
  const proto = Object.getPrototypeOf(new Docker().getContainer('probe')) as { start: Start };
  const start = proto.start;
  let started = 0;
  proto.start = async function (this: Docker.Container, ...args: unknown[]) {
    const result = await start.apply(this, args);
    if (++started === killAfter) process.kill(process.pid, 'SIGKILL');
    return result;
  };
}

await import('../../src/main/headless/main');
