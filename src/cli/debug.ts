// JOBDECK_DEBUG=1: each step of finding the app and of a core of our own, timed, on stderr.
const on = Boolean(process.env.JOBDECK_DEBUG);
const t0 = performance.now();
export const debug = (message: string): void => {
  if (on) process.stderr.write(`[jobdeck +${(performance.now() - t0).toFixed(0)}ms] ${message}\n`);
};
