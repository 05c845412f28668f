// Bundles src/cli/main.ts into out/cli/jobdeck.mjs with esbuild (dependencies stay in
// node_modules, as in the app's own build). `npm run build` runs it; bin/jobdeck.mjs runs it in
// a checkout when the bundle is missing or older than the sources.
import process from 'node:process';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const bundle = join(root, 'out', 'cli', 'jobdeck.mjs');
/** What the CLI is made of: a change in any of them makes the bundle stale. */
const SOURCES = ['src/cli', 'src/shared', 'src/main/core', 'src/main/ipc', 'src/main/socket'];

function newest(dir) {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export function isStale() {
  let built;
  try {
    built = statSync(bundle).mtimeMs;
  } catch {
    return true;
  }
  return SOURCES.some((s) => newest(join(root, s)) > built);
}

export async function buildCli() {
  const { build } = await import('esbuild');
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const result = await build({
    entryPoints: [join(root, 'src/cli/main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Plain-JavaScript libraries are bundled in: one file loads faster than Node resolving the
    // hundreds of files of zod, commander, yaml. The core's engine and store libraries stay in
    // node_modules (only a core of our own loads them).
    external: ['dockerode', 'lowdb', 'lowdb/node', 'tar-stream', 'ws'],
    write: false,
    logLevel: 'error',
    // The core (a chunk of its own) loads only when no app answers: talking to the app stays quick.
    splitting: true,
    outdir: dirname(bundle),
    entryNames: 'jobdeck',
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    // Minified: V8 compiles the bundle at every start, and a third of the text compiles faster.
    minify: true,
    keepNames: false,
    define: { JOBDECK_VERSION: JSON.stringify(version) },
    // Bundled CommonJS (commander, shell-quote) calls require() for Node's own modules.
    banner: { js: "// Built from src/cli by bin/build-cli.mjs: do not edit.\nimport { createRequire as __jobdeckRequire } from 'node:module';\nconst require = __jobdeckRequire(import.meta.url);" },
  });
  // Chunks first, the entry last: a bundle that is there has its chunks. Two commands building at
  // once each write whole files; the renames make one of them the bundle.
  const files = [...result.outputFiles].sort((a, b) => Number(a.path === bundle) - Number(b.path === bundle));
  for (const f of files) {
    mkdirSync(dirname(f.path), { recursive: true });
    const temp = `${f.path}.${process.pid}.tmp`;
    writeFileSync(temp, f.contents);
    renameSync(temp, f.path);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await buildCli();
