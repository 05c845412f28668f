// The command tree (commander): names, arguments, options, help. Each action hands its values
// to a function in ./commands; `run` resolves with the exit code.
import { Command, Option } from 'commander';
import { collect, UsageError } from './args';
import type { Cli } from './context';
import { completionScript } from './completion';
// The commands' modules load when their command runs: each one's imports (the contract's
// schemas among them) are evaluated only by the command that needs them, so `run` sends its job
// before the rest of the CLI is loaded.
import type { act, cleanup, listJobs } from './commands/jobs';
import type { logs } from './commands/logs';
import type { run } from './commands/run';
import type { addEngine, stats } from './commands/system';
import type { fromDockerRun, importTemplates } from './commands/templates';

const commandsIn = {
  jobs: () => import('./commands/jobs'),
  logs: () => import('./commands/logs'),
  metrics: () => import('./commands/metrics'),
  run: () => import('./commands/run'),
  system: () => import('./commands/system'),
  templates: () => import('./commands/templates'),
};

export interface GlobalOptions {
  dataDir?: string;
  json?: boolean;
  quiet?: boolean;
  color?: boolean;
}

/** Global options that take a value: their value is not the command's name. */
const VALUED_GLOBALS = new Set(['--data-dir']);

/**
 * The top-level command a command line names (`run` in `jobdeck --json run x`), read before
 * commander parses it, so that only that command's part of the tree is built; undefined when
 * help is asked for before it (the program's help lists every command) or none is named.
 */
