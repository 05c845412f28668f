// The test API server's HTTP side: discovery documents (what kubectl asks first), label
// selectors, the validators, Status bodies, and the kubeconfig naming the server.
import { writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Secret } from 'kubernetes-models/v1/Secret';
import type { Obj } from './k8sKubelet';

export type Kind = 'jobs' | 'pods' | 'secrets';
export const KIND_NAME: Record<Kind | 'cronjobs', string> = { jobs: 'Job', pods: 'Pod', secrets: 'Secret', cronjobs: 'CronJob' };
const verbs = ['create', 'delete', 'get', 'list', 'watch'];
export const DISCOVERY: Record<string, unknown> = {
  '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] },
  '/apis': {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [{ name: 'batch', versions: [{ groupVersion: 'batch/v1', version: 'v1' }], preferredVersion: { groupVersion: 'batch/v1', version: 'v1' } }],
  },
  '/api/v1': {
    kind: 'APIResourceList',
    groupVersion: 'v1',
    resources: [
      { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs },
      { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] },
      { name: 'secrets', singularName: 'secret', namespaced: true, kind: 'Secret', verbs },
    ],
  },
  '/apis/batch/v1': {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: 'batch/v1',
    resources: [
      { name: 'jobs', singularName: 'job', namespaced: true, kind: 'Job', verbs },
      { name: 'cronjobs', singularName: 'cronjob', namespaced: true, kind: 'CronJob', shortNames: ['cj'], verbs: ['create'] },
    ],
  },
};
export const API_VERSION: Record<Kind, string> = { jobs: 'batch/v1', pods: 'v1', secrets: 'v1' };

/** The selector forms the executor uses: `a=b,c=d` and `a` (exists). */
export function matchLabels(selector: string | null): (o: Obj) => boolean {
  if (!selector) return () => true;
  const terms = selector.split(',').map((t) => t.trim()).filter(Boolean);
  return (o) => {
    const labels = (o.metadata?.labels ?? {}) as Record<string, string>;
    return terms.every((t) => {
      const [k, v] = t.split('=');
      return v === undefined ? k! in labels : labels[k!] === v;
    });
  };
}

export function validate(kind: Kind | 'cronjobs', body: Obj | undefined): string | undefined {
  if (!body) return 'the body is missing';
  try {
    if (kind === 'jobs') new Job(body as ConstructorParameters<typeof Job>[0]).validate();
    else if (kind === 'cronjobs') new CronJob(body as ConstructorParameters<typeof CronJob>[0]).validate();
    else new Secret(body as ConstructorParameters<typeof Secret>[0]).validate();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export function send(res: ServerResponse, type: string, object: Obj): void {
  res.write(JSON.stringify({ type, object }) + '\n');
}

export function json(res: ServerResponse, code: number, body: unknown): void {
  if (res.headersSent) return void res.end();
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export function status(res: ServerResponse, code: number, reason: string, message: string): void {
  json(res, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (data += c));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

/** A kubeconfig naming the server as context `test` in `namespace` (plain http on loopback). */
export function writeKubeconfig(kubeconfig: string, url: string, namespace: string): void {
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: test',
      '  cluster:',
      `    server: ${url}`,
      // Plain http on loopback: client-node allows it only with this set.
      '    insecure-skip-tls-verify: true',
      'users:',
      '- name: test',
      '  user:',
      '    token: jobdeck-test-token',
      'contexts:',
      '- name: test',
      '  context:',
      '    cluster: test',
      '    user: test',
      `    namespace: ${namespace}`,
      'current-context: test',
      '',
    ].join('\n'),
  );
}
