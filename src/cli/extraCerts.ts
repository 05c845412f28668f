// NODE_EXTRA_CA_CERTS, where it is set, makes Node 20 read and parse that certificate bundle at
// every start, before any code of ours runs: on a system's whole bundle, more than Node's own start.
// A command that talks to the running app over its local socket makes no TLS connection, so the
// POSIX launchers (bin/jobdeck, the installed one) move the variable aside, to the name below.
// Whatever may make one (a core of our own, with its remote engines, webhooks and mail; the
// headless host `serve` starts) runs in a Node that has it back.
import type { ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { debug } from './debug';

/** Where the launchers keep NODE_EXTRA_CA_CERTS meanwhile. */
export const MOVED_CERTS = 'JOBDECK_NODE_EXTRA_CA_CERTS';

type Env = Record<string, string | undefined>;

/** The certificates the launcher moved aside, if it did. */
export const movedCerts = (env: Env): string | undefined => env[MOVED_CERTS] || undefined;

/** The environment as it was before the launcher: NODE_EXTRA_CA_CERTS back where Node reads it. */
export function certsRestored(env: Env): Env {
  const moved = movedCerts(env);
  const out: Env = { ...env };
  delete out[MOVED_CERTS];
  if (moved) out.NODE_EXTRA_CA_CERTS = moved;
  return out;
}

/**
 * Runs this same command again in a Node that reads the certificates, on this terminal, and
 * ends this process as that one ends (its code, or its signal raised again). Never resolves.
 * TERM and HUP are passed on. So is INT, but only where no stdio is a terminal: a Ctrl-C typed
 * at one reaches both processes already (one process group), and `run --wait` reads a second
 * one as "leave at once".
 */
export async function rerunWithCerts(): Promise<never> {
  const { spawn } = await import('node:child_process');
  debug(`running again with NODE_EXTRA_CA_CERTS=${movedCerts(process.env) ?? ''}: a core of its own may speak TLS`);
  const child: ChildProcess = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: certsRestored(process.env),
  });
  const pass = (signal: NodeJS.Signals) => () => void child.kill(signal);
  const onTerminal = [process.stdin, process.stdout, process.stderr].some((s) => s.isTTY);
  const handlers: [NodeJS.Signals, () => void][] = [
    ['SIGINT', onTerminal ? () => undefined : pass('SIGINT')],
    ['SIGTERM', pass('SIGTERM')],
    ['SIGHUP', pass('SIGHUP')],
  ];
  for (const [signal, handler] of handlers) process.on(signal, handler);
  return new Promise<never>((_, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      for (const [s, handler] of handlers) process.off(s, handler);
      if (signal) {
        process.kill(process.pid, signal);
        // Should the signal be one this process survives, the shell's convention for it.
        process.exit(128 + (constants.signals[signal] ?? 0));
      }
      process.exit(code ?? 1);
    });
  });
}
