import type Docker from 'dockerode';
import { AttachErrorFilter } from './attachError';
import { engineMessage, initExecFailureExitCode, isConnectionError, startFailureExitCode } from './errors';
import { ImageError, isMissingImage, markPresent, neverPulled, pull } from './images';
import { FrameDemuxer, PARTIAL_LINE_HOLD_MS, RawText, rawSink, StampedLineSplitter, type FrameTarget, type StampedText } from './logFrames';
import { MEMORY_SAMPLE_DELAY_MS, memorySampleDelay, sampleMemory } from './memory';
import { oomKillAnnounced } from './oomEvent';
import { stampToIso } from './timestamps';
import type {
  AttemptOutcome,
  AttemptRequest,
  AttemptSink,
  Executor,
  ReattachRequest,
  ResumeMarks,
  RunningAttempt,
  StepLog,
} from './types';
import { AttemptPod, removePodLeftovers, stopPodLeftovers } from './attemptPod';
import { Leftovers, removeContainer } from './removal';
import { copyOut } from './copyOut';
import type { EngineKind } from '../../../shared/engine';
import { createNamed, createOptions } from './createOptions';
import { exitedState, logStream, waitedExit, type ExitState } from './containerState';
import { ExitEvents } from './exitEvents';
import { StopControl } from './stopControl';

export { exitedState };

export interface ExecutorOptions {
  /** Where an attempt's output dir is copied to: (jobId, attempt) → directory. */
  artifactsDir(jobId: string, attempt: number): string;
  /** The log of an init container or sidecar (absent: their output is not kept). */
  openStepLog?(jobId: string, attempt: number, step: string): StepLog;
}

const now = () => new Date().toISOString();
/** How long after the output ends the wait made at the start may take to answer. */
const WAIT_GRACE_MS = 1000;

/** One executor over the Docker Engine API, for Docker and Podman's compat socket alike. */
export class DockerExecutor implements Executor {
  /**
   * Which engine answers, once known: on Docker the exit comes from a wait made as the container
   * starts (answered the moment it exits); Podman's compat wait has raced short-lived containers,
   * so there (and until the kind is known) an inspect after the output ends reads it.
   */
  kind: EngineKind | undefined;
  /** Podman's exits as it announces them (its wait answers late): one event stream for the engine. */
  private readonly exits: ExitEvents;

  constructor(
    readonly engineId: string,
    private readonly docker: Docker,
    private readonly options: ExecutorOptions,
  ) {
    this.exits = new ExitEvents(docker);
  }

  /** The engine's connection is going: its event stream with it. */
  close(): void {
    this.exits.close();
  }

  start(req: AttemptRequest, sink: AttemptSink): RunningAttempt {
    const ctl = new StopControl();
    const leftovers = new Leftovers();
    const done = this.run(req, sink, ctl, leftovers);
    return { done, settled: leftovers.after(done), stop: (reason) => ctl.request(reason), detach: () => ctl.detach() };
  }

  reattach(req: ReattachRequest, sink: AttemptSink): RunningAttempt {
    const ctl = new StopControl();
    const container = this.docker.getContainer(req.containerId);
    ctl.attach(container, req.graceSeconds);
    const leftovers = new Leftovers();
    const done = this.follow(container, req.tty, sink, ctl, {
      ...(req.resume ? { resume: req.resume } : {}),
      keepContainer: req.keepContainer,
      leftovers,
    }).then(async (outcome) => {
      if (req.pod && !ctl.detached) {
        await stopPodLeftovers(this.docker, req.pod, req.graceSeconds, sink);
        const pod = req.pod;
        leftovers.add(() => removePodLeftovers(this.docker, pod, req.keepContainer));
      }
      return ctl.outcome(outcome);
    });
    return { done, settled: leftovers.after(done), stop: (reason) => ctl.request(reason), detach: () => ctl.detach() };
  }

  private async run(req: AttemptRequest, sink: AttemptSink, ctl: StopControl, leftovers: Leftovers): Promise<AttemptOutcome> {
    const pod = new AttemptPod(this.docker, req, sink, this.options.openStepLog && ((step) => this.options.openStepLog!(req.jobId, req.attempt, step)));
    try {
      return ctl.outcome(await this.runMain(req, sink, ctl, pod, leftovers));
    } finally {
      // A detached attempt (the app quits) leaves its pod to the next start's reconcile. Otherwise
      // the sidecars stop before the end is told (a pod ends when all its containers have), and go after.
      if (!ctl.detached) {
        await pod.stop().catch(() => undefined);
        leftovers.add(() => pod.remove(req.spec.keepContainer));
      }
    }
  }

