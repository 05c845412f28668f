// The built-in example templates: resources/examples/*.yaml, each opening with a one-line
// comment that says what it shows. Read with the same importer as a dropped file.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExampleTemplate } from '../../../shared/ipc';
import { importTemplateFile } from './templateFiles';

/** The image every example names; where it is not to be had, the gallery offers a local one. */
export const EXAMPLE_IMAGE = 'busybox:1.36';

/**
 * resources/examples, found upwards from this module: src/main/core/templates in tests,
 * out/main in a build, app.asar/out/main in a package (resources/** is packed beside it).
 */
export function findExamplesDir(from = dirname(fileURLToPath(import.meta.url))): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'resources', 'examples');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Every example in file order; a file that does not read is a bug in the app, reported as one. */
export function readExamples(dir: string | undefined = findExamplesDir()): ExampleTemplate[] {
  if (!dir) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .flatMap((file) => {
      const content = readFileSync(join(dir, file), 'utf8');
      const parsed = importTemplateFile({ name: file, content });
      if (!parsed.ok) throw new Error(`example ${file} does not read: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
      const explanation = /^#\s*(.+)$/m.exec(content)?.[1]?.trim() ?? '';
      return parsed.templates.map((spec) => ({ file, explanation, spec }));
    });
}
