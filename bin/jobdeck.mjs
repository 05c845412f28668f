#!/usr/bin/env node
// The `jobdeck` command (package.json "bin"): runs the bundled CLI, out/cli/jobdeck.mjs. In a
// checkout (src/cli is there) it first builds the bundle when it is missing or older than the
// sources, so `npx jobdeck` works right after `npm install`; a packaged app ships it built.
// The check runs before every command, so it is kept cheap: no module of its own to load (the
// builder, bin/build-cli.mjs, is imported only to build), and it stops at the first newer file.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'out', 'cli', 'jobdeck.mjs');
/** What the CLI is made of: a change in any of them makes the bundle stale. */
const SOURCES = ['src/cli', 'src/shared', 'src/main/core', 'src/main/ipc', 'src/main/socket', 'bin'];

/**
 * Whether anything under dir changed after `since` (ms): a file written, or one added or removed
 * (its directory's time). Paths joined by hand: path.join's normalising was most of the check.
 */
function changedSince(dir, since) {
  const own = statSync(dir, { throwIfNoEntry: false });
  if (!own) return false;
  if (own.mtimeMs > since) return true;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = `${dir}/${entry.name}`;
    if (entry.isDirectory() ? changedSince(p, since) : statSync(p).mtimeMs > since) return true;
  }
  return false;
}

function isStale() {
  const built = statSync(bundle, { throwIfNoEntry: false })?.mtimeMs;
  return built === undefined || SOURCES.some((s) => changedSince(`${root}/${s}`, built));
}

if (statSync(join(root, 'src', 'cli', 'main.ts'), { throwIfNoEntry: false }) && isStale()) {
  const { buildCli } = await import('./build-cli.mjs');
  await buildCli();
}
await import(pathToFileURL(bundle).href);
