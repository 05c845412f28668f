// "Install the jobdeck command": puts a small launcher on the user's PATH that runs the CLI the
// app ships (out/cli/jobdeck.mjs) with the app's own Node (ELECTRON_RUN_AS_NODE), as VS Code's
// `code` does. Electron-free policy: the shell gives the paths and a file system; tests fake both.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { posix, win32 } from 'node:path';

const pathsOf = (platform: NodeJS.Platform) => (platform === 'win32' ? win32 : posix);

/** The first line after the shebang: marks a launcher as ours, so a reinstall may replace it. */
export const LAUNCHER_MARK = 'Installed by Jobdeck ("Install the jobdeck command")';

export interface LauncherFs {
  exists(path: string): boolean;
  read(path: string): string;
  mkdirp(dir: string): void;
  /** Writes the whole file (mode applied on POSIX). */
  write(path: string, text: string, mode: number): void;
}

export interface CliInstallPlace {
  platform: NodeJS.Platform;
  home: string;
  env: Readonly<Record<string, string | undefined>>;
  /** The app's executable (process.execPath in the packaged app). */
  execPath: string;
  /** The bundled CLI inside the app's resources. */
  cliPath: string;
}

export interface CliInstalled {
  path: string;
  /** False when the directory is not on PATH yet: the message says how to add it. */
  onPath: boolean;
  replaced: boolean;
}

/** Where the launcher goes: a per-user bin directory, so no administrator rights are needed. */
export function launcherPath(p: Pick<CliInstallPlace, 'platform' | 'home' | 'env'>): string {
  if (p.platform === 'win32') {
    const base = p.env.LOCALAPPDATA ?? win32.join(p.home, 'AppData', 'Local');
    return win32.join(base, 'Programs', 'Jobdeck', 'bin', 'jobdeck.cmd');
  }
  return posix.join(p.home, '.local', 'bin', 'jobdeck');
}

const quoteSh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * NODE_EXTRA_CA_CERTS moved aside, as bin/jobdeck does: Node parses that bundle at every start,
 * and the CLI puts it back wherever TLS may be spoken (src/cli/extraCerts.ts, whose name this is).
 */
const MOVE_CERTS_ASIDE =
  'if [ -n "${NODE_EXTRA_CA_CERTS:-}" ]; then\n  JOBDECK_NODE_EXTRA_CA_CERTS=$NODE_EXTRA_CA_CERTS\n  export JOBDECK_NODE_EXTRA_CA_CERTS\n  unset NODE_EXTRA_CA_CERTS\nfi\n';

export function launcherText(p: Pick<CliInstallPlace, 'platform' | 'execPath' | 'cliPath'>): string {
  if (p.platform === 'win32') {
    return `@echo off\r\nrem ${LAUNCHER_MARK}\r\nset ELECTRON_RUN_AS_NODE=1\r\n"${p.execPath}" "${p.cliPath}" %*\r\n`;
  }
  return `#!/bin/sh\n# ${LAUNCHER_MARK}\n${MOVE_CERTS_ASIDE}ELECTRON_RUN_AS_NODE=1 exec ${quoteSh(p.execPath)} ${quoteSh(p.cliPath)} "$@"\n`;
}

export class CliInstallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliInstallError';
  }
}

const dirOf = (path: string, platform: NodeJS.Platform): string => pathsOf(platform).dirname(path);

/** Whether `dir` is one of PATH's entries (case-insensitive on Windows, as its PATH is). */
export function onPath(dir: string, p: Pick<CliInstallPlace, 'platform' | 'env'>): boolean {
  const win = p.platform === 'win32';
  const path = p.env.PATH ?? p.env.Path ?? '';
  const norm = (s: string) => (win ? s.replace(/[\\/]+$/, '').toLowerCase() : s.replace(/\/+$/, ''));
  return path.split(win ? ';' : ':').some((e) => e !== '' && norm(e) === norm(dir));
}

/** Writes the launcher; never overwrites a `jobdeck` that another program put there. */
export function installCli(fs: LauncherFs, p: CliInstallPlace): CliInstalled {
  if (!fs.exists(p.cliPath)) throw new CliInstallError(`this build of Jobdeck has no command line bundle (${p.cliPath} is missing)`);
  const path = launcherPath(p);
  const dir = dirOf(path, p.platform);
  const replaced = fs.exists(path);
  if (replaced && !fs.read(path).includes(LAUNCHER_MARK)) {
    throw new CliInstallError(`${path} already exists and was not installed by Jobdeck; remove or rename it, then try again`);
  }
  fs.mkdirp(dir);
  fs.write(path, launcherText(p), 0o755);
  return { path, onPath: onPath(dir, p), replaced };
}

/** What the dialog says afterwards, in the user's terms. */
export function installedMessage(r: CliInstalled, platform: NodeJS.Platform): string {
  const done = `${r.replaced ? 'Updated' : 'Installed'} the jobdeck command at ${r.path}.`;
  if (r.onPath) return `${done} Open a new terminal and run: jobdeck --help`;
  const dir = dirOf(r.path, platform);
  return platform === 'win32'
    ? `${done} Its folder is not on your PATH yet: add ${dir} under Settings → System → About → Advanced system settings → Environment Variables, then open a new terminal.`
    : `${done} ${dir} is not on your PATH yet: add  export PATH="${dir}:$PATH"  to your shell's profile (~/.profile, ~/.bashrc or ~/.zshrc), then open a new terminal.`;
}

/** The real file system, for the Electron shell. */
export const nodeLauncherFs: LauncherFs = {
  exists: (p) => existsSync(p),
  read: (p) => readFileSync(p, 'utf8'),
  mkdirp: (d) => void mkdirSync(d, { recursive: true }),
  write: (p, text, mode) => {
    writeFileSync(p, text, { mode });
    chmodSync(p, mode); // an existing file keeps its old mode through writeFileSync
  },
};
