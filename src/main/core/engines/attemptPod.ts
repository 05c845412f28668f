import type Docker from 'dockerode';
import { isSidecar, memoryOnDiskMessage, memoryVolumesOnDisk, podProblems, type AttemptStep, type InitContainer } from '../../../shared/pod';
import { parseMemory } from '../../../shared/quantity';
import type { TemplateSpec } from '../../../shared/template';
import { LABEL_STEP, LABEL_VOLUME } from '../labels';
import { engineMessage, isConnectionError, startFailureExitCode } from './errors';
import { ensureImage, ImageError } from './images';
import { FrameDemuxer, PARTIAL_LINE_HOLD_MS, RawText, type StampedText } from './logFrames';
import { removeContainer } from './removal';
import type { AttemptOutcome, AttemptRequest, AttemptSink, ReattachRequest, StepLog } from './types';

const now = () => new Date().toISOString();

/** What stops the container of the moment (an init container, then the main one). */
export interface StopPort {
  readonly reason: string | undefined;
  attach(container: Docker.Container, graceSeconds: number): void;
}

/** An engine volume's name for an attempt's emptyDir: unique per job, attempt and volume. */
export function volumeName(jobId: string, attempt: number, name: string): string {
  return `jobdeck-${jobId.replace(/[^a-zA-Z0-9_.-]/g, '')}-${attempt}-${name}`;
}

/** Engine mounts of a container's volumeMounts (the volumes are the attempt's own). */
export function volumeMounts(jobId: string, attempt: number, mounts: TemplateSpec['volumeMounts']): Docker.MountConfig {
  return mounts.map((m) => ({ Type: 'volume' as const, Source: volumeName(jobId, attempt, m.name), Target: m.mountPath, ReadOnly: m.readOnly }));
}

/** The local driver's tmpfs options for medium Memory (sizeLimit → size=bytes). */
export function volumeOptions(v: TemplateSpec['volumes'][number]): Record<string, string> {
  if (v.emptyDir.medium !== 'Memory') return {};
  const size = v.emptyDir.sizeLimit === undefined ? null : parseMemory(v.emptyDir.sizeLimit);
  return { type: 'tmpfs', device: 'tmpfs', ...(size ? { o: `size=${size}` } : {}) };
}

interface Sidecar {
  step: AttemptStep;
  container: Docker.Container;
  done: Promise<void>;
}

/**
 * The rest of a Kubernetes pod around one attempt's main container: its emptyDir volumes, its
 * init containers run in order to their end, and its sidecars, started before the main container
 * and stopped when it ends. Containers started after the first sidecar join its network
 * namespace, as a pod's containers share one. Every container and volume carries the attempt's
 * labels and a step label, so a restart finds and removes what a crash left.
 */
export class AttemptPod {
  readonly steps: AttemptStep[];
  private readonly sidecars: Sidecar[] = [];
  private readonly volumes: string[] = [];
  private network: string | undefined;

  constructor(
    private readonly docker: Docker,
    private readonly req: AttemptRequest,
    private readonly sink: AttemptSink,
    private readonly openStepLog: ((step: string) => StepLog) | undefined,
  ) {
    this.steps = req.spec.initContainers.map((c) => ({ name: c.name, kind: isSidecar(c) ? 'sidecar' : 'init', status: 'waiting' }));
  }

  get empty(): boolean {
    return this.req.spec.initContainers.length === 0 && this.req.spec.volumes.length === 0;
  }

  /** Images, volumes, init containers and sidecars; an outcome when the attempt ends here. */
  async prepare(stop: StopPort): Promise<AttemptOutcome | undefined> {
    const { spec } = this.req;
    if (this.empty) return undefined;
    const problems = podProblems(spec);
    if (problems.length) return { exitCode: null, reason: 'Error', message: problems.map((p) => `${p.path}: ${p.message}`).join('; '), finishedAt: now() };
    this.report();
    try {
      for (const c of spec.initContainers) await ensureImage(this.docker, this.imageOf(c), spec.pullPolicy, () => undefined);
      const onDisk = memoryVolumesOnDisk(spec);
      for (const v of spec.volumes) {
        const name = volumeName(this.req.jobId, this.req.attempt, v.name);
        const disk = onDisk.find((o) => o.volume === v.name);
        if (disk) this.sink.log('system', `[jobdeck] ${memoryOnDiskMessage(disk)}\n`, now());
        const create = (opts: Record<string, string>) =>
          this.docker.createVolume({ Name: name, Driver: 'local', DriverOpts: opts, Labels: { ...this.req.labels, [LABEL_VOLUME]: v.name } });
        const opts = disk ? {} : volumeOptions(v);
        try {
          await create(opts);
        } catch (error) {
          // Podman reads a size in a tmpfs volume's options as a disk quota and refuses it: the
          // tmpfs then has the engine's default size, and the log says so.
          if (!opts.o || isConnectionError(error) || !/quota/i.test(engineMessage(error))) throw error;
          await create({ type: 'tmpfs', device: 'tmpfs' });
          this.sink.log('system', `[jobdeck] volume ${v.name}: this engine cannot limit a Memory emptyDir's size; sizeLimit ${String(v.emptyDir.sizeLimit)} is not applied\n`, now());
        }
        this.volumes.push(name);
      }
    } catch (error) {
      if (error instanceof ImageError) return { exitCode: null, reason: 'ImagePullFailed', message: error.message, finishedAt: now() };
      return failure(error, 'preparing the volumes');
    }
    for (const [i, c] of spec.initContainers.entries()) {
      if (stop.reason) return { exitCode: null, reason: stop.reason as AttemptOutcome['reason'], message: `stopped before init container ${c.name}`, finishedAt: now() };
      const step = this.steps[i]!;
      const ended = isSidecar(c) ? await this.startSidecar(c, step) : await this.runInit(c, step, stop);
      if (ended) return ended;
    }
    return undefined;
  }