  private async runMain(req: AttemptRequest, sink: AttemptSink, ctl: StopControl, pod: AttemptPod, leftovers: Leftovers): Promise<AttemptOutcome> {
    const { spec } = req;
    // Under Always the pull comes first; otherwise the create itself says whether the image is
    // there (as `docker run` does), which saves an image inspect per job.
    if (spec.pullPolicy === 'Always') {
      const failed = await this.pullImage(req, sink, ctl);
      if (failed) return failed;
    }
    if (ctl.reason) return { exitCode: null, reason: ctl.reason, message: 'stopped before the container was created', finishedAt: now() };
    // Listening for exits before any container of ours can exit (once per engine, not per job).
    const announced = this.kind === 'podman' && !spec.outputDir;
    if (announced) await this.exits.ready();
    await req.persisted?.();
    const ended = await pod.prepare(ctl);
    if (ended) return ended;
    let container: Docker.Container;
    try {
      const made = await this.create(req, sink, ctl, pod.mainOptions(createOptions(req)));
      if (!('id' in made)) return made;
      container = made;
      markPresent(this.docker, spec.image);
    } catch (error) {
      if (isConnectionError(error)) return this.failure(error, 'creating the container');
      const message = engineMessage(error);
      return { exitCode: startFailureExitCode(message), reason: 'Error', message, finishedAt: now() };
    }
    ctl.attach(container, req.graceSeconds);
    const removeMain = () => leftovers.add(() => removeContainer(container, spec.keepContainer));
    if (ctl.reason) {
      removeMain();
      return { exitCode: null, reason: ctl.reason, containerId: container.id, finishedAt: now() };
    }
    // Live output comes from an attach made before the start (as `docker run` does): the
    // engine's log reader is the slower path by far.
    let live: NodeJS.ReadableStream;
    try {
      live = (await container.attach({ stream: true, stdout: true, stderr: true })) as NodeJS.ReadableStream;
    } catch (error) {
      if (isConnectionError(error)) return this.failure(error, 'attaching to the container', container.id);
      removeMain();
      return { exitCode: null, reason: 'Error', message: engineMessage(error), containerId: container.id, finishedAt: now() };
    }
    try {
      await container.start();
    } catch (error) {
      destroy(live);
      if (isConnectionError(error)) return this.failure(error, 'starting the container', container.id);
      const message = engineMessage(error);
      removeMain();
      return { exitCode: startFailureExitCode(message), reason: 'Error', message, containerId: container.id, finishedAt: now() };
    }
    // A stop sent while the container was only created did nothing (both engines answer it with
    // success): send it again now that the container runs.
    ctl.started();
    const exit = this.kind === 'docker' ? container.wait() : undefined;
    exit?.catch(() => undefined); // read (or its failure met) by follow
    const outcome = await this.follow(container, spec.tty, sink, ctl, {
      keepContainer: true,
      started: true,
      live,
      ...(exit ? { exit } : {}),
      announced,
      memoryDelayMs: memorySampleDelay(spec.limits),
      // Files to copy out: wait until Podman has cleaned up, not only stopped.
      copyAfter: Boolean(spec.outputDir),
    });
    if (ctl.detached) return outcome;
    if (spec.outputDir && outcome.reason !== 'EngineLost') {
      const artifacts = await copyOut(container, spec.outputDir, this.options.artifactsDir(req.jobId, req.attempt), sink);
      if (artifacts) outcome.artifacts = artifacts;
    }
    // A finished job leaves nothing behind: its container goes right after its end is told.
    if (outcome.reason !== 'EngineLost') removeMain();
    return outcome;
  }

  /**
   * The main container, pulling its image first if the engine has none (IfNotPresent) or saying
   * so (Never); an outcome instead of a container when the attempt ends there.
   */
  private async create(req: AttemptRequest, sink: AttemptSink, ctl: StopControl, options: Docker.ContainerCreateOptions): Promise<Docker.Container | AttemptOutcome> {
    try {
      return await createNamed(this.docker, options);
    } catch (error) {
      if (req.spec.pullPolicy === 'Always' || !isMissingImage(error)) throw error;
    }
    if (req.spec.pullPolicy === 'Never') return { exitCode: null, reason: 'ImagePullFailed', message: neverPulled(req.spec.image).message, finishedAt: now() };
    const failed = await this.pullImage(req, sink, ctl);
    return failed ?? createNamed(this.docker, options);
  }

