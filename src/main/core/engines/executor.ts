import type Docker from 'dockerode';
import { Readable } from 'node:stream';
import { extractArtifacts } from '../artifacts';
import { engineMessage, initExecFailureExitCode, isConnectionError, startFailureExitCode, statusOf } from './errors';
import { ensureImage, ImageError } from './images';
import { FrameDemuxer, frameSink, StampedLineSplitter } from './logFrames';
import { sampleMemory } from './memory';
import { stampToIso, stampToSince } from './timestamps';
import type {
  AttemptOutcome,
  AttemptRequest,
  AttemptSink,
  Executor,
  ReattachRequest,
  ResumeMarks,
  RunningAttempt,
  StopReason,
} from './types';

export interface ExecutorOptions {
  /** Where an attempt's output dir is copied to: (jobId, attempt) → directory. */
  artifactsDir(jobId: string, attempt: number): string;
  /** The engine's kind as last probed (Docker and Podman differ in how they read `since`). */
  kind?: () => 'docker' | 'podman';
}

const now = () => new Date().toISOString();

/** Docker CLI semantics for a command: a string runs as `sh -c`. */
export function toCmd(command: string | string[] | undefined): string[] | undefined {
  if (command === undefined) return undefined;
  return typeof command === 'string' ? ['sh', '-c', command] : command;
}

export function createOptions(req: AttemptRequest): Docker.ContainerCreateOptions {
  const s = req.spec;
  const cmd = toCmd(s.command);
  return {
    Image: s.image,
    ...(cmd ? { Cmd: cmd } : {}),
    ...(s.entrypoint ? { Entrypoint: s.entrypoint } : {}),
    Env: req.env,
    ...(s.workingDir ? { WorkingDir: s.workingDir } : {}),
    ...(s.user ? { User: s.user } : {}),
    Tty: s.tty,
    AttachStdout: false,
    AttachStderr: false,
    OpenStdin: false,
    Labels: { ...s.labels, ...req.labels },
    HostConfig: {
      // An init as PID 1 forwards SIGTERM, so cancel and timeouts are prompt.
      Init: true,
      NetworkMode: s.network,
      Binds: s.mounts.map((m) => `${m.hostPath}:${m.containerPath}${m.readOnly ? ':ro' : ''}`),
      ...(s.limits.memory ? { Memory: s.limits.memory, MemorySwap: s.limits.memory } : {}),
      ...(s.limits.cpus ? { NanoCpus: Math.round(s.limits.cpus * 1e9) } : {}),
    },
  };
}

/** One executor over the Docker Engine API, for Docker and Podman's compat socket alike. */
export class DockerExecutor implements Executor {
  constructor(
    readonly engineId: string,
    private readonly docker: Docker,
    private readonly options: ExecutorOptions,
  ) {}

  start(req: AttemptRequest, sink: AttemptSink): RunningAttempt {
    const ctl = new StopControl();
    const done = this.run(req, sink, ctl);
    return { done, stop: (reason) => ctl.request(reason), detach: () => ctl.detach() };
  }

  reattach(req: ReattachRequest, sink: AttemptSink): RunningAttempt {
    const ctl = new StopControl();
    const container = this.docker.getContainer(req.containerId);
    ctl.attach(container, req.graceSeconds);
    const done = this.follow(container, req.tty, sink, ctl, {
      ...(req.resume ? { resume: req.resume } : {}),
      keepContainer: req.keepContainer,
    });
    return { done, stop: (reason) => ctl.request(reason), detach: () => ctl.detach() };
  }