  /** The main container's create options with the pod's network and volumes. */
  mainOptions(opts: Docker.ContainerCreateOptions): Docker.ContainerCreateOptions {
    if (this.empty) return opts;
    const host = opts.HostConfig ?? {};
    return {
      ...opts,
      HostConfig: {
        ...host,
        ...(this.network ? { NetworkMode: this.network } : {}),
        Mounts: [...(host.Mounts ?? []), ...volumeMounts(this.req.jobId, this.req.attempt, this.req.spec.volumeMounts)],
      },
    };
  }

  /** The main container ended: stop the sidecars (SIGTERM, the grace, SIGKILL); removal is remove()'s. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      this.sidecars.map(async (s) => {
        await s.container.stop({ t: this.req.graceSeconds }).catch(() => undefined);
        await s.done;
        if (s.step.status === 'running') s.step.status = 'stopped';
      }),
    );
    if (this.sidecars.length) this.report();
  }

  /** After the main container is gone: the sidecars, then the volumes they and it held. */
  async remove(keep: boolean): Promise<void> {
    if (keep) return;
    for (const s of this.sidecars) await removeContainer(s.container);
    for (const name of this.volumes) await this.docker.getVolume(name).remove().catch(() => undefined);
  }

  private imageOf(c: InitContainer): string {
    return c.image || this.req.spec.image;
  }

  private options(c: InitContainer): Docker.ContainerCreateOptions {
    const { spec } = this.req;
    const cmd = c.command === undefined ? undefined : typeof c.command === 'string' ? ['sh', '-c', c.command] : c.command;
    return {
      Image: this.imageOf(c),
      ...(cmd ? { Cmd: cmd } : {}),
      ...(c.entrypoint ? { Entrypoint: c.entrypoint } : {}),
      // The job's env first (as its containers share a pod's downward values), the step's own over it.
      Env: [...this.req.env.filter((kv) => !c.env.some((e) => kv.startsWith(`${e.name}=`))), ...c.env.map((e) => `${e.name}=${e.value}`)],
      ...(c.workingDir ? { WorkingDir: c.workingDir } : {}),
      ...(spec.user ? { User: spec.user } : {}),
      Tty: false,
      Labels: { ...spec.labels, ...this.req.labels, [LABEL_STEP]: c.name },
      HostConfig: {
        Init: true,
        NetworkMode: this.network ?? spec.network,
        Binds: spec.mounts.map((m) => `${m.hostPath}:${m.containerPath}${m.readOnly ? ':ro' : ''}`),
        Mounts: volumeMounts(this.req.jobId, this.req.attempt, c.volumeMounts),
      },
    };
  }

  /** Create, attach and start one step's container; its output goes to the step's own log. */
  private async launch(c: InitContainer, step: AttemptStep): Promise<{ container: Docker.Container; output: Promise<void> } | AttemptOutcome> {
    let container: Docker.Container;
    try {
      container = await this.docker.createContainer(this.options(c));
    } catch (error) {
      if (isConnectionError(error)) return failure(error, `creating init container ${c.name}`);
      const message = `init container ${c.name}: ${engineMessage(error)}`;
      this.settle(step, 'failed', startFailureExitCode(message), message);
      return { exitCode: startFailureExitCode(message), reason: 'Error', message, finishedAt: now(), containerName: c.name };
    }
    step.containerId = container.id;
    const log = this.openStepLog?.(c.name);
    const emit = (t: StampedText) => log?.append(t.stream, t.data, t.stamp);
    let output: Promise<void>;
    try {
      const raw = (await container.attach({ stream: true, stdout: true, stderr: true })) as NodeJS.ReadableStream;
      output = pipeStep(raw, emit).finally(() => {
        log?.end?.();
        return log?.close();
      });
      await container.start();
    } catch (error) {
      await log?.close();
      await removeContainer(container);
      if (isConnectionError(error)) return failure(error, `starting init container ${c.name}`);
      const message = `init container ${c.name}: ${engineMessage(error)}`;
      this.settle(step, 'failed', startFailureExitCode(message), message);
      return { exitCode: startFailureExitCode(message), reason: 'Error', message, finishedAt: now(), containerName: c.name };
    }
    step.status = 'running';
    step.startedAt = now();
    this.report();
    return { container, output };
  }

