// A test Kubernetes API server: the few endpoints Jobdeck's Kubernetes executor uses, on
// 127.0.0.1, each body checked by kubernetes-models' OpenAPI validators. Not a cluster: one
// namespace-keyed object store, watches with resource versions, a Job controller just big enough
// (one pod per Job, activeDeadlineSeconds, Background deletion, owner references), and a kubelet
// (k8sKubelet.ts) that runs each pod's container on the local Docker engine.
import Docker from 'dockerode';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DeleteOptions } from '@kubernetes-models/apimachinery/apis/meta/v1/DeleteOptions';
import { API_VERSION, DISCOVERY, json, KIND_NAME, matchLabels, readBody, send, status, validate, writeKubeconfig, type Kind } from './k8sApiHttp';
import { Kubelet, type Obj } from './k8sKubelet';

export type { Obj };
export { matchLabels };

interface Event {
  rv: number;
  kind: Kind;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: Obj;
}

interface OpenWatch {
  kind: Kind;
  namespace: string;
  selector: (o: Obj) => boolean;
  res: ServerResponse;
}

/** What the server received: every request with its parsed body (tests assert on it). */
export interface Received {
  method: string;
  path: string;
  body?: Obj;
}

export interface K8sApiServer {
  url: string;
  /** A kubeconfig file naming this server as context `test` in `namespace`. */
  kubeconfig: string;
  namespace: string;
  received: Received[];
  /** The objects of a kind in the namespace now. */
  list(kind: Kind): Obj[];
  /** End every open watch (as an API server restart or a load balancer would). */
  dropWatches(): void;
  /** Forget the history: a watch from any resource version seen so far gets 410 Gone; open watches are dropped. */
  expireHistory(): void;
  /** End every open log follow early (as a kubelet or proxy may): the client must follow again from its last stamp. Abrupt: the connection is reset instead. */
  cutLogs(how?: 'end' | 'reset'): void;
  /** Log follows open now. */
  openLogs(): number;
  /** Containers the kubelet runs now (their Docker ids). */
  containers(): Promise<string[]>;
  /** The API server goes away (every connection cut, the port closed) while its pods' containers run on. */
  goAway(): Promise<void>;
  /** Back on the same port, with everything it had. */
  comeBack(): Promise<void>;
  close(): Promise<void>;
}

export interface K8sApiServerOptions {
  dir: string;
  namespace?: string;
  docker?: Docker;
  /** Label on every container the kubelet makes, so a test can find its own (default a random one). */
  containerLabel?: string;
}

