// JOBDECK_DEBUG=1: each step of a command (finding the app, a core of our own, a run's job), on
// stderr, timed from the process's start (Node's performance clock starts with the process, so
// the first mark shows what starting Node and loading the bundle cost) and by the wall clock (to
// line a step up with the host's own times, the job's createdAt, startedAt, finishedAt), with the
// process's CPU so far (user + system: what the machine's load does not stretch).
const on = Boolean(process.env.JOBDECK_DEBUG);
export const debug = (message: string): void => {
  if (!on) return;
  const { user, system } = process.cpuUsage();
  process.stderr.write(`[jobdeck +${performance.now().toFixed(0)}ms cpu ${((user + system) / 1000).toFixed(0)}ms ${new Date().toISOString().slice(11, 23)}] ${message}\n`);
};
debug('bundle loaded');
