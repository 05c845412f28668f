// The built app behind the headless host, and Debian's Chromium driven by playwright-core: what
// the renderer benches measure in. Nothing here starts or needs a container engine.
import { availableParallelism, loadavg } from 'node:os';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildIfNeeded, startHost as startHeadless, stopHost } from '../../test/support/headlessHost';

export const CHROMIUM = process.env.JOBDECK_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

export { buildIfNeeded };

export interface Host {
  url: string;
  stop(): Promise<void>;
}

/** Engine addresses that answer nothing, for a host that needs no engine. */
export const NO_ENGINES = { DOCKER_HOST: 'unix:///nonexistent/jobdeck-bench-docker.sock', CONTAINER_HOST: 'unix:///nonexistent/jobdeck-bench-podman.sock' };

/** The built headless host on a data dir seeded beforehand: started as the e2e suite starts it. */
export async function startHost(root: string, dataDir: string): Promise<Host> {
  // Engines pointed at a socket that is not there: the renderer figures never wait on an engine
  // (a busy or hung engine held the host's start for minutes on a shared machine).
  const host = await startHeadless(root, { dataDir, timeoutMs: 120_000, env: NO_ENGINES });
  return { url: host.url, stop: () => stopHost(host.child) };
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