export async function startK8sApiServer(options: K8sApiServerOptions): Promise<K8sApiServer> {
  const namespace = options.namespace ?? 'jobdeck-test';
  const docker = options.docker ?? new Docker({ socketPath: '/var/run/docker.sock' });
  const containerLabel = options.containerLabel ?? `jobdeck-k8s-test-${randomBytes(4).toString('hex')}`;
  const store: Record<Kind, Map<string, Obj>> = { jobs: new Map(), pods: new Map(), secrets: new Map() };
  const history: Event[] = [];
  const watches = new Set<OpenWatch>();
  const follows = new Map<ServerResponse, { destroy(): void; unpipe(): void }>();
  const received: Received[] = [];
  let rv = 1;
  /** Watches from below this resource version get 410 Gone. */
  let oldest = 0;
  const timers = new Set<ReturnType<typeof setTimeout>>();

  const key = (ns: string, name: string) => `${ns}/${name}`;
  const emit = (kind: Kind, type: Event['type'], object: Obj) => {
    const event: Event = { rv: Number(object.metadata.resourceVersion), kind, type, object: structuredClone(object) };
    history.push(event);
    for (const w of watches) {
      if (w.kind === kind && w.namespace === object.metadata.namespace && w.selector(object)) send(w.res, type, event.object);
    }
  };
  const put = (kind: Kind, object: Obj, type: 'ADDED' | 'MODIFIED') => {
    object.metadata.resourceVersion = String(++rv);
    store[kind].set(key(object.metadata.namespace, object.metadata.name), object);
    emit(kind, type, object);
  };
  const remove = (kind: Kind, ns: string, name: string): Obj | undefined => {
    const object = store[kind].get(key(ns, name));
    if (!object) return undefined;
    store[kind].delete(key(ns, name));
    object.metadata.resourceVersion = String(++rv);
    emit(kind, 'DELETED', object);
    return object;
  };
  const get = (kind: Kind, ns: string, name: string) => store[kind].get(key(ns, name));

  const kubelet = new Kubelet(docker, containerLabel, {
    secret: (ns, name) => get('secrets', ns, name),
    pod: (ns, name) => get('pods', ns, name),
    update: (pod) => {
      if (get('pods', pod.metadata.namespace, pod.metadata.name)) put('pods', pod, 'MODIFIED');
      jobController(pod);
    },
    removed: (pod) => remove('pods', pod.metadata.namespace, pod.metadata.name),
  });

  /** The Job's status follows its one pod, as the Job controller's with backoffLimit 0. */
  function jobController(pod: Obj): void {
    const owner = (pod.metadata.ownerReferences as Obj[] | undefined)?.find((o) => o.kind === 'Job');
    const job = owner && get('jobs', pod.metadata.namespace, owner.name);
    if (!job || finished(job)) return;
    const phase = pod.status?.phase;
    const now = new Date().toISOString();
    if (phase === 'Running' && !job.status.active) {
      job.status = { ...job.status, active: 1, ready: 1 };
      put('jobs', job, 'MODIFIED');
    } else if (phase === 'Succeeded' || phase === 'Failed') {
      const ok = phase === 'Succeeded';
      job.status = {
        ...job.status,
        active: 0,
        ready: 0,
        ...(ok ? { succeeded: 1, completionTime: now } : { failed: 1 }),
        conditions: [
          ok
            ? { type: 'Complete', status: 'True', lastTransitionTime: now, lastProbeTime: now }
            : { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastTransitionTime: now, lastProbeTime: now },
        ],
      };
      put('jobs', job, 'MODIFIED');
    }
  }

  const finished = (job: Obj) => (job.status?.conditions as Obj[] | undefined)?.some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');

  function createJob(ns: string, body: Obj): Obj {
    const now = new Date().toISOString();
    const uid = randomUUID();
    const job: Obj = structuredClone(body);
    job.metadata = { ...job.metadata, namespace: ns, uid, creationTimestamp: now };
    job.status = { startTime: now, active: 0 };
    put('jobs', job, 'ADDED');
    const template = job.spec.template as Obj;
    const pod: Obj = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `${job.metadata.name}-${randomBytes(3).toString('hex').slice(0, 5)}`,
        namespace: ns,
        uid: randomUUID(),
        creationTimestamp: now,
        labels: { ...(template.metadata?.labels ?? {}), 'batch.kubernetes.io/job-name': job.metadata.name, 'job-name': job.metadata.name, 'controller-uid': uid },
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name, uid, controller: true, blockOwnerDeletion: true }],
      },
      spec: structuredClone(template.spec),
      status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: now }] },
    };
    put('pods', pod, 'ADDED');
    kubelet.run(pod);
    const deadline = job.spec.activeDeadlineSeconds as number | undefined;
    if (deadline) {
      // The Job controller's deadline: the pods go, the Job fails with DeadlineExceeded.
      const timer = setTimeout(() => {
        timers.delete(timer);
        const current = get('jobs', ns, job.metadata.name);
        if (!current || current.metadata.uid !== uid || finished(current)) return;
        const at = new Date().toISOString();
        current.status = {
          ...current.status,
          active: 0,
          failed: 1,
          conditions: [{ type: 'Failed', status: 'True', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline', lastTransitionTime: at, lastProbeTime: at }],
        };
        put('jobs', current, 'MODIFIED');
        for (const p of podsOf(ns, uid)) deletePod(p);
      }, deadline * 1000);
      timers.add(timer);
    }
    return job;
  }

  const podsOf = (ns: string, uid: string) =>
    [...store.pods.values()].filter((p) => p.metadata.namespace === ns && (p.metadata.ownerReferences as Obj[] | undefined)?.some((o) => o.uid === uid));

  function deletePod(pod: Obj): void {
    if (pod.metadata.deletionTimestamp) return;
    pod.metadata.deletionTimestamp = new Date().toISOString();
    put('pods', pod, 'MODIFIED');
    void kubelet.kill(pod, (pod.spec.terminationGracePeriodSeconds as number | undefined) ?? 30);
  }

  function deleteJob(ns: string, name: string, policy: string): Obj | undefined {
    const job = remove('jobs', ns, name);
    if (!job) return undefined;
    if (policy !== 'Orphan') {
      // The garbage collector: what the Job owns goes with it.
      for (const p of podsOf(ns, job.metadata.uid)) deletePod(p);
      for (const s of [...store.secrets.values()]) {
        if (s.metadata.namespace === ns && (s.metadata.ownerReferences as Obj[] | undefined)?.some((o) => o.uid === job.metadata.uid)) remove('secrets', ns, s.metadata.name);
      }
    }
    return job;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const raw = await readBody(req);
    let body: Obj | undefined;
    if (raw) {
      try {
        body = JSON.parse(raw) as Obj;
      } catch {
        return status(res, 400, 'BadRequest', 'the body is not JSON');
      }
    }
    received.push({ method: req.method ?? 'GET', path: url.pathname + url.search, ...(body ? { body } : {}) });
    if (url.pathname === '/version') return json(res, 200, { major: '1', minor: '31', gitVersion: 'v1.31.0-jobdeck-test', platform: 'linux/amd64' });
    // Discovery, for kubectl (legacy form: kubectl falls back to it from aggregated discovery).
    const discovery = DISCOVERY[url.pathname];
    if (discovery && req.method === 'GET') return json(res, 200, discovery);
    // CronJobs only as a server-side dry run (`kubectl create --dry-run=server`): checked, never stored.
    const cron = /^\/apis\/batch\/v1\/namespaces\/[^/]+\/cronjobs$/.test(url.pathname);
    if ((cron || url.searchParams.get('dryRun') === 'All') && req.method === 'POST') {
      if (url.searchParams.get('dryRun') !== 'All') return status(res, 405, 'MethodNotAllowed', 'CronJobs are only dry-run here');
      const kind = cron ? 'cronjobs' : (/\/(jobs|secrets)$/.exec(url.pathname)?.[1] as Kind | undefined);
      if (!kind || kind === 'pods') return status(res, 405, 'MethodNotAllowed', 'not served');
      const problem = validate(kind, body);
      if (problem) return status(res, 422, 'Invalid', `${KIND_NAME[kind]} "${String(body?.metadata?.name)}" is invalid: ${problem}`);
      return json(res, 201, body);
    }
    const m = /^\/(?:api\/v1|apis\/batch\/v1)\/namespaces\/([^/]+)\/(jobs|pods|secrets)(?:\/([^/]+))?(?:\/(log))?$/.exec(url.pathname);
    if (!m) return status(res, 404, 'NotFound', `the server could not find the requested resource (${url.pathname})`);
    const [, ns, kindText, name, sub] = m as unknown as [string, string, Kind, string | undefined, string | undefined];
    const kind = kindText;
    if (url.pathname.startsWith('/api/v1/') === (kind === 'jobs')) return status(res, 404, 'NotFound', `${kind} are not served under this group`);
    const method = req.method ?? 'GET';
    if (sub === 'log' && name && kind === 'pods') return podLog(ns, name, url, res);
    if (!name && method === 'POST') {
      if (kind === 'pods') return status(res, 405, 'MethodNotAllowed', 'pods are made by the Job controller here');
      const problem = validate(kind, body);
      if (problem) return status(res, 422, 'Invalid', `${KIND_NAME[kind]} "${String(body?.metadata?.name)}" is invalid: ${problem}`);
      const n = body!.metadata?.name as string | undefined;
      if (!n) return status(res, 422, 'Invalid', `${KIND_NAME[kind]} is invalid: metadata.name: Required value`);
      if (get(kind, ns, n)) return status(res, 409, 'AlreadyExists', `${kind}.${kind === 'jobs' ? 'batch ' : ''}"${n}" already exists`);
      if (kind === 'jobs') return json(res, 201, createJob(ns, body!));
      const secret: Obj = { ...structuredClone(body!), metadata: { ...body!.metadata, namespace: ns, uid: randomUUID(), creationTimestamp: new Date().toISOString() } };
      put('secrets', secret, 'ADDED');
      return json(res, 201, secret);
    }
    if (!name && method === 'GET') {
      const labels = matchLabels(url.searchParams.get('labelSelector'));
      const field = url.searchParams.get('fieldSelector');
      const byName = field?.startsWith('metadata.name=') ? field.slice('metadata.name='.length) : undefined;
      if (field && byName === undefined) return status(res, 400, 'BadRequest', `field selector ${field} is not served here (only metadata.name=)`);
      const selector = (o: Obj) => labels(o) && (byName === undefined || o.metadata.name === byName);
      if (url.searchParams.get('watch') === 'true') return watch(kind, ns, selector, url.searchParams.get('resourceVersion'), res);
      const items = [...store[kind].values()].filter((o) => o.metadata.namespace === ns && selector(o));
      return json(res, 200, { apiVersion: API_VERSION[kind], kind: `${KIND_NAME[kind]}List`, metadata: { resourceVersion: String(rv) }, items });
    }
    if (name && method === 'GET') {
      const o = get(kind, ns, name);
      return o ? json(res, 200, o) : status(res, 404, 'NotFound', `${kind} "${name}" not found`);
    }
    if (name && method === 'DELETE') {
      if (body) {
        try {
          new DeleteOptions(body as ConstructorParameters<typeof DeleteOptions>[0]).validate();
        } catch (error) {
          return status(res, 422, 'Invalid', `DeleteOptions is invalid: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      const policy = url.searchParams.get('propagationPolicy') ?? (body?.propagationPolicy as string | undefined) ?? (kind === 'jobs' ? 'Orphan' : 'Background');
      const o = get(kind, ns, name);
      if (!o) return status(res, 404, 'NotFound', `${kind} "${name}" not found`);
      if (kind === 'jobs') deleteJob(ns, name, policy);
      else if (kind === 'pods') deletePod(o);
      else remove('secrets', ns, name);
      return json(res, 200, { kind: 'Status', apiVersion: 'v1', status: 'Success', details: { name, kind } });
    }
    return status(res, 405, 'MethodNotAllowed', `${method} is not served for ${kind}`);
  }

  function watch(kind: Kind, ns: string, selector: (o: Obj) => boolean, from: string | null, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    const since = from ? Number(from) : 0;
    if (since && since < oldest) {
      res.end(JSON.stringify({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `too old resource version: ${since} (${oldest})`, reason: 'Expired', code: 410 } }) + '\n');
      return;
    }
    const w: OpenWatch = { kind, namespace: ns, selector, res };
    if (!since) {
      for (const o of store[kind].values()) if (o.metadata.namespace === ns && selector(o)) send(res, 'ADDED', o);
    } else {
      for (const e of history) if (e.rv > since && e.kind === kind && e.object.metadata.namespace === ns && selector(e.object)) send(res, e.type, e.object);
    }
    watches.add(w);
    res.on('close', () => watches.delete(w));
  }

  function podLog(ns: string, name: string, url: URL, res: ServerResponse): void {
    const pod = get('pods', ns, name);
    if (!pod) return status(res, 404, 'NotFound', `pods "${name}" not found`);
    const follow = url.searchParams.get('follow') === 'true';
    // The API server takes sinceTime as RFC3339 and hands it on to the kubelet at whole seconds
    // (opts.SinceTime.Format(time.RFC3339)): a follow again from a stamp replays that whole second.
    const sinceParam = url.searchParams.get('sinceTime');
    const sinceMs = sinceParam === null ? undefined : Date.parse(sinceParam);
    if (sinceMs !== undefined && Number.isNaN(sinceMs)) return status(res, 400, 'BadRequest', `sinceTime: Invalid value: "${sinceParam}": not an RFC3339 time`);
    const sinceTime = sinceMs === undefined ? undefined : new Date(Math.floor(sinceMs / 1000) * 1000).toISOString();
    const stream = kubelet.logs(pod, { follow, timestamps: url.searchParams.get('timestamps') === 'true', ...(sinceTime ? { sinceTime } : {}) });
    if (!stream) {
      const waiting = (pod.status?.containerStatuses as Obj[] | undefined)?.[0]?.state?.waiting as Obj | undefined;
      return status(res, 400, 'BadRequest', `container "${String(pod.spec.containers[0].name)}" in pod "${name}" is waiting to start: ${String(waiting?.reason ?? 'ContainerCreating')}`);
    }
    res.writeHead(200, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' });
    stream.pipe(res);
    if (follow) follows.set(res, stream);
    res.on('close', () => {
      follows.delete(res);
      stream.destroy();
    });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => status(res, 500, 'InternalError', error instanceof Error ? error.message : String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const kubeconfig = join(options.dir, 'kubeconfig');
  writeKubeconfig(kubeconfig, url, namespace);

  return {
    url,
    kubeconfig,
    namespace,
    received,
    list: (kind) => [...store[kind].values()].filter((o) => o.metadata.namespace === namespace),
    dropWatches() {
      for (const w of [...watches]) w.res.destroy();
      watches.clear();
    },
    expireHistory() {
      oldest = rv;
      history.length = 0;
      for (const w of [...watches]) w.res.destroy();
      watches.clear();
    },
    cutLogs(how = 'end') {
      for (const [res, stream] of [...follows]) {
        stream.unpipe();
        stream.destroy();
        if (how === 'reset') res.socket?.destroy();
        else res.end();
      }
      follows.clear();
    },
    openLogs: () => follows.size,
    containers: () => kubelet.containerIds(),
    async goAway() {
      for (const w of [...watches]) w.res.destroy();
      watches.clear();
      for (const [res, stream] of [...follows]) {
        stream.destroy();
        res.socket?.destroy();
      }
      follows.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
    async comeBack() {
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
    async close() {
      if (!server.listening) return kubelet.close();
      for (const t of timers) clearTimeout(t);
      for (const w of [...watches]) w.res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await kubelet.close();
    },
  };
}
