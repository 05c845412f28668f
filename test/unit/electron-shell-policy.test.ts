// The Electron shell's policy, tested without Electron (its binary is not available on our build
// machines): single instance, IPC sender checks, the dev server, notifying once, the tray at
// start-up, quitting, and the route a notification opens.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JobEndLedger } from '../../src/shared/jobEnds';
import { goToRouteScript, jobRoute } from '../../src/main/desktop/notifications';
import { noticeForJob } from '../../src/shared/jobEnds';
import {
  isTrustedIpcEvent,
  isTrustedSender,
  rendererLoad,
  rendererSource,
  type FrameLike,
  type IpcEventLike,
} from '../../src/main/desktop/security';
import { bringToFront, runAsSingleInstance } from '../../src/main/desktop/singleInstance';
import { initialTray, onJobEnded, parseLookedAt, trayIcon, withSnapshot } from '../../src/main/desktop/tray';
import { Settings } from '../../src/shared/settings';

describe('electron shell: single instance', () => {
  function fakeApp(gotLock: boolean) {
    const calls: string[] = [];
    const listeners = new Map<string, () => void>();
    return {
      calls,
      listeners,
      app: {
        requestSingleInstanceLock: () => (calls.push('lock'), gotLock),
        quit: () => void calls.push('quit'),
        on: (event: 'second-instance', listener: () => void) => {
          calls.push(`on:${event}`);
          listeners.set(event, listener);
        },
      },
    };
  }

  it('a second instance quits at once and starts nothing', () => {
    const f = fakeApp(false);
    let started = 0;
    let focused = 0;
    expect(runAsSingleInstance(f.app, { start: () => void started++, onSecondInstance: () => void focused++ })).toBe(false);
    expect(started).toBe(0);
    expect(f.calls).toEqual(['lock', 'quit']);
    expect(f.listeners.size).toBe(0);
  });

  it('the first instance starts, and comes to the front when another is launched', () => {
    const f = fakeApp(true);
    let started = 0;
    let focused = 0;
    expect(runAsSingleInstance(f.app, { start: () => void started++, onSecondInstance: () => void focused++ })).toBe(true);
    expect(started).toBe(1);
    expect(f.calls).not.toContain('quit');
    f.listeners.get('second-instance')!();
    expect(focused).toBe(1);
  });

  it('brings a minimized or hidden window back', () => {
    const calls: string[] = [];
    const w = (minimized: boolean) => ({
      isMinimized: () => minimized,
      restore: () => void calls.push('restore'),
      show: () => void calls.push('show'),
      focus: () => void calls.push('focus'),
    });
    bringToFront(w(true));
    expect(calls).toEqual(['restore', 'show', 'focus']);
    calls.length = 0;
    bringToFront(w(false));
    expect(calls).toEqual(['show', 'focus']);
  });
});