  private async run(req: AttemptRequest, sink: AttemptSink, ctl: StopControl): Promise<AttemptOutcome> {
    const { spec } = req;
    try {
      await ensureImage(this.docker, spec.image, spec.pullPolicy, (status, current, total) =>
        sink.pullProgress?.(status, current, total),
      );
    } catch (error) {
      if (error instanceof ImageError) return { exitCode: null, reason: 'ImagePullFailed', message: error.message, finishedAt: now() };
      return this.failure(error, 'pulling the image');
    }
    if (ctl.reason) return { exitCode: null, reason: ctl.reason, message: 'stopped before the container was created', finishedAt: now() };

    await req.persisted?.();
    let container: Docker.Container;
    try {
      container = await this.docker.createContainer(createOptions(req));
    } catch (error) {
      if (isConnectionError(error)) return this.failure(error, 'creating the container');
      const message = engineMessage(error);
      return { exitCode: startFailureExitCode(message), reason: 'Error', message, finishedAt: now() };
    }
    ctl.attach(container, req.graceSeconds);
    if (ctl.reason) {
      await this.remove(container, spec.keepContainer);
      return { exitCode: null, reason: ctl.reason, containerId: container.id, finishedAt: now() };
    }
    try {
      await container.start();
    } catch (error) {
      if (isConnectionError(error)) return this.failure(error, 'starting the container', container.id);
      const message = engineMessage(error);
      await this.remove(container, spec.keepContainer);
      return { exitCode: startFailureExitCode(message), reason: 'Error', message, containerId: container.id, finishedAt: now() };
    }
    const outcome = await this.follow(container, spec.tty, sink, ctl, {
      keepContainer: true,
      started: true,
    });
    if (ctl.detached) return outcome;
    if (spec.outputDir && outcome.reason !== 'EngineLost') {
      try {
        const archive = await container.getArchive({ path: spec.outputDir });
        await extractArtifacts(archive, this.options.artifactsDir(req.jobId, req.attempt));
      } catch (error) {
        // A job that wrote nothing to its output dir still has a result; say so in the log.
        sink.log('system', `[jobdeck] no artifacts from ${spec.outputDir}: ${engineMessage(error)}\n`, now());
      }
    }
    if (outcome.reason !== 'EngineLost') await this.remove(container, spec.keepContainer);
    return outcome;
  }

