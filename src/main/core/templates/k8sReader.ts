import type { Issue } from '../../../shared/errors';
import { isRecord } from './parse';

export type Obj = Record<string, unknown>;

/** Walks a manifest, taking the fields Jobdeck maps and warning about every other one. */
export class Reader {
  warnings: string[] = [];
  errors: Issue[] = [];

  /** The object at `path`, with unknown keys (not in `known`) reported as warnings. */
  obj(v: unknown, path: string, known: string[], ignored: Record<string, string> = {}): Obj {
    if (v === undefined) return {};
    if (!isRecord(v)) {
      this.errors.push({ path, message: 'expected an object' });
      return {};
    }
    for (const key of Object.keys(v)) {
      if (known.includes(key)) continue;
      // Field, value and consequence: the user can find it in the file and knows what it costs.
      this.warnings.push(`${path === '(root)' ? key : `${path}.${key}`}: ${ignored[key] ?? 'not supported by Jobdeck'}, ignored (${shortValue(v[key])})`);
    }
    return v;
  }
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

export function stringArray(r: Reader, v: unknown, path: string): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' && typeof x !== 'number')) {
    r.errors.push({ path, message: 'expected a list of strings' });
    return undefined;
  }
  return v.map(String);
}

/** A value as the warning quotes it: short enough to read in a list. */
function shortValue(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
