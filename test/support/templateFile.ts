import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_IMAGE } from './testImage';

/** DIR/NAME.yaml: a template running `command` in the test image (never pulled, no network), and any more YAML given. */
export function templateFile(dir: string, name: string, command: string, extra = ''): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `apiVersion: jobdeck/v1\nkind: Template\nname: ${name}\nimage: ${TEST_IMAGE}\npullPolicy: Never\nnetwork: none\ncommand: ${JSON.stringify(command)}\n${extra}`);
  return file;
}
