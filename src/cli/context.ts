// What every command gets: the connection (made on first use: completion and serve need none),
// the output streams with the user's choices (--json, -q, colour), and the clock.
import type { Client } from './client';
import { CommandFailed } from './client';
import type { Style } from './format';
import type { Job } from '../shared/job';

/** A failed operation (exit 1), in the user's terms. */
export class Failure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Failure';
  }
}

export interface Output {
  json: boolean;
  quiet: boolean;
  style: Style;
  errStyle: Style;
  /** A line on stdout. */
  print(text: string): void;
  /** A line on stderr (notes, progress, errors). */
  note(text: string): void;
  printJson(value: unknown): void;
  /** Raw text, no newline added: log lines as they were written. */
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface Cli {
  client(): Promise<Client>;
  out: Output;
  now(): number;
  /** Whether a person is at the keyboard (Ctrl-C asks them). */
  interactive: boolean;
  ask(question: string): Promise<string>;
  /** Where the data dir is, once connected. */
  dataDir(): string | undefined;
  /** --data-dir as given (serve passes it on). */
  dataDirOption?: string;
}

/** A job by its id or the start of it (as `jobs list` shows it), as `docker` takes short ids. */
export async function resolveJob(client: Client, ref: string): Promise<Job> {
  try {
    return await client.call('jobs.get', { id: ref });
  } catch (error) {
    if (!(error instanceof CommandFailed) || error.error.code !== 'NOT_FOUND' || ref.length > 100) throw error;
  }
  const page = await client.call('jobs.list', { text: ref, limit: 1000 });
  const ids = page.items.map((j) => j.id).filter((id) => id.startsWith(ref));
  if (ids.length === 1) return client.call('jobs.get', { id: ids[0]! });
  if (ids.length > 1) throw new Failure(`${ref} is the start of ${ids.length} jobs' ids: give more of it`);
  throw new Failure(`no job ${ref}`);
}