  /** Logs until the container ends, then its exit; shared by a fresh start and a reattach. */
  private async follow(
    container: Docker.Container,
    tty: boolean,
    sink: AttemptSink,
    ctl: StopControl,
    opts: { resume?: ResumeMarks; keepContainer: boolean; started?: boolean },
  ): Promise<AttemptOutcome> {
    let startedAt: string | undefined;
    try {
      const info = await container.inspect();
      startedAt = info.State.StartedAt && !info.State.StartedAt.startsWith('0001') ? info.State.StartedAt : now();
      sink.started(container.id, startedAt);
    } catch (error) {
      return this.failure(error, 'inspecting the container', container.id);
    }
    const memory = sampleMemory(container);
    let stderrTail = '';
    const tee: AttemptSink = {
      ...sink,
      log: (stream, data, t) => {
        if (stream === 'stderr') stderrTail = (stderrTail + data).slice(-512);
        sink.log(stream, data, t);
      },
    };
    try {
      await this.streamLogs(container, tty, tee, ctl, opts.resume);
      if (ctl.detached) {
        memory.stop();
        return { exitCode: null, reason: 'Cancelled', message: 'detached', containerId: container.id, finishedAt: now() };
      }
      const state = await this.finalState(container);
      const peak = memory.stop();
      const exitCode = initExecFailureExitCode(state.ExitCode, stderrTail);
      const reason = ctl.reason ?? (state.OOMKilled ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error');
      const outcome: AttemptOutcome = {
        exitCode,
        reason,
        containerId: container.id,
        startedAt,
        finishedAt: state.FinishedAt && !state.FinishedAt.startsWith('0001') ? stampToIso(state.FinishedAt) : now(),
        ...(peak !== undefined ? { peakMemoryBytes: peak } : {}),
        ...(state.Error ? { message: state.Error } : {}),
      };
      await sink.exited?.(outcome);
      if (!opts.started) await this.remove(container, opts.keepContainer);
      return outcome;
    } catch (error) {
      memory.stop();
      return this.failure(error, 'following the container', container.id, startedAt);
    }
  }

  /**
   * Follow the logs until the container ends, then read once more from where the follow
   * stopped: Podman's compat API ends a follow early when a fast writer exits, and the rest is
   * only in the non-follow read. The resume point (last stamp, lines per stream at it) drops what
   * was already taken, so each line is kept once on both engines.
   */
  private async streamLogs(
    container: Docker.Container,
    tty: boolean,
    sink: AttemptSink,
    ctl: StopControl,
    resume?: ResumeMarks,
  ): Promise<void> {
    const point: ResumeMarks = { ...resume };
    const track: AttemptSink = {
      ...sink,
      log: (stream, data, stamp) => {
        if (stream === 'stdout' || stream === 'stderr') {
          const mark = point[stream];
          if (mark && mark.stamp === stamp) mark.chars += data.length;
          else point[stream] = { stamp, chars: data.length };
        }
        sink.log(stream, data, stamp);
      },
    };
    await this.readLogs(container, tty, track, ctl, true, point);
    if (ctl.detached) return;
    await container.wait().catch(() => undefined);
    await this.readLogs(container, tty, track, ctl, false, point);
  }

  private async readLogs(
    container: Docker.Container,
    tty: boolean,
    sink: AttemptSink,
    ctl: StopControl,
    follow: boolean,
    resume: ResumeMarks | undefined,
  ): Promise<void> {
    // Podman's compat API reads `since` in whole seconds, so it is asked a second early and the
    // splitter drops what is stored; Docker can be asked from the exact stamp, re-reading little.
    const sinceArg = earliestSince(resume, this.options.kind?.() === 'docker');
    const answer = (await container.logs({
      follow: follow as true,
      stdout: true,
      stderr: true,
      timestamps: true,
      ...(sinceArg ? { since: sinceArg as unknown as number } : {}),
    })) as unknown as NodeJS.ReadableStream | Buffer;
    // Without follow, dockerode hands back the whole body as a Buffer; it goes through the same pipe.
    const raw = Buffer.isBuffer(answer) ? Readable.from(slices(answer, 256 * 1024)) : answer;
    if (follow) ctl.following = raw as NodeJS.ReadableStream & { destroy?: () => void };
    const emit = (stream: 'stdout' | 'stderr') => {
      const mark = resume?.[stream];
      return new StampedLineSplitter(
        stream,
        (t) => sink.log(t.stream, t.data, t.stamp),
        mark ? { stamp: mark.stamp, skip: mark.chars } : undefined,
      );
    };
    const target = tty ? frameSink(emit('stdout'), false) : new FrameDemuxer(emit('stdout'), emit('stderr'));
    await new Promise<void>((resolve, reject) => {
      raw.on('error', reject);
      target.on('error', reject);
      raw.on('end', resolve);
      raw.on('close', resolve);
      // Piped: when we fall behind, the engine's stream waits rather than piling up in memory.
      raw.pipe(target, { end: false });
    });
    await endWritable(target);
  }

  /** Podman may report the exit a moment after the log stream ends. */
  private async finalState(container: Docker.Container): Promise<Docker.ContainerInspectInfo['State']> {
    for (let i = 0; ; i++) {
      const info = await container.inspect();
      if (!info.State.Running || i >= 50) return info.State;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private async remove(container: Docker.Container, keep: boolean): Promise<void> {
    if (keep) return;
    try {
      await container.remove({ force: true, v: true });
    } catch (error) {
      const status = statusOf(error);
      // 404: already gone; 409: removal already in progress.
      if (status !== 404 && status !== 409 && !isConnectionError(error)) throw error;
    }
  }

  private failure(error: unknown, doing: string, containerId?: string, startedAt?: string): AttemptOutcome {
    const lost = isConnectionError(error);
    return {
      exitCode: null,
      reason: lost ? (containerId ? 'EngineLost' : 'EngineUnavailable') : 'Error',
      message: `${lost ? 'engine unreachable' : 'engine error'} while ${doing}: ${engineMessage(error)}`,
      ...(containerId ? { containerId } : {}),
      ...(startedAt ? { startedAt } : {}),
      finishedAt: now(),
    };
  }
}

/** Ask from the earlier of the two streams' marks; each stream drops its own. */
function earliestSince(resume: ResumeMarks | undefined, exact: boolean): string | undefined {
  const marks = [resume?.stdout, resume?.stderr].filter((m) => m !== undefined);
  const sinces = marks.map((m) => stampToSince(m.stamp, exact)).filter((x): x is string => x !== undefined);
  return sinces.length ? sinces.reduce((a, b) => (Number(a) <= Number(b) ? a : b)) : undefined;
}

function* slices(buf: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

function endWritable(w: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => w.end(() => resolve()));
}

/** A stop asked for before the container exists is honoured as soon as it does. */
class StopControl {
  reason: StopReason | undefined;
  detached = false;
  following: (NodeJS.ReadableStream & { destroy?: () => void }) | undefined;
  private container: Docker.Container | undefined;
  private grace = 10;

  attach(container: Docker.Container, graceSeconds: number): void {
    this.container = container;
    this.grace = graceSeconds;
    if (this.reason) this.send();
  }

  detach(): void {
    this.detached = true;
    this.following?.destroy?.();
  }

  request(reason: StopReason): void {
    if (this.reason) return;
    this.reason = reason;
    if (this.container) this.send();
  }

  private send(): void {
    // stop = SIGTERM, `t` seconds of grace, then SIGKILL — done by the engine.
    this.container?.stop({ t: this.grace }).catch(() => undefined);
  }
}
