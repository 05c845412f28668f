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
