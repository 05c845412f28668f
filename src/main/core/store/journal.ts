import { readFileSync, renameSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Job } from '../../../shared/job';
import type { Settings } from '../../../shared/settings';
import type { Template } from '../../../shared/template';
import { errorText, freeName, type StoreProblem } from './files';
import { NewerSchemaError, SCHEMA_VERSION, type Meta } from './schema';

/**
 * The change journal: while changes keep coming, each one is appended (a line of JSON, a few
 * within writeDelayMs together) to `journal-<n>.jsonl` instead of waiting for the next whole-file
 * write of state.json, so that a change is on disk within about writeDelayMs however often the
 * big files are rewritten. A state write starts a new journal and, once it is on disk, removes the
 * ones it covers. On open, the journals left (by a crash) are replayed in order over the files.
 * Every change is a "set" (a whole job, template, settings or meta object) or a removal, so
 * replaying one already contained in state.json changes nothing.
 */
export type Op = { job: Job } | { remove: string[] } | { template: Template } | { deleteTemplate: string } | { meta: Meta } | { settings: Settings };

export const JOURNAL_NAME = /^journal-([1-9][0-9]*)\.jsonl$/;
export const journalFile = (dir: string, n: number) => join(dir, `journal-${n}.jsonl`);
export const journalHeader = (): string => `${JSON.stringify({ schemaVersion: SCHEMA_VERSION })}\n`;

export type JournalRead = { ops: unknown[]; damaged?: string };

/**
 * Read a journal without touching it. A last line without its newline is an append cut short by
 * a crash: left out, silently. Anything else that does not parse marks the journal damaged from
 * there on. A journal from a newer Jobdeck → NewerSchemaError.
 */
export function readJournal(file: string): JournalRead {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`${file} could not be read: ${errorText(error)}`, { cause: error });
  }
  const lines = text.split('\n');
  lines.pop(); // '' after the last newline, or a torn last line
  if (lines.length === 0) return { ops: [] };
  let header: unknown;
  try {
    header = JSON.parse(lines[0]!);
  } catch {
    header = undefined;
  }
  const version = (header as { schemaVersion?: unknown } | undefined)?.schemaVersion;
  if (typeof version !== 'number') return { ops: [], damaged: 'it does not start with a Jobdeck journal header' };
  if (version > SCHEMA_VERSION) {
    const e = new NewerSchemaError(version);
    e.message = `${file}: ${e.message}`;
    throw e;
  }
  const ops: unknown[] = [];
  for (let i = 1; i < lines.length; i++) {
    try {
      ops.push(JSON.parse(lines[i]!));
    } catch (error) {
      return { ops, damaged: `line ${i + 1} is not valid JSON (${errorText(error)})` };
    }
  }
  return { ops };
}

/**
 * The journals a crash left, in order, over what the files hold. A damaged one is set aside
 * after the changes before the damage are applied; the journals after it are still replayed.
 * Returns the journals still on disk and the number of the next one to append to.
 */
export function replayJournals(
  dir: string,
  journals: [number, JournalRead][],
  apply: (op: unknown) => void,
  report: (p: StoreProblem) => void,
): { kept: number[]; next: number } {
  const kept: number[] = [];
  let next = 1;
  for (const [n, read] of journals) {
    const file = journalFile(dir, n);
    let damaged = read.damaged;
    let applied = 0;
    for (const op of read.ops) {
      try {
        apply(op);
        applied++;
      } catch (error) {
        damaged = `change ${applied + 1} could not be applied (${errorText(error)})`;
        break;
      }
    }
    next = Math.max(next, n + 1);
    if (damaged === undefined) {
      kept.push(n);
      continue;
    }
    const moved = freeName(file);
    try {
      renameSync(file, moved);
    } catch (error) {
      throw new Error(`${file} is damaged (${damaged}) and could not be moved aside: ${errorText(error)}`, { cause: error });
    }
    report({
      message: `${basename(file)} could not be read to the end: ${damaged}. The ${applied} changes before that were kept; it was moved to ${moved}.`,
      file: moved,
    });
  }
  return { kept, next };
}
