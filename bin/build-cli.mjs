// Bundles src/cli with esbuild into out/cli: cli.cjs (the CLI), localCore.mjs (a core of its
// own, loaded only when no app answers) and jobdeck.mjs (bin/cli-loader.mjs, which runs cli.cjs
// with V8's code cache). Dependencies stay in node_modules, as in the app's own build.
// `npm run build` runs it; bin/jobdeck.mjs runs it in a checkout when the bundle is missing or
// older than the sources (bin/jobdeck.mjs holds that check).
import process from 'node:process';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const bundle = join(root, 'out', 'cli', 'jobdeck.mjs');
/**
 * zod re-exports all of its ~50 locales as `z.locales` (esbuild cannot drop the unused ones from
 * a namespace object): over half of zod's text in the bundle, compiled at every start. The CLI
 * speaks English only (zod's own default, set by zod itself), so the namespace holds `en` alone.
 */
const englishOnlyZod = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /[/\\]locales[/\\]index\.js$/ }, (args) =>
      /[/\\]zod[/\\]/.test(args.importer) ? { path: join(dirname(args.importer), args.path), namespace: 'zod-locales' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(join(dirname(args.path), 'en.js'))};`,
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};

/**
 * commander requires child_process as it loads, for executable subcommands (`git-foo` style),
 * which the CLI does not use: loading it is about a tenth of a command's start. In the bundle the
 * require is made when commander first spawns, which it never does here. A commander whose source
 * no longer has that line fails the build, so an upgrade does not quietly lose the shim.
 */
const commanderSpawnOnUse = {
  name: 'commander-spawn-on-use',
  setup(b) {
    b.onLoad({ filter: /[/\\]commander[/\\]lib[/\\]command\.js$/ }, (args) => {
      const line = "const childProcess = require('node:child_process');";
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes(line)) throw new Error(`${args.path}: no "${line}" to load on use (commander changed: see bin/build-cli.mjs)`);
      return { contents: source.replace(line, "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };"), loader: 'js' };
    });
  },
};

export async function buildCli() {
  const { build } = await import('esbuild');
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    // Plain-JavaScript libraries are bundled in: one file loads faster than Node resolving the
    // hundreds of files of zod, commander, yaml. The core's engine and store libraries stay in
    // node_modules (only a core of our own loads them).
    external: ['dockerode', 'lowdb', 'lowdb/node', 'tar-stream', 'ws'],
    write: false,
    logLevel: 'error',
    // Minified: what V8 compiles (when no code cache is at hand) is a third shorter.
    minify: true,
    keepNames: false,
    define: { JOBDECK_VERSION: JSON.stringify(version) },
    plugins: [englishOnlyZod],
  };
  const [cli, core] = await Promise.all([
    // The CLI proper: CommonJS, so that the loader can run it as a vm.Script with V8's code cache
    // (bin/cli-loader.mjs). A core of our own (localCore.ts) stays out of it: most commands reach
    // the app, and the bundle's size is what a start without a cache compiles.
    build({
      ...common,
      entryPoints: [join(root, 'src/cli/main.ts')],
      format: 'cjs',
      // import() of Node's own modules (readline, for a question) as require(): a vm.Script has no
      // import() of its own (see localCoreApart).
      supported: { 'dynamic-import': false },
      outfile: join(dirname(bundle), 'cli.cjs'),
      plugins: [...common.plugins, localCoreApart, commanderSpawnOnUse],
      // The core's files find the app's resources from import.meta.url: the bundle's own URL here.
      define: { ...common.define, 'import.meta.url': '__jobdeckUrl' },
      banner: { js: "// Built from src/cli by bin/build-cli.mjs: do not edit.\nconst __jobdeckUrl = require('node:url').pathToFileURL(__filename).href;" },
    }),
    // The core, loaded (by import()) only when no app answers: ESM, as the core's libraries are.
    build({
      ...common,
      entryPoints: [join(root, 'src/cli/localCore.ts')],
      format: 'esm',
      outfile: join(dirname(bundle), 'localCore.mjs'),
      // Bundled CommonJS (shell-quote) calls require() for Node's own modules.
      banner: { js: "// Built from src/cli by bin/build-cli.mjs: do not edit.\nimport { createRequire as __jobdeckRequire } from 'node:module';\nconst require = __jobdeckRequire(import.meta.url);" },
    }),
  ]);
  // The loader last: a loader that is there has its bundles. Two commands building at once each
  // write whole files; the renames make one of them the bundle.
  const files = [...cli.outputFiles, ...core.outputFiles, { path: bundle, contents: readFileSync(join(root, 'bin', 'cli-loader.mjs')) }];
  for (const f of files) {
    mkdirSync(dirname(f.path), { recursive: true });
    const temp = `${f.path}.${process.pid}.tmp`;
    writeFileSync(temp, f.contents);
    renameSync(temp, f.path);
  }
  // The chunks of the layout before this one (an ESM entry with split chunks).
  rmSync(join(dirname(bundle), 'chunks'), { recursive: true, force: true });
}

/**
 * `import('./localCore')` in main.ts: the core's own bundle beside the CLI's, not inside it. The
 * import is made by the loader (globalThis.__jobdeckImportBeside, bin/cli-loader.mjs): Node 20
 * loses a vm.Script's import() callback when the script comes from a code cache.
 */
const localCoreApart = {
  name: 'local-core-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/localCore$/ }, () => ({ path: 'localCore', namespace: 'local-core-apart' }));
    b.onLoad({ filter: /.*/, namespace: 'local-core-apart' }, () => ({
      contents: "export async function startLocalCore(...args) { return (await globalThis.__jobdeckImportBeside('./localCore.mjs')).startLocalCore(...args); }",
      loader: 'js',
    }));
  },
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await buildCli();
