// `npm start`: always ends in a working app. Where the Electron binary is there (or can be
// fetched: npm does not run Electron's download at install time), build and open the window.
// Where it cannot be had, say so in one line, build if needed, start the browser host on
// loopback and open the default browser at its URL (`--no-browser`: only print it).
//   npm start [-- --no-browser] [--browser] [--data-dir DIR] [--port N] [--new-token]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const noBrowser = args.includes('--no-browser');
// The headless host's own options pass through (--data-dir, --port, --new-token).
const hostArgs = args.filter((a) => a !== '--no-browser' && a !== '--browser');
// JOBDECK_ELECTRON_DIR: another electron package directory (tests use one whose download fails).
const electronDir = process.env.JOBDECK_ELECTRON_DIR ?? dirname(require.resolve('electron/package.json'));

function binaryPresent() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return false;
  return existsSync(join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()));
}

/** The reason a download failed, in one line: the first line of what it printed, without the stack. */
function oneLine(text) {
  const lines = text.split('\n').map((l) => l.trim());
  const line = lines.find((l) => /^\w*Error\b/.test(l)) ?? lines.find((l) => l && !l.startsWith('at '));
  return (line ?? 'no reason given').replace(/^(Request|HTTP)?Error:\s*/, '').slice(0, 200);
}

/** Fetch the binary quietly; undefined when it is there, else why not (one line). */
function fetchElectron() {
  if (binaryPresent()) return undefined;
  if (args.includes('--browser')) return 'the browser was asked for';
  process.stdout.write('Jobdeck: fetching the Electron binary (first start)…\n');
  const r = spawnSync(process.execPath, [join(electronDir, 'install.js')], { encoding: 'utf8', timeout: 10 * 60_000 });
  if (r.status === 0 && binaryPresent()) return undefined;
  return r.error ? r.error.message : oneLine(`${r.stderr ?? ''}\n${r.stdout ?? ''}`);
}

// Its package exports no bin path: reach the bin through its package.json.
const viteBin = () => join(dirname(require.resolve('electron-vite/package.json')), 'bin/electron-vite.js');

function newest(dir) {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return t;
}

/** Build when out/ is missing or older than src/. */
function buildIfNeeded() {
  const outputs = ['out/main/headless.js', 'out/renderer/index.html'].map((p) => join(root, p));
  const stale = outputs.some((p) => !existsSync(p)) || newest(join(root, 'src')) > Math.min(...outputs.map((p) => statSync(p).mtimeMs));
  if (!stale) return;
  process.stdout.write('Jobdeck: building…\n');
  const built = spawnSync(process.execPath, [viteBin(), 'build', '--logLevel', 'error'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

/** xdg-open / open / start; false where there is none or it fails. */
function openBrowser(url) {
  const [cmd, cmdArgs] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { stdio: 'ignore', detached: process.platform !== 'win32' });
    child.once('error', () => resolve(false));
    child.once('exit', (code) => resolve(code === 0));
    child.unref();
  });
}

function startBrowserHost() {
  buildIfNeeded();
  const host = spawn(process.execPath, [join(root, 'out/main/headless.js'), ...hostArgs], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let printed = '';
  let opened = false;
  host.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    printed += chunk.toString();
    const url = /Jobdeck headless: (\S+)/.exec(printed)?.[1];
    if (!url || opened) return;
    opened = true;
    if (noBrowser) return;
    void openBrowser(url).then((ok) => {
      if (!ok) process.stdout.write(`Jobdeck: no browser could be opened here; open this address in one: ${url}\n`);
    });
  });
  // Ctrl+C or a kill reaches the host, which stops cleanly (jobs keep running in their containers).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => host.kill(signal));
  host.once('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

const missing = fetchElectron();
if (missing === undefined) {
  const run = (a) => spawnSync(process.execPath, [viteBin(), ...a], { cwd: root, stdio: 'inherit' });
  const built = run(['build']);
  if (built.status !== 0) process.exit(built.status ?? 1);
  process.exit(run(['preview']).status ?? 0);
} else {
  process.stdout.write(`Jobdeck: no Electron binary on this machine (${missing}); starting Jobdeck in your browser instead.\n`);
  startBrowserHost();
}
