// A template written as YAML, checked as the user types against the same schema the form and the
// core use; each problem placed at the node it is about (the `yaml` library's node ranges), so the
// editor can underline it and say "line 4, column 11".
import { isMap, isPair, isScalar, LineCounter, parseDocument, stringify, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { formatPath } from '../../../../shared/errors';
import { TemplateSpecChecked } from '../../../../shared/template';

export interface YamlProblem {
  /** Offsets into the text, for the editor's underline. */
  from: number;
  to: number;
  line: number;
  col: number;
  /** The schema path ("retry.limit"), or '' for a syntax error. */
  path: string;
  message: string;
}

export type YamlCheck =
  | { syntaxOk: true; doc: Record<string, unknown> | undefined; problems: YamlProblem[] }
  | { syntaxOk: false; problems: YamlProblem[] };

/** A document as the YAML tab shows it: plain keys in the schema's order, no apiVersion header. */
export function toYaml(doc: Record<string, unknown>): string {
  return stringify(doc, { lineWidth: 0 });
}

type Path = (string | number)[];

/** The node a path names, or its nearest ancestor that exists (a missing key is the map's problem). */
function nodeAt(doc: Document, path: Path): { node: Node | null; key?: Node } {
  for (let n = path.length; n > 0; n--) {
    const parentPath = path.slice(0, n - 1);
    const parent = parentPath.length ? doc.getIn(parentPath, true) : doc.contents;
    const last = path[n - 1];
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(last));
      if (pair && isPair(pair)) {
        const value = pair.value as Node | null;
        return { node: value && value.range ? value : (pair.key as Node), key: pair.key as Node };
      }
      continue;
    }
    const found = doc.getIn(path.slice(0, n), true) as Node | undefined;
    if (found && typeof found === 'object' && 'range' in found && found.range) return { node: found };
  }
  return { node: (doc.contents as Node | null) ?? null };
}

/** Where a zod issue sits: an unknown key at the key itself, anything else at its value. */
function rangeOf(doc: Document, issue: z.core.$ZodIssue): [number, number] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) {
    const { key } = nodeAt(doc, [...path, issue.keys[0]]);
    if (key?.range) return [key.range[0], key.range[1]];
  }
  const { node } = nodeAt(doc, path);
  if (node?.range) return [node.range[0], Math.max(node.range[1], node.range[0] + 1)];
  return [0, 1];
}

export function checkYaml(text: string): YamlCheck {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true });
  const at = (from: number, to: number, path: string, message: string): YamlProblem => {
    const { line, col } = lines.linePos(from);
    return { from, to: Math.min(Math.max(to, from + 1), Math.max(text.length, from + 1)), line, col, path, message };
  };
  if (doc.errors.length) {
    return {
      syntaxOk: false,
      problems: doc.errors.map((e) => at(e.pos[0], e.pos[1], '', e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''))),
    };
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  if (value === null || value === undefined) return { syntaxOk: true, doc: undefined, problems: [at(0, 1, '', 'The template is empty: write at least name and image')] };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { syntaxOk: true, doc: undefined, problems: [at(0, text.length, '', 'A template is a mapping of fields (name: …, image: …), not a list or a single value')] };
  }
  // A pasted export file says what it is (apiVersion jobdeck/v1, kind Template): that header is not a field.
  const { apiVersion, kind, ...fields } = value as Record<string, unknown>;
  const spec = apiVersion === 'jobdeck/v1' && kind === 'Template' ? fields : (value as Record<string, unknown>);
  const r = TemplateSpecChecked.safeParse(spec);
  const problems = r.success
    ? []
    : r.error.issues.map((i) => {
        const [from, to] = rangeOf(doc, i);
        const message = i.code === 'unrecognized_keys' ? `${i.keys.join(', ')}: not a Jobdeck template field` : i.message;
        return at(from, to, formatPath(i.path), message);
      });
  problems.sort((a, b) => a.from - b.from);
  return { syntaxOk: true, doc: spec, problems };
}
