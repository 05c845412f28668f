// The steps of e2e global setup, each safe to repeat: build, engines, test image, headless host.
// The integration suites (hostProcess.ts) and the benches (bench/support/host.ts) start the
// host the same way.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, symlinkSync, copyFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APPLETS, BUSYBOX, PODMAN_CONF, TEST_IMAGE } from './testImage';

function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return t;
}

/** Builds when out/ is missing or older than src/ (JOBDECK_E2E_BUILD=1 forces, =0 skips); the benches use it too. */
export function buildIfNeeded(root: string): void {
  const entry = join(root, 'out/main/headless.js');
  const page = join(root, 'out/renderer/index.html');
  const force = process.env.JOBDECK_E2E_BUILD;
  if (force === '0') return;
  const stale = !existsSync(entry) || !existsSync(page) || newest(join(root, 'src')) > Math.min(statSync(entry).mtimeMs, statSync(page).mtimeMs);
  if (force !== '1' && !stale) return;
  execFileSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
}

function answers(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', env, timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

/** Docker at /var/run/docker.sock and Podman's API at /run/podman/podman.sock; started when down. */
export function ensureEngines(root: string): void {
  if (answers(join(root, 'scripts/engines.sh'), ['status'])) return;
  execFileSync(join(root, 'scripts/engines.sh'), ['start'], { cwd: root, stdio: 'inherit' });
}

/** A busybox root file system from Debian's busybox-static, imported into both engines: no registry needed. */
export function ensureTestImage(): void {
  const podmanEnv = { ...process.env, CONTAINERS_CONF: PODMAN_CONF };
  const haveDocker = answers('docker', ['image', 'inspect', TEST_IMAGE]);
  const havePodman = answers('podman', ['image', 'exists', TEST_IMAGE], podmanEnv);
  if (haveDocker && havePodman) return;
  if (!existsSync(BUSYBOX)) throw new Error(`${BUSYBOX} is missing: apt-get install busybox-static`);
  const rootfs = mkdtempSync(join(tmpdir(), 'jobdeck-rootfs-'));
  for (const d of ['bin', 'tmp', 'out']) mkdirSync(join(rootfs, d));
  chmodSync(join(rootfs, 'tmp'), 0o1777);
  chmodSync(join(rootfs, 'out'), 0o777);
  copyFileSync(BUSYBOX, join(rootfs, 'bin/busybox'));
  chmodSync(join(rootfs, 'bin/busybox'), 0o755);
  for (const a of APPLETS) symlinkSync('busybox', join(rootfs, 'bin', a));
  const tar = execFileSync('tar', ['-C', rootfs, '-c', '.'], { maxBuffer: 64 * 1024 * 1024 });
  if (!haveDocker) execFileSync('docker', ['import', '-', TEST_IMAGE], { input: tar, stdio: ['pipe', 'ignore', 'inherit'] });
  if (!havePodman) execFileSync('podman', ['import', '-', TEST_IMAGE], { input: tar, env: podmanEnv, stdio: ['pipe', 'ignore', 'inherit'] });
}

export interface RunningHost {
  url: string;
  child: ChildProcess;
  dataDir: string;
  /** Everything the host printed about itself so far, stdout and stderr. */
  output(): string;
}

export interface HostOptions {
  /** A fresh temp dir by default. */
  dataDir?: string;
  /** The script to run; the built out/main/headless.js by default. */
  entry?: string;
  /** Added to the environment (after DOCKER_HOST and CONTAINER_HOST are taken out). */
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** The host finds the local sockets itself; a DOCKER_HOST from the developer's shell would redirect it. */
function withoutEngineOverrides(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.DOCKER_HOST;
  delete env.CONTAINER_HOST;
  return env;
}

/** `node out/main/headless.js --port 0 --data-dir <dir>`; resolves with the URL it prints. */
export function startHost(root: string, opts: HostOptions = {}): Promise<RunningHost> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'jobdeck-e2e-'));
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const child = spawn(process.execPath, [opts.entry ?? join(root, 'out/main/headless.js'), '--port', '0', '--data-dir', dataDir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...withoutEngineOverrides(), ...opts.env },
  });
  let out = '';
  let err = '';
  let all = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`the headless host printed no URL within ${timeoutMs / 1000} s`)), timeoutMs);
    const fail = (e: Error) => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(new Error(`${e.message}\nstdout: ${out}\nstderr: ${err}`));
    };
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
      all += c.toString();
      process.stderr.write(`[headless] ${c.toString()}`);
    });
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      all += c.toString();
      const m = /Jobdeck headless: (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ url: m[1], child, dataDir, output: () => all });
      }
    });
    child.once('exit', (code, signal) => fail(new Error(`the headless host exited with ${signal ?? code}`)));
  });
}

/** SIGTERM, then SIGKILL if it has not gone within 15 s. */
export async function stopHost(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await gone;
  clearTimeout(timer);
}
