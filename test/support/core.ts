import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../src/main/core/clock';
import { createJobdeck, type Jobdeck } from '../../src/main/core/jobdeck';
import type { AppEvent, CommandArgs, CommandName, CommandOutput, LogChunk } from '../../src/shared/ipc';
import { commands } from '../../src/shared/ipc';
import type { Job } from '../../src/shared/job';
import { afterAll, beforeAll, expect } from 'vitest';
import { clientFor, ensureTestImage, leftovers, type EngineTarget } from './engines';

export interface TestCore {
  core: Jobdeck;
  dataDir: string;
  instanceId: string;
  events: AppEvent[];
  /** Call a command as a client would: input parsed by the contract's schema. */
  call<C extends CommandName>(command: C, input: unknown): Promise<CommandOutput<C>>;
  /**
   * Resolve when the job reaches a terminal state (or `until` says so). Looked at again on every
   * event the core sends this client, never on a timer. An `until` of its own also subscribes
   * this client to the job's output (for good), since a log grows without a job.updated; the
   * plain wait for the end does not (the benches' figures must not pay for events).
   */
  waitFor(id: string, until?: (j: Job) => boolean, timeoutMs?: number): Promise<Job>;
  close(): Promise<void>;
}

export async function startCore(
  target: EngineTarget,
  opts: {
    dataDir?: string;
    instanceId?: string;
    /** The app's own default (5 s) where a bench measures the app. */
    engineProbeIntervalMs?: number;
    /** The core's clock (scheduler, cron catch-up, retention): a test shifts it to a moment it chooses. */
    clock?: Clock;
  } = {},
): Promise<TestCore> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'jobdeck-it-'));
  const instanceId = opts.instanceId ?? `test-${Math.random().toString(36).slice(2, 10)}`;
  const core = await createJobdeck({
    dataDir,
    instanceId,
    env: {},
    socketCandidates: [`${target.kind}=${target.host}`],
    engineProbeIntervalMs: opts.engineProbeIntervalMs ?? 500,
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const events: AppEvent[] = [];
  const waiters = new Set<() => void>();
  core.onEvent('test', (e) => {
    events.push(e);
    for (const w of waiters) w();
  });
  const call = async <C extends CommandName>(command: C, input: unknown): Promise<CommandOutput<C>> => {
    const args = commands[command].input.parse(input) as CommandArgs<C>;
    const handler = core.handlers[command] as (a: CommandArgs<C>, ctx: { clientId: string }) => Promise<CommandOutput<C>>;
    return handler(args, { clientId: 'test' });
  };
  const terminal = (j: Job) => ['completed', 'failed', 'cancelled'].includes(j.status);
  const waitFor = async (id: string, until: (j: Job) => boolean = terminal, timeoutMs = 60_000): Promise<Job> => {
    const deadline = Date.now() + timeoutMs;
    let woken = false;
    const wake = () => void (woken = true);
    waiters.add(wake);
    try {
      if (until !== terminal) await call('logs.subscribe', { id });
      for (;;) {
        woken = false;
        const job = await call('jobs.get', { id });
        if (until(job)) return job;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`job ${id} still ${job.status} after ${timeoutMs} ms`);
        // An event that came while jobs.get was answered counts: look again at once.
        if (woken) continue;
        await new Promise<void>((resolve) => {
          const w = () => {
            waiters.delete(w);
            clearTimeout(t);
            resolve();
          };
          const t = setTimeout(w, left); // the deadline, not a poll
          waiters.add(w);
        });
      }
    } finally {
      waiters.delete(wake);
    }
  };
  return {
    core,
    dataDir,
    instanceId,
    events,
    call,
    waitFor,
    async close() {
      await core.close({ stopRunning: true });
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Resolves once no engine slot is held: every ended attempt's container removed (a job's end is
 * told at its exit, the removal follows). Looked at again on each event the core sends (the
 * engines' running counts come as engine.status), never on a timer.
 */
export function allRemoved(core: Jobdeck, timeoutMs = 60_000): Promise<void> {
  if (core.runningCount(true) === 0) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const finish = (error?: Error) => {
      clearTimeout(timer);
      // onEvent may call back before it has returned its off.
      queueMicrotask(() => off());
      if (error) reject(error);
      else resolve();
    };
    const timer = setTimeout(() => finish(new Error(`${core.runningCount(true)} attempt(s) still holding a slot after ${timeoutMs} ms`)), timeoutMs);
    const off = core.onEvent(`removed-${Math.random().toString(36).slice(2)}`, () => {
      if (core.runningCount(true) === 0) finish();
    });
  });
}

/**
 * The usual suite on one engine: the test image there, a core on it (with `settings` applied), and
 * at the end nothing of its instance left behind. Register it inside the suite's describe; the
 * core it returns is the one beforeAll started (reading it before then, or where the engine is
 * missing and the tests skip, throws).
 */
export function useEngineCore(target: EngineTarget, o: { settings?: Record<string, unknown> } = {}): TestCore {
  let started: TestCore | undefined;
  beforeAll(async () => {
    if (target.missing) return;
    await ensureTestImage(clientFor(target.host));
    started = await startCore(target);
    if (o.settings) await started.call('settings.update', o.settings);
  });
  afterAll(async () => {
    if (!started) return;
    await allRemoved(started.core);
    const left = await leftovers(clientFor(target.host), started.instanceId);
    await started.close();
    expect(left, 'containers left behind').toEqual([]);
  });
  return new Proxy({} as TestCore, {
    get(_, key) {
      if (!started) throw new Error(`the ${target.kind} core is not started (read before beforeAll, or the engine is missing)`);
      return Reflect.get(started, key) as unknown;
    },
  });
}

/** An attempt's whole stdout, read from its log file page by page as the log pane reads it. */
export async function stdoutOf(t: TestCore, id: string, attempt: number): Promise<string> {
  const out: LogChunk[] = [];
  for (let offset = 0; ; ) {
    const page = await t.call('logs.read', { id, attempt, offset });
    out.push(...page.chunks);
    if (page.eof || page.nextOffset === offset) break;
    offset = page.nextOffset;
  }
  return out.filter((c) => c.stream === 'stdout').map((c) => c.data).join('');
}
