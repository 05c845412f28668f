// Small JSON files of the shell (window state, when the user last looked): a missing or broken
// file reads as undefined and a failed write is dropped; neither is worth bothering the user over.
import { readFileSync, writeFileSync } from 'node:fs';

export function readJsonFile(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

export function writeJsonFile(path: string, value: unknown): void {
  try {
    writeFileSync(path, JSON.stringify(value));
  } catch {
    // The next start uses the defaults.
  }
}
