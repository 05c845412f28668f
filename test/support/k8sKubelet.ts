// The test API server's kubelet: each pod's one container runs on the local Docker engine, and
// the pod's status says what a kubelet would (waiting with ErrImagePull / ImagePullBackOff /
// CreateContainerConfigError, running, terminated with exitCode, reason OOMKilled or Error).
import type Docker from 'dockerode';
import { PassThrough, type Readable } from 'node:stream';
import { oomKillAnnounced } from '../../src/main/core/engines/oomEvent';
import { parseCpus, parseMemory } from '../../src/shared/quantity';

// Kubernetes objects as JSON: the server keeps them as they came, checked by kubernetes-models.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = Record<string, any>;

export interface KubeletStore {
  secret(namespace: string, name: string): Obj | undefined;
  pod(namespace: string, name: string): Obj | undefined;
  /** The pod's status changed (the server stores it, and the Job controller looks). */
  update(pod: Obj): void;
  /** The pod's container is gone: the pod goes too. */
  removed(pod: Obj): void;
}

interface Running {
  container?: Docker.Container;
  started: boolean;
  ended: Promise<void>;
  end: () => void;
  killing: boolean;
  /** The deleted pod's grace period, for a kill that came while its container was starting. */
  grace?: number;
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));
const key = (pod: Obj) => `${pod.metadata.namespace}/${pod.metadata.name}`;

export class Kubelet {
  private readonly pods = new Map<string, Running>();

  constructor(
    private readonly docker: Docker,
    private readonly label: string,
    private readonly store: KubeletStore,
  ) {}

  run(pod: Obj): void {
    let end!: () => void;
    const ended = new Promise<void>((r) => (end = r));
    const r: Running = { started: false, ended, end, killing: false };
    this.pods.set(key(pod), r);
    void this.start(pod, r).catch((error: unknown) => {
      this.setWaiting(pod, 'RunContainerError', error instanceof Error ? error.message : String(error));
      r.end();
    });
  }

  private alive(pod: Obj, r: Running): boolean {
    return !r.killing && this.store.pod(pod.metadata.namespace, pod.metadata.name) !== undefined;
  }

  private async start(pod: Obj, r: Running): Promise<void> {
    const c = pod.spec.containers[0] as Obj;
    this.setWaiting(pod, 'ContainerCreating');
    // Env from the Secret: until it exists the kubelet says so and tries again.
    let env: string[] | undefined;
    while (this.alive(pod, r)) {
      const missing: string[] = [];
      env = [];
      for (const e of (c.env ?? []) as Obj[]) {
        const ref = e.valueFrom?.secretKeyRef as Obj | undefined;
        if (!ref) {
          env.push(`${e.name}=${e.value ?? ''}`);
          continue;
        }
        const s = this.store.secret(pod.metadata.namespace, ref.name);
        const value = s?.data?.[ref.key] !== undefined ? Buffer.from(s.data[ref.key], 'base64').toString('utf8') : s?.stringData?.[ref.key];
        if (value === undefined) missing.push(s ? `couldn't find key ${ref.key} in Secret ${pod.metadata.namespace}/${ref.name}` : `secret "${ref.name}" not found`);
        else env.push(`${e.name}=${value}`);
      }
      if (!missing.length) break;
      this.setWaiting(pod, 'CreateContainerConfigError', missing[0]);
      await tick(100);
    }
    // No registry here: an image the engine lacks is a pull that fails, as a kubelet reports it.
    let backoff = false;
    while (this.alive(pod, r)) {
      try {
        await this.docker.getImage(c.image).inspect();
        break;
      } catch {
        this.setWaiting(
          pod,
          backoff ? 'ImagePullBackOff' : 'ErrImagePull',
          backoff
            ? `Back-off pulling image "${c.image}"`
            : `failed to pull and unpack image "${c.image}": failed to resolve reference "${c.image}": pull access denied, repository does not exist or may require authorization`,
        );
        backoff = !backoff;
        await tick(300);
      }
    }
    if (!this.alive(pod, r)) return r.end();
    const limits = (c.resources?.limits ?? {}) as Obj;
    const memory = limits.memory !== undefined ? parseMemory(String(limits.memory)) : null;
    const cpus = limits.cpu !== undefined ? parseCpus(String(limits.cpu)) : null;
    const container = await this.docker.createContainer({
      Image: c.image,
      ...(c.command ? { Entrypoint: c.command } : {}),
      ...(c.args ? { Cmd: c.args } : {}),
      Env: env ?? [],
      ...(c.workingDir ? { WorkingDir: c.workingDir } : {}),
      Labels: { [this.label]: '1', 'io.kubernetes.pod.name': pod.metadata.name },
      HostConfig: {
        Init: true,
        NetworkMode: 'none',
        ...(memory ? { Memory: memory, MemorySwap: memory } : {}),
        ...(cpus ? { NanoCpus: Math.round(cpus * 1e9) } : {}),
      },
    });
    r.container = container;
    if (!this.alive(pod, r)) {
      await container.remove({ force: true }).catch(() => undefined);
      return r.end();
    }
    await container.start();
    r.started = true;
    // Deleted while its container was starting: the kill waits for it, so it is stopped now, as a kubelet does.
    if (r.killing) await container.stop({ t: r.grace ?? 0 }).catch(() => undefined);
    const info = await container.inspect();
    this.setStatus(pod, 'Running', { running: { startedAt: info.State.StartedAt } }, info.Id);
    // A wait can end early (its connection dropped): the container's own state says whether it has exited.
    let state = info.State;
    while (state.Running || !state.FinishedAt || state.FinishedAt.startsWith('0001')) {
      await container.wait().catch(() => tick(100));
      state = (await container.inspect()).State;
    }
    // As containerd's CRI, which takes the reason from its OOM event: Docker's OOMKilled misses an OOM event that came after the exit.
    const oom = state.OOMKilled || (!r.killing && state.ExitCode === 137 && (await oomKillAnnounced(this.docker, info.Id, state.StartedAt)));
    const reason = oom ? 'OOMKilled' : state.ExitCode === 0 ? 'Completed' : 'Error';
    this.setStatus(pod, state.ExitCode === 0 ? 'Succeeded' : 'Failed', {
      terminated: { exitCode: state.ExitCode, reason, startedAt: state.StartedAt, finishedAt: state.FinishedAt, containerID: `docker://${info.Id}` },
    }, info.Id);
    r.end();
  }

