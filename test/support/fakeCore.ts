// The whole core in-process, without an engine: createJobdeck with fake engines (FakeExecutor),
// a fake clock and a temp data dir, driven through the real dispatcher as a client drives it.
import type { FilePicker } from '../../src/main/core/engines/filePicker';
import type Docker from 'dockerode';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect } from 'vitest';
import type { WireError } from '../../src/shared/errors';
import {
  commands,
  type AppEvent,
  type CommandInput,
  type CommandName,
  type CommandOutput,
  type Result,
} from '../../src/shared/ipc';
import { isTerminal, type Job } from '../../src/shared/job';
import type { EngineCandidate } from '../../src/main/core/engines/discovery';
import type { ContainerApi, EngineDriver } from '../../src/main/core/engines/registry';
import type { ImageSummary } from '../../src/main/core/engines/images';
import type { AttemptOutcome } from '../../src/main/core/engines/types';
import type { ArtifactShell } from '../../src/main/core/artifacts/artifactShell';
import { createJobdeck, type Jobdeck } from '../../src/main/core/jobdeck';
import type { SaveDialog } from '../../src/main/core/logs/logExport';
import { createDispatcher, type Dispatch } from '../../src/main/ipc/dispatch';
import { FakeClock, FakeExecutor, type FakeRun } from './fakes';

/** One engine that exists only in the test: it answers unless its host is marked down. */
export interface FakeEngine {
  candidate: EngineCandidate;
  executor: FakeExecutor;
  /** What listContainers answers (reconcile at start, the sweep after an outage). */
  containers: Docker.ContainerInfo[];
  removed: string[];
  /** What listImages answers (images.list). */
  images: ImageSummary[];
}

/** The engines createJobdeck reaches through its engineDriver option. */
export class FakeEngines {
  readonly byId = new Map<string, FakeEngine>();
  /** Hosts that answer a probe and never answer a listing, of containers or images (an engine that hangs). */
  readonly unanswered = new Set<string>();
  /** Hosts that do not answer a probe (an engine that is down or an address that is wrong). */
  readonly down = new Set<string>();
  constructor(private readonly clock: FakeClock) {}

  readonly driver = (candidate: EngineCandidate): EngineDriver => {
    const engine: FakeEngine = { candidate, executor: new FakeExecutor(candidate.id, this.clock), containers: [], removed: [], images: [] };
    this.byId.set(candidate.id, engine);
    const docker: ContainerApi = {
      listContainers: () => (this.unanswered.has(candidate.host) ? new Promise<never>(() => undefined) : Promise.resolve(engine.containers)),
      listImages: () => (this.unanswered.has(candidate.host) ? new Promise<never>(() => undefined) : Promise.resolve(engine.images)),
      getContainer: (id) => ({
        start: async () => undefined,
        remove: async () => {
          engine.removed.push(id);
          engine.containers = engine.containers.filter((c) => c.Id !== id);
        },
      }),
    };
    return {
      executor: engine.executor,
      docker,
      probe: async () => {
        if (this.down.has(candidate.host)) throw new Error(`connect ECONNREFUSED ${candidate.host}`);
        return { version: '99.0-fake', apiVersion: '1.99' };
      },
      detectKind: async () => 'docker',
    };
  };

  /** Every attempt started on any engine, oldest first. */
  runs(jobId?: string): FakeRun[] {
    return [...this.byId.values()].flatMap((e) => e.executor.runs).filter((r) => !jobId || r.req.jobId === jobId);
  }
}

/** A command's failure as the client receives it (code, message, issues). */
export class WireFailure extends Error {
  constructor(
    readonly command: CommandName,
    readonly error: WireError,
  ) {
    super(`${command} failed: ${error.code} ${error.message}`);
  }
}

/** Commands sent through a harness's dispatcher in this test file (each file is its own module instance). */
export const sentCommands = new Set<CommandName>();
/** Those sent inside the describeCommand block running now. */
let sentInBlock: Set<CommandName> | undefined;

export interface FakeCore {
  core: Jobdeck;
  dataDir: string;
  clock: FakeClock;
  engines: FakeEngines;
  /** Every event the core sent to this client, in order. */
  events: AppEvent[];
  dispatch: Dispatch;
  /** The envelope the client gets, untyped input included (what a bad client sends). */
  send(command: string, input: unknown): Promise<Result<unknown>>;
  /** The value a client gets, checked against the contract's output schema; a failure throws WireFailure. */
  call<C extends CommandName>(command: C, input: CommandInput<C>): Promise<CommandOutput<C>>;
  /** The typed error a client gets; fails the test when the command succeeds. */
  fail(command: CommandName, input: unknown): Promise<WireError>;
  /** Resolves as soon as `ok()` holds, checked now and after every event; rejects after `timeoutMs`. */
  until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs?: number): Promise<void>;
  /** Resolves with the job once its status satisfies `done` (default: finished). */
  job(id: string, done?: (j: Job) => boolean): Promise<Job>;
  /** End the job's live attempt as the engine would, and wait until the core has recorded it. */
  finish(jobId: string, outcome: Partial<AttemptOutcome> & Pick<AttemptOutcome, 'reason'>): Promise<Job>;
  close(): Promise<void>;
}

