import { describe, expect, it } from 'vitest';
import { noticeForJob } from '../../src/shared/jobEnds';
import { safeStorageCodec } from '../../src/main/desktop/secretCodec';
import { isSafeExternalUrl, isTrustedSender, secureWebPreferences } from '../../src/main/desktop/security';
import { initialTray, onJobEnded, onWindowFocused, trayIcon, trayMenu, trayTooltip } from '../../src/main/desktop/tray';
import { DEFAULT_WINDOW, restoreWindowState } from '../../src/main/desktop/windowState';
import { Settings } from '../../src/shared/settings';

describe('electron shell: window options', () => {
  it('isolates, sandboxes and keeps Node out of the renderer', () => {
    expect(secureWebPreferences('/app/preload.cjs')).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
    });
  });

  it('restores size and place only onto a display that still exists', () => {
    const displays = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    expect(restoreWindowState({ x: 100, y: 80, width: 1400, height: 900, maximized: true }, displays)).toEqual({
      x: 100, y: 80, width: 1400, height: 900, maximized: true,
    });
    expect(restoreWindowState({ x: 4000, y: 80, width: 1400, height: 900 }, displays)).toEqual({ width: 1400, height: 900, maximized: false });
    expect(restoreWindowState({ width: 'huge' }, displays)).toEqual(DEFAULT_WINDOW);
    expect(restoreWindowState(undefined, displays)).toEqual(DEFAULT_WINDOW);
  });
});

describe('electron shell: IPC sender check', () => {
  const trusted = { fileUrl: 'file:///opt/jobdeck/out/renderer/index.html' };
  it('answers our own page in the main frame', () => {
    expect(isTrustedSender({ url: 'file:///opt/jobdeck/out/renderer/index.html#/queue', isMainFrame: true }, trusted)).toBe(true);
    expect(isTrustedSender({ url: 'http://localhost:5173/#/x', isMainFrame: true }, { ...trusted, devUrl: 'http://localhost:5173' })).toBe(true);
  });
  it('refuses subframes, a missing frame, foreign origins and other local files', () => {
    expect(isTrustedSender({ url: 'file:///opt/jobdeck/out/renderer/index.html', isMainFrame: false }, trusted)).toBe(false);
    expect(isTrustedSender(null, trusted)).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', isMainFrame: true }, trusted)).toBe(false);
    expect(isTrustedSender({ url: 'file:///tmp/evil.html', isMainFrame: true }, trusted)).toBe(false);
    expect(isTrustedSender({ url: 'http://localhost:5174/', isMainFrame: true }, { ...trusted, devUrl: 'http://localhost:5173' })).toBe(false);
    expect(isTrustedSender({ url: 'not a url', isMainFrame: true }, trusted)).toBe(false);
  });
  it('opens only http(s) links outside, never file:, javascript: or credentials', () => {
    expect(isSafeExternalUrl('https://kubernetes.io/docs/')).toBe(true);
    for (const bad of ['file:///etc/passwd', 'javascript:alert(1)', 'https://user:pw@host/', 'smb://host/share', 'nonsense']) {
      expect(isSafeExternalUrl(bad), bad).toBe(false);
    }
  });
});

describe('electron shell: tray', () => {
  it('shows idle, running, then failed-since-you-looked until the window is focused', () => {
    let s = initialTray;
    expect(trayIcon(s)).toBe('idle');
    s = { ...s, running: 2 };
    expect(trayIcon(s)).toBe('running');
    expect(trayTooltip(s)).toBe('Jobdeck: 2 running');
    s = onJobEnded(s, { status: 'failed' }, false);
    expect(trayIcon(s)).toBe('failed');
    expect(onJobEnded(s, { status: 'completed' }, false).unseenFailures).toBe(1);
    expect(onJobEnded(initialTray, { status: 'failed' }, true).unseenFailures).toBe(0);
    s = onWindowFocused(s);
    expect(trayIcon(s)).toBe('running');
  });
  it('has a menu with the running count, pause or resume, open and quit', () => {
    expect(trayMenu({ running: 1, paused: false, unseenFailures: 0 }).map((i) => [i.label, i.action])).toEqual([
      ['1 job running', undefined],
      ['Pause queue', 'pause'],
      ['Open Jobdeck', 'open'],
      ['Quit', 'quit'],
    ]);
    expect(trayMenu({ running: 0, paused: true, unseenFailures: 0 })[1]).toMatchObject({ label: 'Resume queue', action: 'resume' });
  });
  it('offers to install the jobdeck command in a packaged app only', () => {
    expect(trayMenu(initialTray, { packaged: true }).map((i) => i.action)).toEqual([undefined, 'pause', 'open', 'install-cli', 'quit']);
    expect(trayMenu(initialTray).map((i) => i.action)).not.toContain('install-cli');
  });
});

describe('electron shell: notifications when a job ends', () => {
  const settings = Settings.parse({});
  const job = { id: 'j1', templateName: 'nightly', status: 'failed' as const, exitCode: 3, reason: 'Error' as const };
  it('says a failure with its exit code and reason', () => {
    const n = noticeForJob(job, settings);
    expect(n).toMatchObject({ title: 'nightly failed', jobId: 'j1' });
    expect(n!.body).toMatch(/exit code 3, Error/);
    expect(noticeForJob({ ...job, exitCode: 137, reason: 'OOMKilled' }, settings)!.body).toMatch(/memory limit/);
  });
  it('says a success unless successes are muted, and nothing when notifications are off', () => {
    const ok = { ...job, status: 'completed' as const, exitCode: 0, reason: 'Completed' as const };
    expect(noticeForJob(ok, settings)).toMatchObject({ title: 'nightly succeeded' });
    expect(noticeForJob(ok, Settings.parse({ notifications: { muteSuccess: true } }))).toBeNull();
    expect(noticeForJob(job, Settings.parse({ notifications: { enabled: false } }))).toBeNull();
    expect(noticeForJob({ ...job, status: 'running' as const }, settings)).toBeNull();
  });
});

describe('electron shell: secrets through safeStorage', () => {
  it('encrypts with the OS keychain and stores base64', () => {
    const fake = {
      isEncryptionAvailable: () => true,
      encryptString: (s: string) => Buffer.from([...Buffer.from(s)].reverse()),
      decryptString: (b: Buffer) => Buffer.from([...b].reverse()).toString(),
    };
    const codec = safeStorageCodec(fake);
    const stored = codec.encrypt('hunter2');
    expect(stored).not.toContain('hunter2');
    expect(codec.decrypt(stored)).toBe('hunter2');
    expect(codec.available).toBe(true);
  });
});
