import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineKind } from '../../src/shared/engine';
import { afterAll, beforeAll } from 'vitest';
import { startCore, type TestCore } from './core';
import { clientFor, ensureTestImage, type EngineTarget } from './engines';

/**
 * An engine of the test's own, on its own socket, that the test may kill and start again without
 * touching the engines the other tests share. Docker: a second dockerd with its own data root,
 * exec root and containerd. Podman: a second API service over the same storage (Podman has no
 * daemon to lose; the service is what a client loses).
 */
export interface PrivateEngine {
  kind: EngineKind;
  host: string;
  start(): Promise<void>;
  /** SIGKILL: the engine vanishes without telling anyone (dockerd with its containerd). */
  kill(): Promise<void>;
  dispose(): Promise<void>;
}

const alive = (pid: number): boolean => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

/** SIGKILL to the process in `pidFile` (not a child of ours), then its end, then the file gone. */
async function killContainerd(pidFile: string): Promise<void> {
  const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : NaN;
  if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
    // Not our child: no exit event reaches us, so its /proc entry is looked at until it goes.
    const deadline = Date.now() + 10_000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }
  rmSync(pidFile, { force: true });
}

/** Mount points below `dir`, deepest first (/proc/self/mountinfo's fifth field). */
function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .filter((m) => m.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
}

export async function startPrivateEngine(kind: EngineKind, opts: { extraArgs?: (dir: string) => string[] } = {}): Promise<PrivateEngine> {
  const dir = mkdtempSync('/tmp/jobdeck-private-');
  const sock = join(dir, `${kind}.sock`);
  const host = `unix://${sock}`;
  const pidFile = join(dir, 'daemon.pid');
  const log = openSync(join(dir, 'daemon.log'), 'a');
  let child: ChildProcess | undefined;

  const args =
    kind === 'docker'
      ? ['--data-root', join(dir, 'data'), '--exec-root', join(dir, 'exec'), '--pidfile', pidFile, '--host', host, '--iptables=false', '--ip6tables=false', '--bridge=none']
      : ['system', 'service', '--time=0', host];
  // More listeners (a TLS tcp socket for the remote-engine suite), with files under the engine's own dir.
  if (opts.extraArgs) args.push(...opts.extraArgs(dir));
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (kind === 'podman') {
    // The same ulimits as scripts/engines.sh gives the shared service.
    const conf = join(dir, 'containers.conf');
    writeFileSync(conf, '[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]\n');
    env.CONTAINERS_CONF = conf;
  }

  const engine: PrivateEngine = {
    kind,
    host,
    async start() {
      // A killed daemon leaves its pid file and socket behind; both would stop the next one.
      rmSync(pidFile, { force: true });
      rmSync(sock, { force: true });
      mkdirSync(dir, { recursive: true });
      child = spawn(kind === 'docker' ? 'dockerd' : 'podman', args, { cwd: dir, env, stdio: ['ignore', log, log] });
      const deadline = Date.now() + 30_000;
      for (;;) {
        try {
          await clientFor(host).ping();
          return;
        } catch {
          if (child.exitCode !== null || Date.now() > deadline) {
            throw new Error(`${kind} on ${sock} did not come up: ${readFileSync(join(dir, 'daemon.log'), 'utf8').slice(-2000)}`);
          }
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    },
    async kill() {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const gone = new Promise((r) => c.once('exit', r));
      c.kill('SIGKILL');
      await gone;
      // dockerd's containerd outlives it, or dies a moment later; a dockerd started meanwhile
      // finds its pid file, takes it for a running containerd and times out dialling a dying
      // one. So it goes with the daemon, and the next start begins a containerd of its own.
      if (kind === 'docker') await killContainerd(join(dir, 'exec', 'containerd', 'containerd.pid'));
    },
    async dispose() {
      const c = child;
      if (c && c.exitCode === null && c.signalCode === null) {
        const gone = new Promise((r) => c.once('exit', r));
        c.kill('SIGTERM');
        await Promise.race([gone, new Promise((r) => setTimeout(r, 15_000))]);
        if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      }
      if (kind === 'docker') {
        // dockerd bind-mounts its data root onto itself; the shims of killed daemons may remain.
        // (pkill skips itself; a shell running it would match its own pattern and die first.)
        spawnSync('pkill', ['-f', `containerd-shim.*${dir}`]);
        spawnSync('pkill', ['-f', `containerd --config ${dir}`]);
        // Everything mounted under it, deepest first: the data root's bind mount, and the netns
        // mounts under exec/ that a container still running when its daemon was killed leaves
        // (exec/ itself is no mount, so `umount -R exec` would miss them).
        for (const m of mountsUnder(dir)) spawnSync('umount', [m], { stdio: 'ignore' });
      }
      if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    },
  };
  await engine.start();
  await ensureTestImage(clientFor(host));
  return engine;
}

/**
 * A suite around a private engine of the target's kind and a core on it, with `settings`
 * applied; both gone after the suite. `started()` reads them once beforeAll has run.
 */
export function usePrivateEngineCore(target: EngineTarget, settings: Record<string, unknown>): () => { core: TestCore; engine: PrivateEngine } {
  let engine: PrivateEngine | undefined;
  let core: TestCore | undefined;
  beforeAll(async () => {
    if (target.missing) return;
    engine = await startPrivateEngine(target.kind);
    core = await startCore({ kind: target.kind, host: engine.host });
    await core.call('settings.update', settings);
  }, 120_000);
  afterAll(async () => {
    await core?.close();
    await engine?.dispose();
  }, 60_000);
  return () => {
    if (!core || !engine) throw new Error(`the private ${target.kind} engine is not started`);
    return { core, engine };
  };
}
