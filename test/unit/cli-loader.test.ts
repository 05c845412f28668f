import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

// bin/cli-loader.mjs (out/cli/jobdeck.mjs in a build) runs out/cli/cli.cjs with V8's code cache.
// Here it runs a small stand-in bundle in a temp dir, as node would run the real one.
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function layout(bundle: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'jobdeck-loader-'));
  dirs.push(dir);
  copyFileSync(join(process.cwd(), 'bin/cli-loader.mjs'), join(dir, 'jobdeck.mjs'));
  writeFileSync(join(dir, 'cli.cjs'), bundle);
  writeFileSync(join(dir, 'beside.mjs'), 'export const word = "beside";\n');
  return dir;
}
const run = (dir: string) => execFileSync(process.execPath, [join(dir, 'jobdeck.mjs'), 'a', 'b'], { encoding: 'utf8' });
const caches = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.v8cache'));
// Prints its name, its arguments, and a word from an ES module beside it (the local core's way).
const bundle = (name: string) =>
  `globalThis.__jobdeckImportBeside('./beside.mjs').then((m) => process.stdout.write(${JSON.stringify(name)} + ' ' + process.argv.slice(2).join(',') + ' ' + m.word + ' ' + typeof require + ' ' + typeof __filename));\n`;

describe('the CLI loader', () => {
  it('runs the bundle, keeps V8\'s code cache beside it at the first exit, and uses it after', () => {
    const dir = layout(bundle('one'));
    expect(run(dir)).toBe('one a,b beside function string');
    expect(caches(dir)).toHaveLength(1);
    const made = statSync(join(dir, caches(dir)[0]!)).mtimeMs;
    // With the cache (V8 accepts it: nothing is written again), import() still works.
    expect(run(dir)).toBe('one a,b beside function string');
    expect(statSync(join(dir, caches(dir)[0]!)).mtimeMs).toBe(made);
  });

  it('never runs a rebuilt bundle from the cache of the one before, even one of the same length', () => {
    const dir = layout(bundle('one'));
    run(dir);
    const before = caches(dir);
    // V8 checks a cache against the source's length alone: same length, other code.
    writeFileSync(join(dir, 'cli.cjs'), bundle('two'));
    expect(run(dir)).toBe('two a,b beside function string');
    expect(caches(dir)).toHaveLength(1);
    expect(caches(dir)).not.toEqual(before);
  });
});
