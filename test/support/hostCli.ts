import { spawn, type ChildProcess } from 'node:child_process';
import { buildHost } from './hostProcess';

export interface HostRun {
  child: ChildProcess;
  /** The URL it printed, or a rejection naming how it exited. */
  url: Promise<string>;
  /** Exit code (or signal) once gone. */
  exited: Promise<number | NodeJS.Signals | null>;
  output(): string;
  stop(): Promise<number | NodeJS.Signals | null>;
}

/** The real headless entry (bundled as the crash tests use it) with exactly the given arguments. */
export async function runHost(args: string[], env: Record<string, string> = {}): Promise<HostRun> {
  const entry = await buildHost();
  const base = { ...process.env };
  delete base.DOCKER_HOST;
  delete base.CONTAINER_HOST;
  const child = spawn(process.execPath, [entry, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...base, ...env } });
  let all = '';
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  const url = new Promise<string>((resolve, reject) => {
    const onData = (c: Buffer) => {
      all += c.toString();
      const m = /Jobdeck headless: (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)\n/.exec(all);
      if (m?.[1]) resolve(m[1]);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((how) => reject(new Error(`the host exited with ${how}: ${all}`)));
  });
  url.catch(() => undefined); // a test that expects a refusal awaits `exited` instead
  return {
    child,
    url,
    exited,
    output: () => all,
    stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
