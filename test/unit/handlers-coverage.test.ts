// Every command of the contract has a handler test: the names given to describeCommand in the
// handlers-*.test.ts files (each such block fails by itself if it never sends its command).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '../../src/shared/ipc';

/** The string literals passed first to describeCommand(...) in one source text (comments do not count). */
function coveredIn(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'describeCommand') {
      const [first] = node.arguments;
      if (first && ts.isStringLiteralLike(first)) found.push(first.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function uncovered(commands: readonly string[], files: { name: string; source: string }[]): string[] {
  const covered = new Set(files.flatMap((f) => coveredIn(f.name, f.source)));
  return commands.filter((c) => !covered.has(c));
}

const dir = join(process.cwd(), 'test', 'unit');
const handlerFiles = readdirSync(dir)
  .filter((f) => /^handlers-.+\.test\.ts$/.test(f) && f !== 'handlers-coverage.test.ts')
  .map((name) => ({ name, source: readFileSync(join(dir, name), 'utf8') }));

describe('handler tests cover the contract', () => {
  it('has a describeCommand block for every command in COMMAND_NAMES', () => {
    expect(handlerFiles.length).toBeGreaterThan(0);
    expect(uncovered(COMMAND_NAMES, handlerFiles)).toEqual([]);
  });

  it('names only commands that exist, each once', () => {
    const names = handlerFiles.flatMap((f) => coveredIn(f.name, f.source));
    expect(names.filter((n) => !(COMMAND_NAMES as readonly string[]).includes(n))).toEqual([]);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it('would notice a command without a test, and a block that is commented out', () => {
    const source = "describeCommand('jobs.get', () => {});\n// describeCommand('jobs.remove', () => {});\n";
    expect(uncovered(['jobs.get', 'jobs.remove', 'engines.add'], [{ name: 'x.test.ts', source }])).toEqual(['jobs.remove', 'engines.add']);
  });
});