  private setWaiting(pod: Obj, reason: string, message?: string): void {
    const current = this.store.pod(pod.metadata.namespace, pod.metadata.name);
    if (!current) return;
    const before = current.status?.containerStatuses?.[0]?.state?.waiting as Obj | undefined;
    if (before?.reason === reason && before?.message === message) return;
    this.setStatus(pod, 'Pending', { waiting: { reason, ...(message ? { message } : {}) } });
  }

  private setStatus(pod: Obj, phase: string, state: Obj, containerId?: string): void {
    const current = this.store.pod(pod.metadata.namespace, pod.metadata.name);
    if (!current) return;
    const c = current.spec.containers[0] as Obj;
    current.status = {
      ...current.status,
      phase,
      ...(phase === 'Running' && !current.status.startTime ? { startTime: new Date().toISOString() } : {}),
      containerStatuses: [
        {
          name: c.name,
          image: c.image,
          imageID: '',
          ready: phase === 'Running',
          restartCount: 0,
          started: phase === 'Running',
          state,
          ...(containerId ? { containerID: `docker://${containerId}` } : {}),
        },
      ],
    };
    this.store.update(current);
  }

  /** The pod is being deleted: SIGTERM, the grace period, SIGKILL; then the container and the pod go. */
  async kill(pod: Obj, graceSeconds: number): Promise<void> {
    const r = this.pods.get(key(pod));
    if (!r) return this.store.removed(pod);
    r.killing = true;
    r.grace = graceSeconds;
    if (r.container && r.started) {
      await r.container.stop({ t: graceSeconds }).catch(() => undefined);
      await r.ended;
    } else {
      await r.ended;
    }
    await r.container?.remove({ force: true }).catch(() => undefined);
    this.pods.delete(key(pod));
    this.store.removed(pod);
  }

  /** The container's output, both streams merged (as the kubelet's log API gives it), or undefined before it started. */
  logs(pod: Obj, opts: { follow: boolean; timestamps: boolean; sinceTime?: string }): Readable | undefined {
    const r = this.pods.get(key(pod));
    if (!r?.container || !r.started) return undefined;
    const out = new PassThrough();
    const since = opts.sinceTime ? Date.parse(opts.sinceTime) / 1000 : undefined;
    const container = r.container;
    void (async () => {
      const raw = (await container.logs({ follow: opts.follow as true, stdout: true, stderr: true, timestamps: opts.timestamps, ...(since ? { since } : {}) })) as unknown;
      if (Buffer.isBuffer(raw)) {
        // Without follow the engine answers with the whole body: its 8-byte frame headers read here.
        for (let i = 0; i + 8 <= raw.length; ) {
          const size = raw.readUInt32BE(i + 4);
          out.write(raw.subarray(i + 8, i + 8 + size));
          i += 8 + size;
        }
        return void out.end();
      }
      const stream = raw as Readable;
      out.on('close', () => stream.destroy());
      this.docker.modem.demuxStream(stream, out, out);
      stream.on('end', () => out.end());
      stream.on('error', () => out.end());
    })().catch(() => out.end());
    return out;
  }

  async containerIds(): Promise<string[]> {
    const list = await this.docker.listContainers({ all: true, filters: { label: [this.label] } });
    return list.map((c) => c.Id);
  }

  async close(): Promise<void> {
    for (const r of this.pods.values()) r.killing = true;
    for (const id of await this.containerIds().catch(() => [])) await this.docker.getContainer(id).remove({ force: true }).catch(() => undefined);
    this.pods.clear();
  }
}
