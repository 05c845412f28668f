import { z } from 'zod';
import { Job } from '../../../shared/job';
import { Settings } from '../../../shared/settings';
import { Template } from '../../../shared/template';

export const SCHEMA_VERSION = 1;

export const Meta = z.object({
  instanceId: z.string().min(1),
  /** Next job sequence number (FIFO order within a priority). */
  seq: z.number().default(0),
  cronLastRun: z.record(z.string(), z.string()).default({}),
});
export type Meta = z.infer<typeof Meta>;

/** The hot file: everything but old history. */
export const StateFile = z.object({
  schemaVersion: z.number().int(),
  meta: Meta,
  settings: Settings,
  templates: z.array(Template),
  jobs: z.array(Job),
  /** Jobs removed from a history file that has not been rewritten yet (it may hold them still). */
  removedFromHistory: z.array(z.string()).optional(),
});
export type StateFile = z.infer<typeof StateFile>;

/** The cold file: finished jobs past the recent window. */
export const HistoryFile = z.object({
  schemaVersion: z.number().int(),
  jobs: z.array(Job),
});
export type HistoryFile = z.infer<typeof HistoryFile>;

/** A column of HistoryIndex: the bytes of a typed array, base64 (one check for 100k values). */
const Column = z.base64();

/**
 * history-<n>.index.json (summaryIndex.ts): what the store's indexes read of each record of the
 * history file beside it, in its order, so that opening the store need not parse the records.
 * Only used while the file's size and SHA-1 are still the ones given here, on a machine of the
 * same byte order. Strings are indexes into `strings`, -1 for none.
 */
export const HistoryIndex = z.object({
  format: z.literal(1),
  schemaVersion: z.number().int(),
  size: z.number().int().nonnegative(),
  sha1: z.string().regex(/^[0-9a-f]{40}$/),
  endianness: z.enum(['LE', 'BE']),
  count: z.number().int().nonnegative(),
  strings: z.array(z.string()),
  /** The records' ids end to end; column idLength says how long each is. */
  ids: z.string(),
  columns: z.object({
    idLength: Column, // Uint32
    seq: Column, // Float64
    status: Column, // Int32, of strings
    origin: Column, // Int32, of strings
    templateId: Column, // Int32, of strings
    templateName: Column, // Int32, of strings
    /** The exit code, NaN for null (and for none: see noCode). */
    code: Column, // Float64
    /** ms since the epoch; -Infinity for none. */
    created: Column, // Float64
    finished: Column, // Float64
    /** The one engine of every attempt (of strings); -2 - k where they differ: engineLists[k]. */
    engines: Column, // Int32
    /** Where the file's newlines are, in bytes: record i lies between newline i and i + 1. */
    newlines: Column, // Uint32, count + 1 of them
  }),
  /** Records without an exit code. */
  noCode: z.array(z.number().int()),
  engineLists: z.array(z.array(z.number().int())),
});
export type HistoryIndex = z.infer<typeof HistoryIndex>;

type Raw = Record<string, unknown> & { schemaVersion?: unknown };

/**
 * Migrations from version n to n+1, applied in order on load. Version 1 is the first; a future
 * change of shape adds its step here and bumps SCHEMA_VERSION.
 */
export const MIGRATIONS: Record<number, (raw: Raw) => Raw> = {};

export function migrate(raw: Raw): Raw {
  let version = typeof raw.schemaVersion === 'number' ? raw.schemaVersion : 1;
  if (version > SCHEMA_VERSION) {
    throw new NewerSchemaError(version);
  }
  let out = raw;
  while (version < SCHEMA_VERSION) {
    const step = MIGRATIONS[version];
    if (!step) throw new Error(`no migration from store schema version ${version}`);
    version++;
    out = { ...step(out), schemaVersion: version };
  }
  return out;
}

export class NewerSchemaError extends Error {
  constructor(readonly version: number) {
    super(
      `the store was written by a newer Jobdeck (schema version ${version}; this one reads up to ${SCHEMA_VERSION}); ` +
        'it was left untouched: update Jobdeck or choose another data directory',
    );
    this.name = 'NewerSchemaError';
  }
}
