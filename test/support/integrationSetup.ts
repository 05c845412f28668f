import { buildIfNeeded } from './headlessHost';

/**
 * Before any integration file: the built app (out/), which cli.test.ts and npm-start.test.ts
 * both run and would each build when stale. The files run two at a time, and two builds of out/
 * at once would write over each other's files.
 */
export default function setup(): void {
  buildIfNeeded(process.cwd());
}