export interface FakeCoreOptions {
  /** Data dir to open (a restart); default a new temp dir, removed at close. */
  dataDir?: string;
  /** Hosts down from the start. */
  down?: string[];
  /** Hosts whose listings (containers, images) never answer, from the start. */
  unanswered?: string[];
  /** The core's clock (a test that must move time while the core starts); default a new one. */
  clock?: FakeClock;
  /** The desktop's programs for artifacts (Electron's shell), where a test wants one. */
  artifactShell?: ArtifactShell;
  /** The desktop's save dialog (logs.save), where a test wants one. */
  saveDialog?: SaveDialog;
  /** The core's environment (DOCKER_CONFIG for the Docker contexts), default none. */
  env?: Record<string, string | undefined>;
  /** The desktop's open dialog (engines.pickFile), where a test wants one. */
  filePicker?: FilePicker;
}

const CLIENT = 'test-client';

export async function startFakeCore(opts: FakeCoreOptions = {}): Promise<FakeCore> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'jobdeck-fake-'));
  const clock = opts.clock ?? new FakeClock();
  const engines = new FakeEngines(clock);
  for (const host of opts.down ?? []) engines.down.add(host);
  for (const host of opts.unanswered ?? []) engines.unanswered.add(host);
  const core = await createJobdeck({
    dataDir,
    instanceId: 'fake-instance',
    env: opts.env ?? {},
    socketCandidates: ['docker=unix:///fake/docker.sock'],
    engineProbeIntervalMs: 3_600_000,
    engineDriver: (candidate) => engines.driver(candidate),
    clock,
    ...(opts.artifactShell ? { artifactShell: opts.artifactShell } : {}),
    ...(opts.saveDialog ? { saveDialog: opts.saveDialog } : {}),
    ...(opts.filePicker ? { filePicker: opts.filePicker } : {}),
  });
  const events: AppEvent[] = [];
  const watchers = new Set<() => void>();
  core.onEvent(CLIENT, (e) => {
    events.push(e);
    for (const w of [...watchers]) w();
  });
  const dispatch = createDispatcher(core.handlers);
  const send = (command: string, input: unknown) => {
    if (command in commands) {
      sentCommands.add(command as CommandName);
      sentInBlock?.add(command as CommandName);
    }
    return dispatch(command, input, { clientId: CLIENT });
  };
  const call = async <C extends CommandName>(command: C, input: CommandInput<C>): Promise<CommandOutput<C>> => {
    const result = await send(command, input);
    if (!result.ok) throw new WireFailure(command, result.error);
    // What crosses must be what the contract promises the client.
    return commands[command].output.parse(result.value) as CommandOutput<C>;
  };
  const fail = async (command: CommandName, input: unknown): Promise<WireError> => {
    const result = await send(command, input);
    expect(result.ok, `${command} should have failed`).toBe(false);
    return (result as { ok: false; error: WireError }).error;
  };
  const until = (what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 5_000) =>
    new Promise<void>((resolve, reject) => {
      let checking = false;
      let again = false;
      const done = (error?: Error) => {
        watchers.delete(check);
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      // Checks run one at a time; an event during a check asks for one more.
      const check = () => {
        if (checking) {
          again = true;
          return;
        }
        checking = true;
        void Promise.resolve(ok()).then(
          (yes) => {
            checking = false;
            if (yes) done();
            else if (again) {
              again = false;
              check();
            }
          },
          (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
        );
      };
      const timer = setTimeout(() => done(new Error(`still waiting after ${timeoutMs} ms for ${what}`)), timeoutMs);
      watchers.add(check);
      check();
    });
  const job = async (id: string, isDone: (j: Job) => boolean = (j) => isTerminal(j.status)) => {
    let last: Job | undefined;
    await until(`job ${id}`, async () => {
      last = await call('jobs.get', { id });
      return isDone(last);
    });
    return last!;
  };
  const finish = async (jobId: string, outcome: Partial<AttemptOutcome> & Pick<AttemptOutcome, 'reason'>) => {
    const run = engines.runs(jobId).at(-1);
    if (!run) throw new Error(`no attempt of ${jobId} was started`);
    const attempt = run.req.attempt;
    run.finish(outcome);
    return job(jobId, (j) => j.attempts.find((a) => a.number === attempt)?.status !== 'running');
  };
  return {
    core,
    dataDir,
    clock,
    engines,
    events,
    dispatch,
    send,
    call,
    fail,
    until,
    job,
    finish,
    async close() {
      await core.close({ stopRunning: true });
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The handler tests of one command. test/unit/handlers-coverage.test.ts reads these names from
 * every handlers-*.test.ts file; the block itself fails if the command was never sent.
 */
export function describeCommand(command: CommandName, body: () => void): void {
  describe(command, () => {
    beforeAll(() => {
      sentInBlock = new Set();
    });
    body();
    afterAll(() => {
      expect(sentInBlock?.has(command), `${command} has tests but none of them sent it through the dispatcher`).toBe(true);
      sentInBlock = undefined;
    });
  });
}

/** A fresh core for every test of the enclosing block, closed after it. */
export function useFakeCore(opts: FakeCoreOptions = {}): () => FakeCore {
  let current: FakeCore | undefined;
  beforeEach(async () => {
    current = await startFakeCore(opts);
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return () => {
    if (!current) throw new Error('the fake core exists only inside a test');
    return current;
  };
}