export function commandNamed(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h' || a === '--help' || a === '--') return undefined;
    if (VALUED_GLOBALS.has(a)) i++;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

/**
 * `cli` is made from the global options once commander has read them. With `only` (a top-level
 * command's name, commandNamed), the other commands are left out: what commander does with that
 * command line is the same, and building the whole tree is a tenth of a command's start. A name
 * that is no command (a typo, for commander's suggestion) or `completion` (it walks the tree)
 * builds it all.
 */
export function buildProgram(makeCli: (g: GlobalOptions) => Cli, done: (code: number) => void, version: string, only?: string): Command {
  const program = new Command('jobdeck')
    .description('Run container jobs with Jobdeck from a terminal: the running app (or, with none, a core of its own) on the same data dir.')
    .version(version, '-V, --version')
    .option('--data-dir <dir>', 'the data directory (default: $JOBDECK_DATA_DIR, else the app\'s)')
    .option('--json', 'print the contract\'s JSON instead of tables')
    .option('-q, --quiet', 'print ids only')
    .option('--no-color', 'no colour even on a terminal (NO_COLOR does the same)')
    .showHelpAfterError('(jobdeck --help lists the commands)')
    .exitOverride()
    .allowExcessArguments(false);
  const cli = (cmd: Command) => makeCli(cmd.optsWithGlobals<GlobalOptions>());
  const action =
    <A extends unknown[]>(f: (cli: Cli, ...args: A) => Promise<number>) =>
    async (...args: unknown[]) => {
      const cmd = args.at(-1) as Command;
      done(await f(cli(cmd), ...(args.slice(0, -1) as A)));
    };

  const wanted = only !== 'completion' ? only : undefined;
  const skipped: (() => void)[] = [];
  let built = false;
  const part = (names: readonly string[], build: () => void) => {
    if (wanted === undefined || names.includes(wanted)) {
      built = true;
      build();
    } else skipped.push(build);
  };

  part(['run'], () => {
    program
      .command('run')
      .description('run a template (by name or id) or a template file (not saved); with --wait, exit with the job\'s code')
      .argument('<template>', 'template name or id, or a template file')
      .argument('[command...]', 'a command instead of the template\'s (after --)')
      .option('-e, --env <K=V>', 'set a variable (repeatable; K alone takes this shell\'s value)', collect)
      .option('--memory <size>', 'memory limit, such as 256Mi or 1G')
      .option('--cpus <n>', 'CPU limit, such as 0.5 or 2')
      .option('--timeout <duration>', 'stop the job after this long: 90s, 15m, 2h, or seconds')
      .option('--priority <1-5>', '1 is the highest')
      .option('--engine <id>', 'an engine id (jobdeck engines list), or docker, podman, any')
      .option('--after <job>', 'start only after this job completes (repeatable)', collect)
      .option('-w, --wait', 'wait for the job to end and exit with its exit code')
      .option('-f, --follow', 'print the log as it is written (implies --wait)')
      .option('--cancel-on-interrupt', 'Ctrl-C cancels the job instead of asking (or, without a terminal, leaving it)')
      .action(action(async (c, target: string, command: string[], o: Parameters<typeof run>[3]) => (await commandsIn.run()).run(c, target, command, o)));
  });

  part(['jobs'], () => {
    const jobs = program.command('jobs').description('list jobs');
    jobs
      .command('list')
      .alias('ls')
      .description('jobs, newest first')
      .option('--status <states>', 'pending, running, completed, failed, cancelled (comma-separated or repeated)', collect)
      .option('--template <name>', 'jobs of this template')
      .option('--engine <id>', 'jobs that ran on this engine')
      .option('--since <when>', 'created since: a duration back (12h, 7d) or an ISO time')
      .option('--until <when>', 'created before: a duration back or an ISO time')
      .option('--limit <n>', 'at most this many (1-1000, default 50)')
      .action(action(async (c, o: Parameters<typeof listJobs>[1]) => (await commandsIn.jobs()).listJobs(c, o)));
  });

  part(['show'], () => {
    program
      .command('show')
      .description('a job: its state, exit code and attempts')
      .argument('<job>', 'job id (or its start)')
      .option('--events', 'and its events: who asked, what it waited for, each attempt, how it ended')
      .action(action(async (c, ref: string, o: { events?: boolean }) => (await commandsIn.jobs()).showJob(c, ref, o)));
  });

  part(['report'], () => {
    program.command('report').description('a job as Markdown for a ticket: inputs, engine, timings, exit code, log tails, events').argument('<job>', 'job id (or its start)').action(action(async (c, ref: string) => (await commandsIn.jobs()).reportJob(c, ref)));
  });

  part(['logs'], () => {
    program
      .command('logs')
      .description('a job\'s log as numbered lines; -f follows it until the job ends')
      .argument('<job>', 'job id (or its start)')
      .option('--attempt <n>', 'this attempt (default the newest)')
      .option('--stream <stream>', 'stdout or stderr only')
      .option('--from-line <n>', 'start at this line')
      .option('--lines <m>', 'at most this many lines')
      .option('-t, --timestamps', 'show each line\'s number and time')
      .option('-f, --follow', 'follow the log until the job ends')
      .action(action(async (c, ref: string, o: Parameters<typeof logs>[2]) => (await commandsIn.logs()).logs(c, ref, o)));
  });

  part(['cancel', 'retry', 'clone'], () => {
    for (const verb of ['cancel', 'retry', 'clone'] as const) {
      const cmd = program
        .command(verb)
        .description(verb === 'cancel' ? 'cancel jobs' : verb === 'retry' ? 'retry failed or cancelled jobs' : 'run jobs again as new jobs')
        .argument('[jobs...]', 'job ids (or their starts)')
        .option('--status <states>', `${verb} every job in these states`, collect);
      if (verb !== 'cancel') cmd.option('--since <when>', 'with --status: created since (12h, 7d, or an ISO time)');
      cmd.action(action(async (c, refs: string[], o: Parameters<typeof act>[3]) => (await commandsIn.jobs()).act(c, verb, refs, o)));
    }
  });

  part(['cleanup'], () => {
    program
      .command('cleanup')
      .description('remove finished jobs (their logs and artifacts) older than a duration')
      .option('--older-than <duration>', 'ended longer ago than this: 12h, 7d, 4w')
      .option('--status <states>', 'only completed, failed or cancelled ones', collect)
      .option('--dry-run', 'count what would be removed; remove nothing')
      .action(action(async (c, o: Parameters<typeof cleanup>[1]) => (await commandsIn.jobs()).cleanup(c, o)));
  });

  part(['templates'], () => {
    const templates = program.command('templates').description('templates: list, show, import, export, rm, from-docker-run');
    templates.command('list').alias('ls').description('the templates').action(action(async (c) => (await commandsIn.templates()).listTemplates(c)));
    templates.command('show').description('a template as its file').argument('<name>').action(action(async (c, ref: string) => (await commandsIn.templates()).showTemplate(c, ref)));
    templates
      .command('import')
      .description('store the templates of files (Jobdeck YAML/JSON, Kubernetes Job or CronJob)')
      .argument('<files...>')
      .addOption(new Option('--on-conflict <action>', 'a template of the same name exists').choices(['skip', 'replace', 'keep-both']).default('skip'))
      .option('--confirm-host-mounts', 'the files mount host directories, and that is fine')
      .action(action(async (c, files: string[], o: Parameters<typeof importTemplates>[2]) => (await commandsIn.templates()).importTemplates(c, files, o)));
    templates
      .command('export')
      .description('a template as a file on stdout')
      .argument('<name>')
      .option('--format <format>', 'jobdeck or kubernetes', 'jobdeck')
      .action(action(async (c, ref: string, o: { format: string }) => (await commandsIn.templates()).exportTemplate(c, ref, o.format)));
    templates.command('rm').description('delete templates (their jobs stay)').argument('<names...>').action(action(async (c, refs: string[]) => (await commandsIn.templates()).removeTemplate(c, refs)));
    templates
      .command('from-docker-run')
      .description('a template from a docker/podman run line: jobdeck templates from-docker-run -- docker run …')
      .argument('[words...]', 'the command line, after --')
      .option('--secret <name>', 'treat this variable as a secret (repeatable)', collect)
      .option('--save', 'store the template (otherwise print it as a file)')
      .option('--confirm-host-mounts', 'it mounts host directories, and that is fine')
      .action(action(async (c, words: string[], o: Parameters<typeof fromDockerRun>[2]) => (await commandsIn.templates()).fromDockerRun(c, words, o)));
  });

  part(['stats'], () => {
    program
      .command('stats')
      .description('jobs, success rate and durations, per template')
      .option('--template <name>', 'one template')
      .option('--since <when>', 'since a duration back or an ISO time (default 24h)')
      .action(action(async (c, o: Parameters<typeof stats>[1]) => (await commandsIn.system()).stats(c, o)));
  });

  part(['metrics'], () => {
    program
      .command('metrics')
      .description('the metrics as Prometheus text (jobs by status, durations, queue waits, engines up), as /metrics serves them')
      .action(action(async (c) => (await commandsIn.metrics()).metrics(c)));
  });

  part(['engines'], () => {
    const engines = program.command('engines').description('container engines: list, add, rm');
    engines.command('list').alias('ls').description('the engines and whether they answer').action(action(async (c) => (await commandsIn.system()).listEngines(c)));
    engines
      .command('add')
      .description('add an engine: unix:///path, tcp://host:port, ssh://user@host')
      .argument('<id>')
      .argument('<host>')
      .option('--kind <kind>', 'docker or podman')
      .option('--concurrency <n>', 'at most this many jobs at once on it')
      .action(action(async (c, id: string, host: string, o: Parameters<typeof addEngine>[3]) => (await commandsIn.system()).addEngine(c, id, host, o)));
    engines.command('rm').description('remove an engine you added').argument('<id>').action(action(async (c, id: string) => (await commandsIn.system()).removeEngine(c, id)));
  });

  part(['queue'], () => {
    const q = program.command('queue').description('the queue: pause, resume, status');
    for (const verb of ['pause', 'resume', 'status'] as const) {
      q.command(verb).description(verb === 'status' ? 'running and pending jobs' : `${verb} starting jobs`).action(action(async (c) => (await commandsIn.system()).queue(c, verb)));
    }
  });

  part(['serve'], () => {
    program
      .command('serve')
      .description('the headless host (browser UI) on this data dir, in this terminal')
      .option('--port <port>', 'port on 127.0.0.1 (default: the last one, else any free one)')
      .option('--new-token', 'a new token for the URL')
      .action(action(async (c, o: { port?: string; newToken?: boolean }) => (await commandsIn.system()).serve(c, { ...o, ...(c.dataDirOption ? { dataDir: c.dataDirOption } : {}) })));
  });

  part(['completion'], () => {
    program
      .command('completion')
      .description('a shell completion script: jobdeck completion bash > /etc/bash_completion.d/jobdeck')
      .argument('<shell>', 'bash, zsh or fish')
      .action(async (shell: string) => {
        if (!['bash', 'zsh', 'fish'].includes(shell)) throw new UsageError(`completion: "${shell}" must be bash, zsh or fish`);
        process.stdout.write(completionScript(program, shell));
        done(0);
      });
  });

  // No command of that name: the whole tree, for commander's message and suggestion.
  if (!built) for (const build of skipped) build();
  for (const c of program.commands) c.allowExcessArguments(false);
  return program;
}