describe('electron shell: IPC sender check', () => {
  const fileUrl = 'file:///opt/jobdeck/out/renderer/index.html';
  const packaged = rendererSource({ isPackaged: true, devUrl: undefined, fileUrl });

  it('compares the path of our index.html for file: URLs, where every origin is "null"', () => {
    expect(new URL('file:///tmp/evil.html').origin).toBe(new URL(fileUrl).origin);
    expect(isTrustedSender({ url: `${fileUrl}#/jobs/j1`, isMainFrame: true }, packaged)).toBe(true);
    expect(isTrustedSender({ url: 'file:///tmp/evil.html', isMainFrame: true }, packaged)).toBe(false);
    expect(isTrustedSender({ url: 'file:///opt/jobdeck/out/renderer/other.html', isMainFrame: true }, packaged)).toBe(false);
    expect(isTrustedSender({ url: 'file:///opt/jobdeck/out/renderer/index.html/../../../tmp/x.html', isMainFrame: true }, packaged)).toBe(false);
    // A UNC share (file://host/...) with the same path is somebody else's file.
    expect(isTrustedSender({ url: 'file://evil.example/opt/jobdeck/out/renderer/index.html', isMainFrame: true }, packaged)).toBe(false);
    expect(isTrustedSender({ url: 'file:///opt/jobdeck/out%2Frenderer/index.html', isMainFrame: true }, packaged)).toBe(false);
  });

  it('compares the full origin for the dev server', () => {
    const dev = rendererSource({ isPackaged: false, devUrl: 'http://localhost:5173', fileUrl });
    expect(isTrustedSender({ url: 'http://localhost:5173/#/queue', isMainFrame: true }, dev)).toBe(true);
    expect(isTrustedSender({ url: 'https://localhost:5173/', isMainFrame: true }, dev)).toBe(false);
    expect(isTrustedSender({ url: 'http://localhost:5174/', isMainFrame: true }, dev)).toBe(false);
    expect(isTrustedSender({ url: 'http://127.0.0.1:5173/', isMainFrame: true }, dev)).toBe(false);
    expect(isTrustedSender({ url: 'http://localhost:5173/', isMainFrame: false }, dev)).toBe(false);
  });

  const main: FrameLike = { url: fileUrl, parent: null, frameTreeNodeId: 1 };
  const event = (frame: FrameLike | null, id = 7): IpcEventLike => ({ senderFrame: frame, sender: { id, mainFrame: main } });
  const ours = (id: number) => id === 7;

  it('trusts only the main frame of a window we made', () => {
    expect(isTrustedIpcEvent(event(main), ours, packaged)).toBe(true);
    expect(isTrustedIpcEvent(event(main, 8), ours, packaged)).toBe(false);
    expect(isTrustedIpcEvent(event({ url: fileUrl, parent: main, frameTreeNodeId: 2 }), ours, packaged)).toBe(false);
    expect(isTrustedIpcEvent(event({ url: fileUrl, parent: null, frameTreeNodeId: 3 }), ours, packaged)).toBe(false);
    expect(isTrustedIpcEvent(event(null), ours, packaged)).toBe(false);
    expect(isTrustedIpcEvent(event({ ...main, url: 'https://evil.example/' }), ours, packaged)).toBe(false);
  });

  it('refuses a frame that Electron disposed while the call was under way', () => {
    const disposed = {
      get url(): string {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
      parent: null,
      frameTreeNodeId: 1,
    };
    expect(isTrustedIpcEvent(event(disposed), ours, packaged)).toBe(false);
  });
});

describe('electron shell: the dev server only when not packaged', () => {
  const fileUrl = 'file:///opt/jobdeck/out/renderer/index.html';
  it('ignores ELECTRON_RENDERER_URL in a packaged app, for loading and for trust', () => {
    const source = rendererSource({ isPackaged: true, devUrl: 'http://localhost:5173', fileUrl });
    expect(source).toEqual({ fileUrl });
    expect(rendererLoad(source)).toEqual({ file: true });
    expect(isTrustedSender({ url: 'http://localhost:5173/', isMainFrame: true }, source)).toBe(false);
  });
  it('uses a http(s) dev server in development, and nothing else', () => {
    const source = rendererSource({ isPackaged: false, devUrl: 'http://localhost:5173', fileUrl });
    expect(source.devUrl).toBe('http://localhost:5173');
    expect(rendererLoad(source, '/jobs/j1')).toEqual({ url: 'http://localhost:5173/#/jobs/j1' });
    expect(rendererSource({ isPackaged: false, devUrl: 'file:///tmp/evil.html', fileUrl }).devUrl).toBeUndefined();
    expect(rendererSource({ isPackaged: false, devUrl: 'not a url', fileUrl }).devUrl).toBeUndefined();
    expect(rendererSource({ isPackaged: false, devUrl: undefined, fileUrl }).devUrl).toBeUndefined();
  });
});

describe('electron shell: a job end notifies once', () => {
  const settings = Settings.parse({});
  const at = (ms: number) => new Date(ms).toISOString();
  const job = (status: 'pending' | 'running' | 'completed' | 'failed' | 'cancelled', finishedAt?: string) => ({
    id: 'j1',
    templateName: 'nightly',
    status,
    exitCode: status === 'failed' ? 1 : 0,
    reason: status === 'failed' ? ('Error' as const) : ('Completed' as const),
    ...(finishedAt ? { finishedAt } : {}),
  });

  /** What the shell does per job.updated: the ledger decides, then the notice (settings, muting). */
  const notices = (ledger: JobEndLedger, events: ReturnType<typeof job>[], s = settings) =>
    events.filter((e) => ledger.observe(e)).map((e) => noticeForJob(e, s)).filter((n) => n !== null);

  it('says an end once when its update is sent again', () => {
    const ledger = new JobEndLedger({ since: 1000 });
    expect(notices(ledger, [job('running'), job('failed', at(2000)), job('failed', at(2000)), job('failed', at(2000))])).toHaveLength(1);
  });

  it('says nothing for ends from before the shell started (a reloaded snapshot)', () => {
    const ledger = new JobEndLedger({ since: 5000 });
    expect(notices(ledger, [job('failed', at(2000)), job('completed', at(3000))])).toHaveLength(0);
  });

  it('says nothing for an end already known from the start-up snapshot', () => {
    const ledger = new JobEndLedger({ since: 1000 });
    expect(ledger.remember(job('failed', at(2000)))).toBe(true);
    expect(notices(ledger, [job('failed', at(2000))])).toHaveLength(0);
  });

  it('says it again when a failed job is retried and ends again', () => {
    const ledger = new JobEndLedger({ since: 1000 });
    const said = notices(ledger, [job('failed', at(2000)), job('pending'), job('running'), job('failed', at(9000)), job('failed', at(2000))]);
    expect(said).toHaveLength(2);
  });

  it('still mutes successes when asked', () => {
    const muted = Settings.parse({ notifications: { muteSuccess: true } });
    expect(notices(new JobEndLedger({ since: 1000 }), [job('completed', at(2000))], muted)).toHaveLength(0);
    expect(notices(new JobEndLedger({ since: 1000 }), [job('failed', at(2000))], muted)).toHaveLength(1);
  });

  it('stays bounded in memory', () => {
    const ledger = new JobEndLedger({ cap: 2 });
    for (const id of ['a', 'b', 'c']) expect(ledger.observe({ id, status: 'failed', finishedAt: at(1) })).toBe(true);
    expect(ledger.observe({ id: 'c', status: 'failed', finishedAt: at(1) })).toBe(false);
  });

  it('counts a failure in the tray once', () => {
    const ledger = new JobEndLedger({ since: 1000 });
    let s = initialTray;
    for (const e of [job('failed', at(2000)), job('failed', at(2000))]) if (ledger.observe(e)) s = onJobEnded(s, e, false);
    expect(s.unseenFailures).toBe(1);
  });
});

describe('electron shell: the tray at start-up', () => {
  const looked = '2025-01-01T10:00:00.000Z';
  const failed = [
    { id: 'new1', status: 'failed' as const, finishedAt: '2025-01-01T11:00:00.000Z' },
    { id: 'new2', status: 'failed' as const, finishedAt: '2025-01-01T10:30:00.000Z' },
    { id: 'old', status: 'failed' as const, finishedAt: '2025-01-01T09:00:00.000Z' },
  ];
  const snap = { queue: { running: 3, paused: true }, failed };

  it('shows the running count and the failures since the user last looked, without waiting for an event', () => {
    const s = withSnapshot(initialTray, snap, { lookedAt: looked, queueHeard: false, isNew: () => true });
    expect(s).toEqual({ running: 3, paused: true, unseenFailures: 2 });
    expect(trayIcon(s)).toBe('failed');
  });

  it('keeps a newer queue.state event, and does not count a failure an event already counted', () => {
    const current = { running: 1, paused: false, unseenFailures: 1 };
    const s = withSnapshot(current, snap, { lookedAt: looked, queueHeard: true, isNew: (j) => j.id !== 'new1' });
    expect(s).toEqual({ running: 1, paused: false, unseenFailures: 2 });
  });

  it('counts nothing as unseen before the user has ever looked', () => {
    expect(withSnapshot(initialTray, snap, { lookedAt: undefined, queueHeard: false, isNew: () => true }).unseenFailures).toBe(0);
  });

  it('reads the saved look time only when it is one', () => {
    expect(parseLookedAt({ lookedAt: looked })).toBe(looked);
    expect(parseLookedAt({ lookedAt: 'yesterday' })).toBeUndefined();
    expect(parseLookedAt(undefined)).toBeUndefined();
    expect(parseLookedAt('x')).toBeUndefined();
  });

  it('seeds the notice ledger so a re-sent update of a snapshot failure says nothing', () => {
    const ledger = new JobEndLedger({ since: Date.parse('2025-01-01T10:45:00.000Z') });
    withSnapshot(initialTray, snap, { lookedAt: looked, queueHeard: false, isNew: (j) => ledger.remember(j) });
    expect(ledger.observe(failed[0]!)).toBe(false);
  });
});

describe('electron shell: a notification opens its job', () => {
  it('builds the route the renderer reads, and a script that only sets the hash', async () => {
    // Loaded by path so the node tsconfig does not type-check the renderer (it has the DOM lib).
    const routes = '../../src/renderer/src/routes';
    const { routeFromHash } = (await import(/* @vite-ignore */ routes)) as { routeFromHash(h: string): { view: string; jobId?: string } };
    for (const id of ['0b6c2a1e-1f7d-4e55-9c1f-6d3f0c2b9a11', 'j 1/"x"']) {
      expect(routeFromHash(`#${jobRoute(id)}`)).toEqual({ view: 'job', jobId: id });
    }
    const script = goToRouteScript(jobRoute('a";alert(1);"'));
    expect(script).toBe(`location.hash = ${JSON.stringify(`#${jobRoute('a";alert(1);"')}`)};`);
    expect(script).not.toContain('alert(1);"');
  });

  it('the renderer follows hash changes in an open window', () => {
    const main = readFileSync('src/renderer/src/main.tsx', 'utf8');
    expect(main).toMatch(/addEventListener\(\s*['"]hashchange['"]/);
    expect(main).toMatch(/routeFromHash\(location\.hash\)/);
  });
});
