// Template files the specs drop on the window, one set per engine (Docker here has no bridge: network none).
import { TEST_IMAGE } from './env';

export type EngineKind = 'docker' | 'podman';

export interface DropFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

export const names = (engine: EngineKind) => ({
  hello: `e2e-hello-${engine}`,
  fail: `e2e-fail-${engine}`,
  slow: `e2e-slow-${engine}`,
});

/** A template file for Docker with no network (the test engines have no bridge); extra lines appended. */
export function templateYaml(name: string, command: string, extra: string[] = []): string {
  return [
    'apiVersion: jobdeck/v1',
    'kind: Template',
    `name: ${name}`,
    `image: ${TEST_IMAGE}`,
    'engine: docker',
    'network: none',
    'pullPolicy: IfNotPresent',
    `command: ${JSON.stringify(command)}`,
    ...extra,
  ].join('\n');
}

/** The same, as a file dropped on the window. */
export function templateDrop(name: string, command: string, extra: string[] = []): DropFile {
  return { name: `${name}.yaml`, mimeType: 'application/yaml', buffer: Buffer.from(templateYaml(name, command, extra)) };
}

/** Output spread over a few seconds, so lines are seen arriving while the job runs. */
export const HELLO_LINES = 8;

function yaml(name: string, engine: EngineKind, command: string, extra = ''): string {
  return [
    'apiVersion: jobdeck/v1',
    'kind: Template',
    `name: ${name}`,
    `description: end-to-end ${engine} template`,
    `image: ${TEST_IMAGE}`,
    `engine: ${engine}`,
    'network: none',
    'pullPolicy: IfNotPresent',
    `command: ${JSON.stringify(command)}`,
    extra,
  ]
    .filter(Boolean)
    .join('\n');
}

export function templateFiles(engine: EngineKind): DropFile[] {
  const n = names(engine);
  const file = (name: string, content: string): DropFile => ({ name, mimeType: 'application/yaml', buffer: Buffer.from(content) });
  return [
    file(
      `${n.hello}.yaml`,
      yaml(n.hello, engine, `for i in $(seq 1 ${HELLO_LINES}); do echo hello-line-$i; sleep 0.5; done; echo oops-on-stderr >&2`, 'env:\n  GREETING: hi\n  API_TOKEN: { value: s3cret-value, secret: true }'),
    ),
    file(`${n.fail}.yaml`, yaml(n.fail, engine, 'echo about-to-fail; exit 3', 'retry:\n  limit: 0')),
    file(`${n.slow}.yml`, yaml(n.slow, engine, 'echo slow-started; sleep 300')),
  ];
}

/** A file that must show up in the preview with its error, and not be saved. */
export const BAD_FILE: DropFile = {
  name: 'broken.yaml',
  mimeType: 'application/yaml',
  buffer: Buffer.from('apiVersion: jobdeck/v1\nkind: Template\nname: broken\nimage: jobdeck-test:latest\nlimits:\n  memory: -5\n'),
};
