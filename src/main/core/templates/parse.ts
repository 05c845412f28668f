import { parseAllDocuments } from 'yaml';
import type { Issue } from '../../../shared/errors';

export const MAX_FILE_BYTES = 5 * 1024 * 1024;
const MAX_DEPTH = 64;
const MAX_ALIASES = 100;

export type Parsed = { ok: true; docs: unknown[] } | { ok: false; errors: Issue[] };

const fail = (message: string, path = '(root)'): Parsed => ({ ok: false, errors: [{ path, message }] });

/**
 * Text → plain values, bounded: a size cap before parsing, binary refused, YAML aliases capped
 * (billion laughs), nesting capped, and any parser blow-up turned into an error.
 */
export function parseDocuments(name: string, content: string): Parsed {
  if (Buffer.byteLength(content, 'utf8') > MAX_FILE_BYTES) {
    return fail(`the file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB; template files are small text files`);
  }
  if (content.includes('\u0000') || (content.match(/\uFFFD/g)?.length ?? 0) > 8) {
    return fail('not a text file (it holds binary data); expected YAML or JSON');
  }
  if (!content.trim()) return fail('the file is empty; expected a YAML or JSON template');
  const json = /\.json$/i.test(name) || /^\s*[[{]/.test(content);
  let docs: unknown[];
  try {
    if (json) {
      const value: unknown = JSON.parse(content);
      docs = Array.isArray(value) ? value : [value];
    } else {
      docs = [];
      for (const doc of parseAllDocuments(content, { uniqueKeys: true, prettyErrors: true })) {
        const problem = doc.errors[0];
        if (problem) {
          if (/call stack/i.test(problem.message)) return fail(`the file is nested too deeply to read (more than ${MAX_DEPTH} levels)`);
          const line = problem.linePos?.[0];
          return fail(`${line ? `line ${line.line}, column ${line.col}: ` : ''}${problem.message.split('\n')[0]}`);
        }
        docs.push(doc.toJS({ maxAliasCount: MAX_ALIASES }));
      }
      docs = docs.filter((d) => d !== null && d !== undefined);
    }
  } catch (error) {
    if (error instanceof RangeError) return fail(`the file is nested too deeply to read (more than ${MAX_DEPTH} levels)`);
    const message = error instanceof Error ? error.message : String(error);
    if (/alias/i.test(message)) return fail(`too many YAML aliases (more than ${MAX_ALIASES}): refusing a possible alias bomb`);
    return fail(`${json ? 'invalid JSON' : 'invalid YAML'}: ${message.split('\n')[0]}`);
  }
  if (docs.length === 0) return fail('the file holds no document; expected a YAML or JSON template');
  for (const d of docs) {
    if (depth(d) > MAX_DEPTH) return fail(`the file is nested too deeply (more than ${MAX_DEPTH} levels)`);
  }
  return { ok: true, docs };
}

/** Iterative, so a pathological document cannot overflow the stack here. */
function depth(root: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (d > max) max = d;
    if (d > MAX_DEPTH) return d;
    if (v && typeof v === 'object') for (const c of Object.values(v)) stack.push([c, d + 1]);
  }
  return max;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
