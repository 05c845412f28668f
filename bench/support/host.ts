// The built app behind the headless host, and Debian's Chromium driven by playwright-core: what
// the renderer benches measure in. Nothing here starts or needs a container engine.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.JOBDECK_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return t;
}

/** The build the benches run: out/, or JOBDECK_BENCH_OUT (a dir with main/headless.js and renderer/). */
export function outDir(root: string): string {
  return process.env.JOBDECK_BENCH_OUT ? resolve(process.env.JOBDECK_BENCH_OUT) : join(root, 'out');
}

/**
 * `electron-vite build` when out/ is missing or older than src/ (JOBDECK_BENCH_BUILD=0 skips, =1
 * forces; a JOBDECK_BENCH_OUT build is taken as it is).
 */
export function buildIfNeeded(root: string): void {
  if (process.env.JOBDECK_BENCH_OUT) return;
  const entry = join(root, 'out/main/headless.js');
  const page = join(root, 'out/renderer/index.html');
  const force = process.env.JOBDECK_BENCH_BUILD;
  if (force === '0') return;
  const stale = !existsSync(entry) || !existsSync(page) || newest(join(root, 'src')) > Math.min(statSync(entry).mtimeMs, statSync(page).mtimeMs);
  if (force !== '1' && !stale) return;
  execFileSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
}

export interface Host {
  url: string;
  stop(): Promise<void>;
}

/** `node out/main/headless.js --port 0 --data-dir <dir>` on a data dir seeded beforehand (see outDir). */
export function startHost(root: string, dataDir: string): Promise<Host> {
  const env = { ...process.env };
  // The host finds the local sockets itself; a DOCKER_HOST from the shell would redirect it.
  delete env.DOCKER_HOST;
  delete env.CONTAINER_HOST;
  const child = spawn(process.execPath, [join(outDir(root), 'main/headless.js'), '--port', '0', '--data-dir', dataDir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => fail(new Error('the headless host printed no URL within 120 s')), 120_000);
    const fail = (e: Error) => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(new Error(`${e.message}\nstdout: ${out}\nstderr: ${err}`));
    };
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
      process.stderr.write(`[headless] ${c.toString()}`);
    });
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /Jobdeck headless: (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ url: m[1], stop: () => stopChild(child) });
      }
    });
    child.once('exit', (code) => fail(new Error(`the headless host exited with ${code}`)));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await gone;
  clearTimeout(timer);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface LongTask {
  start: number;
  duration: number;
}

/**
 * The page's globals that functions run in the page (page.evaluate) use. The benches are type
 * checked with Node's libraries only (tsconfig.node.json has no DOM), so they reach the page's
 * window through this: `const w = globalThis as unknown as PageWindow`.
 */
export interface PageElement {
  textContent: string | null;
  scrollTop: number;
  hasAttribute(name: string): boolean;
  getAttribute(name: string): string | null;
}
export interface PageWindow {
  document: {
    querySelector(selector: string): PageElement | null;
    querySelectorAll(selector: string): ArrayLike<PageElement>;
    getElementById(id: string): PageElement | null;
  };
  requestAnimationFrame(callback: () => void): number;
  __longTasks?: LongTask[];
  __longTasksError?: string;
}

/**
 * Run before any of the page's own scripts (addInitScript): every long task (> 50 ms on the main
 * thread) is kept in window.__longTasks with its start on the page's performance clock.
 */
export const LONG_TASK_OBSERVER = `
  window.__longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) {
    window.__longTasksError = String(e);
  }
`;

/** A page with the long-task observer in place before anything of its own runs. */
export async function observedPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
  await context.addInitScript({ content: LONG_TASK_OBSERVER });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  return page;
}

/** The long tasks that overlap [from, to] on the page's clock, after the observer has had its say. */
export async function longTasksBetween(page: Page, from: number, to: number): Promise<LongTask[]> {
  // Long-task entries are delivered after the task: give the observer a frame and a tick.
  await page.evaluate(() => new Promise((r) => (globalThis as unknown as PageWindow).requestAnimationFrame(() => setTimeout(r, 50))));
  const { tasks, error } = await page.evaluate(() => {
    const w = globalThis as unknown as PageWindow;
    return { tasks: w.__longTasks ?? [], error: w.__longTasksError };
  });
  if (error) throw new Error(`this Chromium has no longtask observer: ${error}`);
  return tasks.filter((t) => t.start + t.duration >= from && t.start <= to);
}

export const longest = (tasks: LongTask[]): number => tasks.reduce((m, t) => Math.max(m, t.duration), 0);

/** One-minute load average and core count, printed with the figures: the machine is shared. */
export function load(): string {
  const [one, five] = loadavg();
  return `load ${one!.toFixed(2)} (5 min ${five!.toFixed(2)}) on ${availableParallelism()} cores`;
}
