// out/cli/jobdeck.mjs (copied there by bin/build-cli.mjs): runs the CLI bundle out/cli/cli.cjs
// with V8's code cache. Compiling the bundle is a fifth of a command's CPU at every start, and
// Node 20 keeps no compile cache of its own (module.enableCompileCache is Node 22), so the
// bundle runs as a vm.Script given the bytes V8 made the last time (out/cli/cli-*.v8cache, made
// at the exit of the first command after a build and again whenever V8 rejects them: another
// Node or other V8 flags). The cache is trusted code: it is kept only beside the bundle, in the
// same directory the bundle's owner writes, never in a shared temp dir; where that directory is
// read-only (a packaged app) the bundle runs as it is, compiled at each start.
import { readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import vm from 'node:vm';

const here = dirname(fileURLToPath(import.meta.url));
const bundle = join(here, 'cli.cjs');
const source = readFileSync(bundle, 'utf8');
// V8 checks a cache against the source's length only: the name carries the bundle's size and
// time too, so a rebuilt bundle never meets the bytes of the one before.
const { size, mtimeMs } = statSync(bundle);
const cacheName = `cli-${size}-${Math.round(mtimeMs)}-${process.version}-${process.arch}.v8cache`;
const cacheFile = join(here, cacheName);
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  // none yet: made at this command's exit
}
const script = new vm.Script(Module.wrap(source), { filename: bundle, ...(cachedData ? { cachedData } : {}) });
// The bundle's one import() (the local core, localCore.mjs, an ES module) is made here: a
// vm.Script's own import() needs an experimental option, and Node 20 loses it with a code cache.
globalThis.__jobdeckImportBeside = (file) => import(new URL(file, import.meta.url).href);
if (!cachedData || script.cachedDataRejected) {
  // At the exit, so the functions this command ran are compiled and kept as well.
  process.once('exit', () => {
    try {
      const temp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(temp, script.createCachedData());
      renameSync(temp, cacheFile);
      for (const f of readdirSync(here)) if (f.endsWith('.v8cache') && f !== cacheName) unlinkSync(join(here, f));
    } catch {
      // a read-only install: no cache, the bundle is compiled at each start as before
    }
  });
}
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, here);
