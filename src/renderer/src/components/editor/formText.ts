// How the editor writes list-like values as text a person edits, and reads them back. Each reader
// is the inverse of its writer for every value the writer accepts; a value that has no faithful
// text form (an argument with a line break, an empty argument) is reported, never silently changed.

/** Thrown where a stored value has no form field that can show it as it is: it stays in YAML. */
export class Unrepresentable extends Error {
  constructor(readonly field: string, why: string) {
    super(`${field}: ${why}`);
  }
}

/** A scalar as the text box shows it; objects and lists cannot be typed into one box. */
export function scalarText(field: string, v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new Unrepresentable(field, 'a list or mapping where the form has one value');
}

/** A text box's number: as a number when it reads as one, else the text (the schema says why). */
export const numberOrText = (s: string): number | string => (s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : s);

/** Arguments one per line (argv, entrypoint): no quoting to get wrong. */
export function argsToLines(field: string, v: unknown): string {
  if (v === undefined) return '';
  if (!Array.isArray(v) || !v.every((a): a is string => typeof a === 'string')) throw new Unrepresentable(field, 'expected a list of arguments');
  if (v.some((a) => a === '' || a.includes('\n'))) throw new Unrepresentable(field, 'an argument is empty or holds a line break');
  return v.join('\n');
}

export function linesToArgs(text: string): string[] | undefined {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines.length ? lines : undefined;
}

/** Labels as `key=value` lines. */
export function labelsToText(v: unknown): string {
  if (v === undefined) return '';
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Unrepresentable('Labels', 'expected a map of names to text');
  return Object.entries(v)
    .map(([k, val]) => {
      if (typeof val !== 'string' || k.includes('=') || k.includes('\n') || val.includes('\n') || k.trim() !== k || k === '') {
        throw new Unrepresentable('Labels', `label ${JSON.stringify(k)} cannot be written as one name=value line`);
      }
      return `${k}=${val}`;
    })
    .join('\n');
}

export function textToLabels(text: string): { labels: Record<string, string>; error?: string } {
  const labels: Record<string, string> = {};
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.replace(/\r$/, '');
    if (!line.trim()) continue;
    const eq = line.indexOf('=');
    const key = eq === -1 ? line.trim() : line.slice(0, eq).trim();
    if (eq === -1 || !key) return { labels, error: `Labels line ${i + 1}: expected name=value` };
    if (key in labels) return { labels, error: `Labels line ${i + 1}: ${key} is given twice` };
    labels[key] = line.slice(eq + 1);
  }
  return { labels };
}

/** Exit codes as "125, 126, 127". */
export function codesToText(field: string, v: unknown): string {
  if (v === undefined) return '';
  if (!Array.isArray(v) || !v.every((c) => typeof c === 'number')) throw new Unrepresentable(field, 'expected a list of exit codes');
  return v.join(', ');
}

/** Each token as a number when it reads as one; the schema names anything else. */
export function textToCodes(text: string): (number | string)[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(numberOrText);
}