  /** The pull, its progress to the sink; an outcome if it failed or a stop came meanwhile. */
  private async pullImage(req: AttemptRequest, sink: AttemptSink, ctl: StopControl): Promise<AttemptOutcome | undefined> {
    try {
      await pull(this.docker, req.spec.image, (status, current, total, layer) =>
        sink.pullProgress?.({ status, ...(current !== undefined ? { current } : {}), ...(total !== undefined ? { total } : {}), ...(layer !== undefined ? { layer } : {}) }),
      );
    } catch (error) {
      if (error instanceof ImageError) return { exitCode: null, reason: 'ImagePullFailed', message: error.message, finishedAt: now() };
      return this.failure(error, 'pulling the image');
    }
    if (ctl.reason) return { exitCode: null, reason: ctl.reason, message: 'stopped before the container was created', finishedAt: now() };
    return undefined;
  }

  /** Logs until the container ends, then its exit; shared by a fresh start and a reattach. */
  private async follow(
    container: Docker.Container,
    tty: boolean,
    sink: AttemptSink,
    ctl: StopControl,
    opts: {
      resume?: ResumeMarks;
      keepContainer: boolean;
      started?: boolean;
      live?: NodeJS.ReadableStream;
      copyAfter?: boolean;
      exit?: Promise<unknown>;
      /** The exit comes as the engine's 'die' event (Podman). */
      announced?: boolean;
      /** A container found again after a restart: removed once its end is told. */
      leftovers?: Leftovers;
      memoryDelayMs?: number;
    },
  ): Promise<AttemptOutcome> {
    let startedAt: string | undefined;
    if (opts.started) {
      // Just started by us: the engine's own start time comes with the final inspect.
      startedAt = now();
      sink.started(container.id, startedAt);
    } else {
      try {
        const info = await container.inspect();
        startedAt = isoTime(info.State.StartedAt) ?? now();
        sink.started(container.id, startedAt);
      } catch (error) {
        return this.failure(error, 'inspecting the container', container.id);
      }
    }
    // A container found again after a restart has run a while already: sampled as a limited one.
    const memory = sampleMemory(container, opts.memoryDelayMs ?? MEMORY_SAMPLE_DELAY_MS.limited);
    let stderrTail = '';
    const written: ResumeMarks = { stdout: 0, stderr: 0 };
    const tee: AttemptSink = {
      ...sink,
      log: (stream, data, t) => {
        if (stream === 'stderr') stderrTail = (stderrTail + data).slice(-512);
        if (stream === 'stdout' || stream === 'stderr') written[stream] += data.length;
        // The engine's RFC3339Nano stamp read here, once: the sink gets ISO times only.
        sink.log(stream, data, stampToIso(t));
      },
    };
    let texts: RawText[] = [];
    try {
      // Without a tty the two streams' lines are kept apart (RawText): a tty has one stream.
      const hold = tty ? 0 : PARTIAL_LINE_HOLD_MS;
      const stdout = new RawText('stdout', emitTo(tee), hold);
      const stderr = new RawText('stderr', emitTo(tee), hold);
      texts = [stdout, stderr];
      const attachErrors = opts.live && this.kind === 'podman' ? new AttachErrorFilter(stderr) : undefined;
      if (opts.live) await this.pipe(opts.live, tty, stdout, attachErrors ?? stderr, ctl, sink);
      const ended = opts.live ? undefined : await this.streamLogs(container, tty, tee, ctl, opts.resume ?? { stdout: 0, stderr: 0 });
      if (ctl.detached) {
        memory.stop();
        return { exitCode: null, reason: 'Cancelled', message: 'detached', containerId: container.id, finishedAt: now() };
      }
      const state = ended ??
        (opts.exit
          ? await waitedExit(container, opts.exit, WAIT_GRACE_MS)
          : opts.announced
            ? await exitedState(container, false, () => this.exits.exitOf(container.id, WAIT_GRACE_MS))
            : await this.finalState(container, opts.copyAfter ?? true));
      // Podman's attach broke: what it did not send is in the engine's log, past what we have.
      if (attachErrors?.broke && !ctl.detached) await this.readLogs(container, tty, (t) => tee.log(t.stream, t.data, t.stamp), ctl, false, { ...written }, sink);
      const peak = memory.stop();
      const exitCode = initExecFailureExitCode(state.ExitCode, stderrTail);
      // A kill (137) not of our making and not called an OOM kill: Docker's `oom` event may say it was (oomEvent.ts; Podman 4.3 sends none).
      const oom = state.OOMKilled || (!ctl.reason && exitCode === 137 && this.kind !== 'podman' && (await oomKillAnnounced(this.docker, container.id, state.StartedAt ?? startedAt)));
      const reason = ctl.reason ?? (oom ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error');
      const outcome: AttemptOutcome = {
        exitCode,
        reason,
        containerId: container.id,
        startedAt: isoTime(state.StartedAt) ?? startedAt,
        finishedAt: isoTime(state.FinishedAt) ?? now(),
        ...(peak !== undefined ? { peakMemoryBytes: peak } : {}),
        ...(state.Error ? { message: state.Error } : {}),
      };
      await sink.exited?.(outcome);
      opts.leftovers?.add(() => removeContainer(container, opts.keepContainer));
      return outcome;
    } catch (error) {
      memory.stop();
      // An unfinished line still waiting goes to the log before the outcome.
      for (const t of texts) t.release();
      return this.failure(error, 'following the container', container.id, startedAt);
    }
  }

  /**
   * The logs endpoint, for a container found again after a restart: follow from the beginning,
   * dropping per stream the text already stored; after the exit, read it all once more and drop
   * what is stored by now (Podman's compat API ends a follow early when a fast writer exits, and
   * the rest is only in a non-follow read). Counting text rather than comparing stamps keeps each
   * line once on both engines. Reading twice costs little on this rare path.
   */
  private async streamLogs(
    container: Docker.Container,
    tty: boolean,
    sink: AttemptSink,
    ctl: StopControl,
    resume: ResumeMarks,
  ): Promise<ExitState | undefined> {
    const stored: ResumeMarks = { ...resume };
    const emit = (t: StampedText) => {
      if (t.stream === 'stdout' || t.stream === 'stderr') stored[t.stream] += t.data.length;
      sink.log(t.stream, t.data, t.stamp);
    };
    await this.readLogs(container, tty, emit, ctl, true, resume, sink);
    if (ctl.detached) return undefined;
    // The exit first (the follow may have ended early), then whatever the follow did not give.
    const state = await this.finalState(container);
    await this.readLogs(container, tty, emit, ctl, false, { ...stored }, sink);
    return state;
  }

  private async readLogs(
    container: Docker.Container,
    tty: boolean,
    emit: (t: StampedText) => void,
    ctl: StopControl,
    follow: boolean,
    skip: ResumeMarks,
    sink: AttemptSink,
  ): Promise<void> {
    const raw = await logStream(container, { follow, stdout: true, stderr: true, timestamps: true });
    const out = new StampedLineSplitter('stdout', emit, skip.stdout);
    const err = new StampedLineSplitter('stderr', emit, skip.stderr);
    await this.pipe(raw, tty, out, err, ctl, sink);
  }

  /**
   * Engine stream → frames → targets, piped: when we fall behind (or the log's disk does), the
   * engine waits for us.
   */
  private async pipe(raw: NodeJS.ReadableStream, tty: boolean, out: FrameTarget, err: FrameTarget, ctl: StopControl, sink: AttemptSink): Promise<void> {
    ctl.following = raw as NodeJS.ReadableStream & { destroy?: () => void };
    const backlog = () => sink.backlog?.();
    const target = tty ? rawSink(out, backlog) : new FrameDemuxer(out, err, backlog);
    await new Promise<void>((resolve, reject) => {
      raw.on('error', reject);
      target.on('error', reject);
      raw.on('end', resolve);
      raw.on('close', resolve);
      raw.pipe(target, { end: false });
    });
    await endWritable(target);
  }

  private finalState(container: Docker.Container, untilCleanedUp = true): Promise<Docker.ContainerInspectInfo['State']> {
    return exitedState(container, untilCleanedUp);
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

/**
 * An engine time as the ISO string (milliseconds, UTC) every time the executor reports is, or
 * undefined for Go's zero time (never started, not finished).
 */
const isoTime = (t: string | undefined): string | undefined => (t && !t.startsWith('0001') ? stampToIso(t) : undefined);

const emitTo = (sink: AttemptSink) => (t: StampedText) => sink.log(t.stream, t.data, t.stamp);

function destroy(stream: NodeJS.ReadableStream): void {
  (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
}

function endWritable(w: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => w.end(() => resolve()));
}
