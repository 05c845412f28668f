// The YAML tab's checking: each problem at its line and column, the node it is about, as the user types.
import { describe, expect, it } from 'vitest';
import { checkYaml, toYaml } from '../../src/renderer/src/components/yaml/yamlIssues';

const where = (text: string) => {
  const r = checkYaml(text);
  return r.problems.map((p) => ({ line: p.line, col: p.col, path: p.path, text: text.slice(p.from, p.to), message: p.message }));
};

describe('YAML errors at their line and column', () => {
  it('a bad value is marked at the value', () => {
    const text = 'name: y-one\nimage: busybox\nretry:\n  limit: 500\npriority: 9\n';
    expect(where(text)).toEqual([
      { line: 4, col: 10, path: 'retry.limit', text: '500', message: 'Retries must be a whole number from 0 to 100' },
      { line: 5, col: 11, path: 'priority', text: '9', message: 'Priority must be 1 (highest) to 5 (lowest)' },
    ]);
  });

  it('an item of a list, by its index', () => {
    const text = 'name: y-two\nimage: busybox\nenv:\n  - name: OK\n    value: a\n  - name: 9bad\n    value: b\n';
    expect(where(text)).toEqual([
      { line: 6, col: 11, path: 'env[1].name', text: '9bad', message: 'Variable names use letters, digits and _, and do not start with a digit' },
    ]);
  });

  it('an unknown key is marked at the key; a missing one at the document', () => {
    const text = 'name: y-three\nimage: busybox\nimagePullPolicy: Always\n';
    expect(where(text)).toEqual([{ line: 3, col: 1, path: '(root)', text: 'imagePullPolicy', message: 'imagePullPolicy: not a Jobdeck template field' }]);
    const missing = where('name: y-four\n');
    expect(missing).toMatchObject([{ line: 1, col: 1, path: 'image', message: 'Image is required' }]);
  });

  it('a syntax error says where, and is not a schema verdict', () => {
    const r = checkYaml('name: y-five\nimage: [busybox\n');
    expect(r.syntaxOk).toBe(false);
    expect(r.problems[0]).toMatchObject({ line: expect.any(Number), path: '' });
    expect(r.problems[0]!.line).toBeGreaterThanOrEqual(2);
  });

  it('a valid document has no problems and gives the document; toYaml reads back the same', () => {
    const doc = { name: 'y-six', image: 'busybox', command: ['sh', '-c', 'echo "hi"\nexit 3'], labels: { a: 'b' } };
    const r = checkYaml(toYaml(doc));
    expect(r).toEqual({ syntaxOk: true, doc, problems: [] });
  });

  it('a pasted export file reads as its template: the apiVersion and kind header is not a field', () => {
    const r = checkYaml('apiVersion: jobdeck/v1\nkind: Template\nname: y-seven\nimage: busybox\n');
    expect(r).toEqual({ syntaxOk: true, doc: { name: 'y-seven', image: 'busybox' }, problems: [] });
    expect(where('apiVersion: batch/v1\nkind: Job\nname: y-eight\nimage: busybox\n')[0]!.message).toBe('apiVersion, kind: not a Jobdeck template field');
  });
});
