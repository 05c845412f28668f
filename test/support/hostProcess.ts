import type { ChildProcess } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import WebSocket from 'ws';
import type { AppEvent, CommandName, CommandOutput, Result } from '../../src/shared/ipc';
import type { WsServerMessage } from '../../src/shared/wsProtocol';
import { startHost as startHeadless } from './headlessHost';

/**
 * The headless host in a child process of its own (started as the e2e suite starts it), so a
 * test can SIGKILL it. The test entry is bundled once with esbuild (dependencies stay in
 * node_modules, as in the app's own build).
 */
// In the checkout itself, not node_modules: worktrees may share one node_modules.
const OUT = join(process.cwd(), '.cache', 'jobdeck-test-host');
let built: Promise<string> | undefined;

export function buildHost(): Promise<string> {
  built ??= (async () => {
    mkdirSync(OUT, { recursive: true });
    const outfile = join(OUT, 'host.mjs');
    // Written whole and renamed into place: integration files run two at a time, and one may
    // start the host while another builds it.
    const result = await build({
      entryPoints: [join(process.cwd(), 'test/support/crashHost.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'error',
      write: false,
    });
    const temp = `${outfile}.${process.pid}.tmp`;
    writeFileSync(temp, result.outputFiles[0]!.contents);
    renameSync(temp, outfile);
    return outfile;
  })();
  return built;
}

export interface HostProcess {
  child: ChildProcess;
  call<C extends CommandName>(command: C, input: unknown): Promise<CommandOutput<C>>;
  /** Resolves with the exit signal or code once the process is gone. */
  exited: Promise<NodeJS.Signals | number | null>;
  kill(signal: NodeJS.Signals): Promise<NodeJS.Signals | number | null>;
  /** Everything the host printed about itself, stdout and stderr. */
  output(): string;
  /**
   * Resolves with the next event the host sends this connection (jobs' changes; the output of
   * jobs subscribed to with logs.subscribe), or with undefined after `timeoutMs`.
   */
  nextEvent(timeoutMs: number): Promise<AppEvent | undefined>;
  /** Every event the host sends this connection from now on, in order (nextEvent can miss one that comes in the same read as another); returns the unsubscribe. */
  onEvent(listener: (e: AppEvent) => void): () => void;
}

/** `timeoutMs`: how long the host may take to print its URL (a loaded machine needs more than the default). */
export async function startHost(dataDir: string, env: Record<string, string> = {}, timeoutMs?: number): Promise<HostProcess> {
  const entry = await buildHost();
  const { child, url, output } = await startHeadless(process.cwd(), { entry, dataDir, env, ...(timeoutMs ? { timeoutMs } : {}) });
  const exited =
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve(child.signalCode ?? child.exitCode)
      : new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  const { port, searchParams } = new URL(url);
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${searchParams.get('token')}`);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.on('error', () => undefined); // a killed host drops the socket; calls then reject below
  let next = 0;
  const eventWaiters = new Set<(e: AppEvent | undefined) => void>();
  const listeners = new Set<(e: AppEvent) => void>();
  const pending = new Map<number, { resolve: (r: Result<unknown>) => void; reject: (e: Error) => void }>();
  ws.on('message', (raw) => {
    const m = JSON.parse(String(raw)) as WsServerMessage;
    if (m.type === 'result') pending.get(m.id)?.resolve(m.result);
    if (m.type === 'event') for (const w of [...eventWaiters, ...listeners]) w(m.event);
  });
  ws.on('close', () => {
    for (const p of pending.values()) p.reject(new Error('host connection closed'));
    pending.clear();
  });
  return {
    child,
    exited,
    output,
    async call<C extends CommandName>(command: C, input: unknown): Promise<CommandOutput<C>> {
      const id = ++next;
      const result = await new Promise<Result<unknown>>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        ws.send(JSON.stringify({ type: 'invoke', id, command, input }));
      });
      pending.delete(id);
      if (!result.ok) throw new Error(`${command}: ${result.error.code}: ${result.error.message}`);
      return result.value as CommandOutput<C>;
    },
    nextEvent(timeoutMs) {
      return new Promise((resolve) => {
        const done = (e: AppEvent | undefined) => {
          eventWaiters.delete(done);
          clearTimeout(timer);
          resolve(e);
        };
        const timer = setTimeout(() => done(undefined), timeoutMs);
        timer.unref(); // a wait that found its answer another way leaves nothing behind
        eventWaiters.add(done);
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    kill(signal) {
      ws.terminate();
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