  private async runInit(c: InitContainer, step: AttemptStep, stop: StopPort): Promise<AttemptOutcome | undefined> {
    const started = await this.launch(c, step);
    if (!('container' in started)) return started;
    const { container, output } = started;
    stop.attach(container, this.req.graceSeconds);
    try {
      await output;
      const state = await finalState(container);
      const code = state.ExitCode;
      await removeContainer(container);
      if (stop.reason) {
        this.settle(step, 'stopped', code, undefined);
        return { exitCode: null, reason: stop.reason as AttemptOutcome['reason'], message: `stopped during init container ${c.name}`, finishedAt: now() };
      }
      if (code === 0) return void this.settle(step, 'succeeded', 0, undefined);
      const message = `init container ${c.name} exited with code ${code}`;
      this.settle(step, 'failed', code, message);
      // Its own name: a podFailurePolicy rule's containerName may name it.
      return { exitCode: code, reason: state.OOMKilled ? 'OOMKilled' : 'Error', message, finishedAt: now(), containerName: c.name };
    } catch (error) {
      return failure(error, `following init container ${c.name}`);
    }
  }

  private async startSidecar(c: InitContainer, step: AttemptStep): Promise<AttemptOutcome | undefined> {
    const started = await this.launch(c, step);
    if (!('container' in started)) return started;
    const { container, output } = started;
    // The first sidecar holds the pod's network namespace: what starts after it joins it.
    this.network ??= `container:${container.id}`;
    const done = output.then(async () => {
      const state = await finalState(container).catch(() => undefined);
      if (!state) return;
      step.exitCode = state.ExitCode;
      step.finishedAt = now();
      // Ending on its own before the main container did is a failure of the sidecar (Kubernetes would restart it).
      step.status = step.status === 'running' && !this.stopping ? (state.ExitCode === 0 ? 'succeeded' : 'failed') : 'stopped';
      if (!this.stopping) this.report();
    });
    this.sidecars.push({ step, container, done });
    return undefined;
  }

  /** Set once the main container ended: a sidecar's end from then on is "stopped". */
  private stopping = false;

  private settle(step: AttemptStep, status: AttemptStep['status'], exitCode: number | null, message: string | undefined): void {
    step.status = status;
    step.exitCode = exitCode;
    step.finishedAt = now();
    if (message) step.message = message;
    this.report();
  }

  private report(): void {
    this.sink.steps?.(this.steps.map((s) => ({ ...s })));
  }
}

/** Sidecars of an attempt found after a restart, once its main container ended: stopped with it. */
export async function stopPodLeftovers(docker: Docker, pod: NonNullable<ReattachRequest['pod']>, graceSeconds: number, sink: AttemptSink): Promise<void> {
  for (const id of pod.containerIds) await docker.getContainer(id).stop({ t: graceSeconds }).catch(() => undefined);
  // The sidecars found running were stopped with their main container.
  if (pod.steps?.length) sink.steps?.(pod.steps.map((s) => (s.status === 'running' ? { ...s, status: 'stopped' as const, finishedAt: now() } : s)));
}

/** Those sidecars and the attempt's volumes, after its main container is gone. */
export async function removePodLeftovers(docker: Docker, pod: NonNullable<ReattachRequest['pod']>, keep: boolean): Promise<void> {
  if (keep) return;
  for (const id of pod.containerIds) await removeContainer(docker.getContainer(id)).catch(() => undefined);
  for (const v of pod.volumes) await docker.getVolume(v).remove().catch(() => undefined);
}

/** A step's attached output, demultiplexed (step containers never have a tty). */
function pipeStep(raw: NodeJS.ReadableStream, emit: (t: StampedText) => void): Promise<void> {
  const out = new RawText('stdout', emit, PARTIAL_LINE_HOLD_MS);
  const err = new RawText('stderr', emit, PARTIAL_LINE_HOLD_MS);
  const demux = new FrameDemuxer(out, err);
  return new Promise<void>((resolve, reject) => {
    raw.on('error', reject);
    raw.on('end', resolve);
    raw.on('close', resolve);
    raw.pipe(demux, { end: false });
  }).then(() => new Promise<void>((resolve) => demux.end(() => resolve())));
}

/** Only "exited" counts as done (Podman passes through "stopped" while it cleans up). */
async function finalState(container: Docker.Container): Promise<Docker.ContainerInspectInfo['State']> {
  const done = (s: Docker.ContainerInspectInfo['State']) => s.Status === 'exited' || s.Status === 'dead';
  let state = (await container.inspect()).State;
  if (!done(state) && state.Running) await container.wait();
  for (let i = 0; i < 50 && !done(state); i++) {
    if (i) await new Promise((r) => setTimeout(r, 100));
    state = (await container.inspect()).State;
  }
  return state;
}

function failure(error: unknown, doing: string): AttemptOutcome {
  const lost = isConnectionError(error);
  return {
    exitCode: null,
    reason: lost ? 'EngineUnavailable' : 'Error',
    message: `${lost ? 'engine unreachable' : 'engine error'} while ${doing}: ${engineMessage(error)}`,
    finishedAt: now(),
  };
}
