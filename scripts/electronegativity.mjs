// Runs Doyensec's electronegativity over src/ and fails on any finding above LOW that is not
// disabled inline (`// eng-disable CHECK_ID` on the flagged line, with the reason beside it).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const electron = require('electron/package.json').version;
const bin = process.execPath;
const scanner = join('node_modules', '@doyensec', 'electronegativity', 'dist', 'index.js');
const shim = join('scripts', 'electronegativity-commander.cjs');
const dir = mkdtempSync(join(tmpdir(), 'eng-'));
const csv = join(dir, 'findings.csv');
// -e: the scanner would otherwise ask the network for Electron's releases.
const run = spawnSync(bin, ['--require', `./${shim}`, scanner, '-i', 'src', '-r', '-v', 'false', '-e', electron, '-o', csv], { encoding: 'utf8' });
let text;
try {
  text = readFileSync(csv, 'utf8');
} catch {
  process.stderr.write(run.stdout + run.stderr);
  console.error('electronegativity did not write its report');
  process.exit(1);
} finally {
  setTimeout(() => rmSync(dir, { recursive: true, force: true }), 0);
}
const rows = text
  .split('\n')
  .slice(1)
  .filter((l) => /^[A-Z_]+_CHECK,/.test(l))
  .map((l) => {
    const [check, severity, confidence, file, location] = l.split(',').map((c) => c.replace(/^"|"$/g, ''));
    return { check, severity, confidence, file, location };
  });
const serious = rows.filter((r) => r.severity !== 'LOW' && r.severity !== 'INFORMATIONAL');
for (const r of rows) console.log(`${r.severity.padEnd(8)} ${r.check.padEnd(28)} ${r.file}:${r.location}`);
if (serious.length) {
  console.error(`electronegativity: ${serious.length} finding(s) above LOW; fix them or disable inline with the reason`);
  process.exit(1);
}
console.log(`electronegativity (Electron ${electron}): ${rows.length} finding(s), none above LOW`);
