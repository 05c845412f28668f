// The `jobdeck` command line: a third client of the one contract (DESIGN.md). It reaches the
// running app over its local socket, or runs the core itself (localCore.ts) when none is running.
// Exit codes: 0 done; the job's code for run --wait; 1 a failed operation; 2 a usage error.
import './jitless';
import { CommanderError } from 'commander';
import { UsageError } from './args';
import { CommandFailed, unwrap, type Client } from './client';
import { findApp } from './connect';
import { debug } from './debug';
import { movedCerts, rerunWithCerts } from './extraCerts';
import { Failure, type Cli, type Output } from './context';
import { styleFor } from './format';
import { buildProgram, commandNamed, type GlobalOptions } from './program';

declare const JOBDECK_VERSION: string | undefined;
const version = typeof JOBDECK_VERSION === 'string' ? JOBDECK_VERSION : '0.0.0-dev';

export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

function output(g: GlobalOptions): Output {
  const json = g.json === true;
  const noColor = g.color === false;
  const style = styleFor(process.stdout, process.env, noColor);
  const errStyle = styleFor(process.stderr, process.env, noColor);
  return {
    json,
    quiet: g.quiet === true,
    style,
    errStyle,
    print: (t) => void process.stdout.write(`${t}\n`),
    note: (t) => void process.stderr.write(`${t}\n`),
    printJson: (v) => void process.stdout.write(`${JSON.stringify(v, null, 2)}\n`),
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
  };
}

async function main(argv: string[]): Promise<number> {
  let client: Client | undefined;
  let connecting: Promise<Client> | undefined;
  let dataDir: string | undefined;
  let finished: (code: number) => void = () => undefined;
  const finishedCode = new Promise<number>((r) => (finished = r));
  const makeCli = (g: GlobalOptions): Cli => ({
    out: output(g),
    now: () => Date.now(),
    interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY),
    async ask(question) {
      // Loaded when a question is asked (Ctrl-C on a terminal): readline is a tenth of starting up.
      const { createInterface } = await import('node:readline/promises');
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    },
    dataDir: () => dataDir,
    ...(g.dataDir ? { dataDirOption: g.dataDir } : {}),
    client() {
      connecting ??= findApp({
        ...(g.dataDir ? { dataDir: g.dataDir } : {}),
        // Loaded only when needed: the core is most of the bundle, and most commands reach the app.
        // A core makes TLS connections: where the launcher moved the certificates aside, the
        // command runs again in a Node that has them (extraCerts.ts).
        startLocal: async (dir) => (movedCerts(process.env) ? rerunWithCerts() : (await import('./localCore')).startLocalCore(dir, unwrap)),
        onLost: (why) => {
          process.stderr.write(`jobdeck: ${why}\n`);
          process.exit(EXIT_FAILED);
        },
      }).then((found) => {
        debug(`connected (${found.client.mode}) to ${found.dataDir}`);
        client = found.client;
        dataDir = found.dataDir;
        return found.client;
      });
      return connecting;
    },
  });
  const program = buildProgram(makeCli, (code) => finished(code), version, commandNamed(argv));
  debug('commands built');
  try {
    await program.parseAsync(argv, { from: 'user' });
    // An action reports its code through `done`; a command with no action (a bare group) prints help.
    return await Promise.race([finishedCode, Promise.resolve().then(() => finishedCode)]);
  } catch (error) {
    return report(error);
  } finally {
    await client?.close().catch(() => undefined);
  }
}

function report(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander printed its message (naming the argument) already; help and --version are not errors.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
    return error.exitCode === 0 ? 0 : EXIT_USAGE;
  }
  if (error instanceof UsageError) {
    process.stderr.write(`jobdeck: ${error.message}\n`);
    return EXIT_USAGE;
  }
  const message = error instanceof CommandFailed || error instanceof Failure || error instanceof Error ? error.message : String(error);
  process.stderr.write(`jobdeck: ${message}\n`);
  return EXIT_FAILED;
}

main(process.argv.slice(2)).then(
  (code) => {
    debug(`exit ${code}`);
    process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`jobdeck: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(EXIT_FAILED);
  },
);
