import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

// bin/jobdeck.mjs in a checkout: the bundle is rebuilt when a source is newer than it (or was
// added or removed), and run as it is otherwise. Here with a stand-in builder and bundle.
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const OLD = new Date('2026-01-01T00:00:00Z');
const BUILT = new Date('2026-01-02T00:00:00Z');
const LATER = new Date('2026-01-03T00:00:00Z');

function checkout(): string {
  const root = mkdtempSync(join(tmpdir(), 'jobdeck-stale-'));
  dirs.push(root);
  for (const d of ['bin', 'src/cli', 'src/shared/deep', 'src/main/core', 'out/cli']) mkdirSync(join(root, d), { recursive: true });
  copyFileSync(join(process.cwd(), 'bin/jobdeck.mjs'), join(root, 'bin/jobdeck.mjs'));
  // The stand-in builder writes a bundle that says it was rebuilt.
  writeFileSync(
    join(root, 'bin/build-cli.mjs'),
    "import { writeFileSync } from 'node:fs';\nexport async function buildCli() { writeFileSync(new URL('../out/cli/jobdeck.mjs', import.meta.url), \"process.stdout.write('rebuilt')\\n\"); }\n",
  );
  writeFileSync(join(root, 'src/cli/main.ts'), '');
  writeFileSync(join(root, 'src/shared/deep/a.ts'), '');
  writeFileSync(join(root, 'src/shared/deep/b.ts'), '');
  writeFileSync(join(root, 'out/cli/jobdeck.mjs'), "process.stdout.write('as built')\n");
  for (const p of ['bin/jobdeck.mjs', 'bin/build-cli.mjs', 'bin', 'src/cli/main.ts', 'src/cli', 'src/shared/deep/a.ts', 'src/shared/deep/b.ts', 'src/shared/deep', 'src/shared', 'src/main/core', 'src/main', 'src']) {
    utimesSync(join(root, p), OLD, OLD);
  }
  utimesSync(join(root, 'out/cli/jobdeck.mjs'), BUILT, BUILT);
  return root;
}
const run = (root: string) => execFileSync(process.execPath, [join(root, 'bin/jobdeck.mjs')], { encoding: 'utf8' });

describe('bin/jobdeck.mjs in a checkout', () => {
  it('runs the bundle as built when no source is newer (sources it does not have are no change)', () => {
    expect(run(checkout())).toBe('as built');
  });

  it('rebuilds when a file deep in the sources was written after the build', () => {
    const root = checkout();
    utimesSync(join(root, 'src/shared/deep/b.ts'), LATER, LATER);
    expect(run(root)).toBe('rebuilt');
  });

  it('rebuilds when a source file was removed (its directory changed)', () => {
    const root = checkout();
    unlinkSync(join(root, 'src/shared/deep/a.ts'));
    expect(run(root)).toBe('rebuilt');
  });

  it('builds when there is no bundle', () => {
    const root = checkout();
    unlinkSync(join(root, 'out/cli/jobdeck.mjs'));
    expect(run(root)).toBe('rebuilt');
  });
});
