#!/usr/bin/env node
// The `jobdeck` command (package.json "bin"): runs the bundled CLI, out/cli/jobdeck.mjs. In a
// checkout (src/cli is there) it first builds the bundle when it is missing or older than the
// sources, so `npx jobdeck` works right after `npm install`; a packaged app ships it built.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundle, root } from './build-cli.mjs';

if (existsSync(join(root, 'src', 'cli', 'main.ts'))) {
  const { buildCli, isStale } = await import('./build-cli.mjs');
  if (isStale()) await buildCli();
}
await import(pathToFileURL(bundle).href);
