// `jobdeck run TEMPLATE|FILE`: a job from a stored template, or from a file that is read but not
// stored; with --wait (or --follow) the command ends with the job and exits with its code.
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { Job } from '../../shared/job';
import type { JobOverridesInput } from '../../shared/template';
import { parseCpusArg, parseEnv, parseIntArg, parseMemoryArg, parseTimeout } from '../args';
import { CommandFailed, type Client } from '../client';
import { findTemplate } from '../../shared/templateRef';
import { Failure, resolveJob, type Cli } from '../context';
import { badge, paint, shortId } from '../format';
import { untilStarted, watchJob } from './watch';
import { debug } from '../debug';

export interface RunOptions {
  env?: string[];
  memory?: string;
  cpus?: string;
  timeout?: string;
  priority?: string;
  engine?: string;
  after?: string[];
  wait?: boolean;
  follow?: boolean;
  cancelOnInterrupt?: boolean;
}

/** What `docker run` exits with when the engine, not the program, failed (no exit code). */
export const ENGINE_FAILED_EXIT = 125;
/** Ctrl-C: 128 + SIGINT, as a shell reports it. */
export const INTERRUPTED_EXIT = 130;

/**
 * The exit code of `run --wait` for a finished job: its own where it has one; 125 when the engine
 * could not run it (image pull failed, no engine, engine lost), as `docker run` does; 1 otherwise
 * (cancelled, upstream failed, a deadline with no code).
 */
export function exitCodeOf(job: Pick<Job, 'status' | 'exitCode' | 'reason'>): number {
  if (job.status === 'completed') return job.exitCode ?? 0;
  if (job.exitCode !== undefined && job.exitCode !== null) return job.exitCode === 0 ? 1 : job.exitCode;
  if (job.reason === 'ImagePullFailed' || job.reason === 'EngineUnavailable' || job.reason === 'EngineLost') return ENGINE_FAILED_EXIT;
  return 1;
}

export function overridesOf(o: RunOptions, command: readonly string[]): JobOverridesInput {
  const out: JobOverridesInput = {};
  if (o.env?.length) out.env = o.env.map((e) => parseEnv(e));
  if (o.memory !== undefined || o.cpus !== undefined) {
    out.limits = { ...(o.memory !== undefined ? { memory: parseMemoryArg(o.memory) } : {}), ...(o.cpus !== undefined ? { cpus: parseCpusArg(o.cpus) } : {}) };
  }
  if (o.timeout !== undefined) out.timeoutSeconds = parseTimeout(o.timeout);
  if (o.priority !== undefined) out.priority = parseIntArg(o.priority, '--priority', 1, 5);
  if (o.engine !== undefined) {
    if (o.engine === 'docker' || o.engine === 'podman' || o.engine === 'any') out.engine = o.engine;
    else out.engineId = o.engine;
  }
  if (command.length) out.command = [...command];
  return out;
}

/** A stored template by id or name (exactly, then ignoring case): templateRef.ts, as the app reads one. */
export async function resolveTemplate(client: Client, ref: string) {
  return findTemplate((await client.call('templates.list', {})).map((s) => s.template), ref);
}

const noTemplate = (target: string) => new Failure(`no template or file named ${target} (jobdeck templates list shows the templates)`);

export async function run(cli: Cli, target: string, command: string[], o: RunOptions): Promise<number> {
  const overrides = overridesOf(o, command); // usage errors before anything is sent
  const client = await cli.client();
  const dependsOn = o.after?.length ? await Promise.all(o.after.map(async (ref) => (await resolveJob(client, ref)).id)) : [];
  const isFile = existsSync(target) && statSync(target).isFile();
  let job: Job;
  if (isFile) {
    // The file as it is: the app reads it as an import does, and runs it without storing it.
    job = await client.call('jobs.create', { file: { name: target, content: readFileSync(target, 'utf8') }, overrides, dependsOn });
  } else {
    // Named as the user named it: the app finds the template, so the job is asked for in one call.
    job = await client.call('jobs.create', { template: target, overrides, dependsOn }).catch((error: unknown) => {
      throw error instanceof CommandFailed && error.error.code === 'NOT_FOUND' && error.error.issues?.some((i) => i.path === 'template') ? noTemplate(target) : error;
    });
  }
  debug(`job ${job.id} created`);
  const { out } = cli;
  if (!o.wait && !o.follow) {
    // A core of our own ends with this command: the job must have started (its container then
    // runs on, and the next Jobdeck follows it) or it would wait for the next start.
    if (client.mode === 'local' && !(await client.call('queue.state', {})).paused) job = await untilStarted(client, job.id);
    if (out.json) out.printJson(job);
    else if (out.quiet) out.print(job.id);
    else out.print(`${job.id}  ${job.templateName}  ${badge(job)}`);
    if (client.mode === 'local' && !out.quiet && !out.json) out.note('No Jobdeck app is running: the job runs on, and its end is recorded when Jobdeck next opens this data dir.');
    return 0;
  }
  if (!out.json && !out.quiet) out.note(paint(out.errStyle, 'dim', `job ${job.id} (${job.templateName})`));
  const interrupted = onInterrupt(cli, client, job, o.cancelOnInterrupt === true);
  try {
    const end = await Promise.race([watchJob(client, job.id, { follow: o.follow === true }, out), interrupted.left]);
    debug(end === 'left' ? 'left the job' : `job ended: ${end.status}, attempt ${end.attempts.at(-1)?.startedAt ?? '-'} → ${end.attempts.at(-1)?.finishedAt ?? '-'}, job ${end.createdAt} → ${end.finishedAt ?? '-'}`);
    if (end === 'left') return INTERRUPTED_EXIT;
    if (out.json) out.printJson(end);
    else if (out.quiet) out.print(end.id);
    else out.note(`${paint(out.errStyle, end.status === 'completed' ? 'green' : 'red', badge(end))}  job ${shortId(end.id)}${end.message ? `: ${end.message}` : ''}`);
    return interrupted.wasInterrupted() ? INTERRUPTED_EXIT : exitCodeOf(end);
  } finally {
    interrupted.dispose();
  }
}

/**
 * Ctrl-C while waiting: on a terminal, ask whether to cancel the job or leave it running; elsewhere
 * leave it, unless --cancel-on-interrupt said to cancel. A second Ctrl-C leaves at once.
 */
function onInterrupt(cli: Cli, client: Client, job: Job, cancel: boolean) {
  let resolveLeft!: (v: 'left') => void;
  const left = new Promise<'left'>((r) => (resolveLeft = r));
  let count = 0;
  const handler = () => {
    count++;
    if (count > 1) return resolveLeft('left');
    void (async () => {
      let yes = cancel;
      if (!cancel && cli.interactive) {
        const answer = await cli.ask(`\nCancel job ${shortId(job.id)} (${job.templateName})? [y/N] `);
        yes = /^y(es)?$/i.test(answer.trim());
      }
      if (yes) {
        await client.call('jobs.cancel', { id: job.id }).catch((e: unknown) => cli.out.note(`jobdeck: could not cancel: ${e instanceof Error ? e.message : String(e)}`));
        cli.out.note(`cancelling job ${shortId(job.id)}…`);
        // The wait goes on until the job has ended as cancelled.
      } else {
        cli.out.note(`left job ${shortId(job.id)} running: jobdeck logs -f ${job.id}`);
        resolveLeft('left');
      }
    })();
  };
  process.on('SIGINT', handler);
  return { left, wasInterrupted: () => count > 0, dispose: () => process.off('SIGINT', handler) };
}
