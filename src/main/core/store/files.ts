import { copyFileSync, existsSync, readFileSync, renameSync } from 'node:fs';
import { basename } from 'node:path';
import type { z } from 'zod';
import { migrate, NewerSchemaError, SCHEMA_VERSION } from './schema';

export interface StoreProblem {
  message: string;
  file?: string;
}

export type Loaded<T> = { kind: 'missing' } | { kind: 'ok'; data: T; migratedFrom?: number } | { kind: 'quarantined'; problem: StoreProblem };

/**
 * Read and check one store file. Missing → 'missing'. Damaged (empty, not JSON, truncated, wrong
 * shape, a migration that fails) → moved aside as `<name>.corrupt-<time>.json` and reported: never
 * overwritten, never silently dropped. Written by a newer Jobdeck → NewerSchemaError, file untouched.
 * Read with fs rather than lowdb's adapter so that a missing file and a file holding `null` differ.
 */
export function loadFile<S extends z.ZodType>(file: string, schema: S): Loaded<z.infer<S>> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    // Unreadable (permissions, a directory in its place): nothing we can safely replace it with.
    throw new Error(`${file} could not be read: ${errorText(error)}`, { cause: error });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const why = text.trim() === '' ? 'it is empty' : `it is not valid JSON (${errorText(error)})`;
    return quarantine(file, why);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return quarantine(file, 'it does not hold a Jobdeck store');
  const from = (raw as { schemaVersion?: unknown }).schemaVersion;
  let migrated: unknown;
  try {
    migrated = migrate(raw as Record<string, unknown>);
  } catch (error) {
    if (error instanceof NewerSchemaError) {
      error.message = `${file}: ${error.message}`;
      throw error;
    }
    return quarantine(file, `its schema could not be migrated (${errorText(error)})`);
  }
  const parsed = schema.safeParse(migrated);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    return quarantine(file, `its contents do not match the store schema (${i ? `${i.path.join('.') || '(root)'}: ${i.message}` : 'unknown'})`);
  }
  if (typeof from === 'number' && from < SCHEMA_VERSION) {
    // The old file stays beside the new one: a migration that went wrong can be undone by hand.
    const backup = file.replace(/\.json$/, `.v${from}.backup.json`);
    if (!existsSync(backup)) copyFileSync(file, backup);
    return { kind: 'ok', data: parsed.data, migratedFrom: from };
  }
  return { kind: 'ok', data: parsed.data };
}

function quarantine(file: string, why: string): Loaded<never> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const base = file.replace(/\.json$/, '');
  let moved = `${base}.corrupt-${stamp}.json`;
  // Never overwrite an earlier quarantined file.
  for (let i = 1; existsSync(moved); i++) moved = `${base}.corrupt-${stamp}-${i}.json`;
  try {
    renameSync(file, moved);
  } catch (error) {
    // Could not set it aside: refuse to start rather than write over the only copy.
    throw new Error(`${file} is damaged (${why}) and could not be moved aside: ${errorText(error)}`, { cause: error });
  }
  return {
    kind: 'quarantined',
    problem: {
      message: `${basename(file)} could not be read: ${why}. It was moved to ${moved} and Jobdeck started without its contents.`,
      file: moved,
    },
  };
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
