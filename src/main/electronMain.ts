// Composition root for the desktop app: Electron lifecycle, the window, tray, notifications and
// the ipcMain transport around the same core the headless host uses. Policy lives in ./electron/
// (no `electron` import there, unit-tested in test/unit/electron-*.test.ts); this file only wires.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, Notification, safeStorage, screen, session, shell, Tray } from 'electron';
import { processUser } from './core/audit/audit';
import { createJobdeck, type Jobdeck } from './core/jobdeck';
import { JobEndLedger } from '../shared/jobEnds';
import type { DesktopNotice } from '../shared/notify';
import { desktopArtifactShell } from './desktop/artifactShell';
import { desktopSaveDialog } from './desktop/saveDialog';
import { desktopFilePicker } from './desktop/filePicker';
import { readJsonFile, writeJsonFile } from './desktop/jsonFile';
import { goToRouteScript, jobRoute } from './desktop/notifications';
import { QuitFlow } from './desktop/quit';
import { safeStorageCodec } from './desktop/secretCodec';
import { CONTENT_SECURITY_POLICY, isSafeExternalUrl, isTrustedIpcEvent, rendererLoad, rendererSource, secureWebPreferences } from './desktop/security';
import { bringToFront, runAsSingleInstance } from './desktop/singleInstance';
import { startOrExplain } from './desktop/startup';
import {
  initialTray,
  onAlerts,
  onJobEnded,
  onQueueState,
  onWindowFocused,
  parseLookedAt,
  trayIcon,
  trayMenu,
  trayTooltip,
  withSnapshot,
  type TrayState,
} from './desktop/tray';
import { installCli, installedMessage, nodeLauncherFs } from './desktop/cliInstall';
import { restoreWindowState, type WindowState } from './desktop/windowState';
import { createDispatcher } from './ipc/dispatch';
import { startSocket, type SocketHost } from './socket/socketServer';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type AppEvent } from '../shared/ipc';

const here = fileURLToPath(new URL('.', import.meta.url));
const resources = join(here, '../../resources');
const rendererFile = join(here, '../renderer/index.html');
// The dev server counts only in an unpackaged app, for loading and for the IPC sender check alike.
const renderer = rendererSource({ isPackaged: app.isPackaged, devUrl: process.env.ELECTRON_RENDERER_URL, fileUrl: pathToFileURL(rendererFile).href });
// The window and the tray are the 'app' client of the audit trail, run by this OS user.
const USER = processUser();
const SHELL = { clientId: 'shell', client: 'app', user: USER } as const;

let core: Jobdeck | undefined;
let socket: SocketHost | undefined;
let ready = false;
let win: BrowserWindow | undefined;
let tray: Tray | undefined;
let trayState: TrayState = initialTray;
let alertsHeard = false;
let queueHeard = false;
let closeToTray = true;
/** webContents id → the core's client id, for the windows we made (and only those). */
const clients = new Map<number, string>();
// Ends before this start are old news (a reloaded snapshot), ends after it notify once each.
const ends = new JobEndLedger({ since: Date.now() });
const quit = new QuitFlow({
  running: () => core?.runningCount() ?? 0,
  ask: async (question) => {
    const parent = win && !win.isDestroyed() && win.isVisible() ? win : undefined;
    return (await (parent ? dialog.showMessageBox(parent, question) : dialog.showMessageBox(question))).response;
  },
  close: async ({ stopRunning }) => {
    if (win && !win.isDestroyed() && win.isFocused()) markLooked();
    await socket?.close();
    await core?.close({ stopRunning });
  },
  quit: () => app.quit(),
  log: (message) => console.error(message),
});

const userFile = (name: string) => join(app.getPath('userData'), name);
const trayEnabled = () => closeToTray && tray !== undefined;

// A second instance quits before it opens the store or a window; the first comes to the front.
runAsSingleInstance(app, { start: boot, onSecondInstance: () => showWindow() });

function boot(): void {
  app.on('before-quit', (e) => {
    if (!quit.beforeQuit()) e.preventDefault();
  });
  app.on('window-all-closed', () => {
    if (!trayEnabled()) app.quit();
  });
  app.on('activate', () => showWindow());
  // A start that fails (another Jobdeck holds the data dir) says why in a dialog and quits.
  const shell = { showErrorBox: (title: string, content: string) => dialog.showErrorBox(title, content), exit: (code: number) => app.exit(code) };
  app.whenReady().then(() => startOrExplain(start, shell), (error: unknown) => {
    dialog.showErrorBox('Jobdeck could not start', error instanceof Error ? error.message : String(error));
    app.exit(1);
  });
}

async function start(): Promise<void> {
  // Our own CSP on every response the app loads, in addition to the page's meta tag.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));

  const jobdeck = await createJobdeck({
    dataDir: app.getPath('userData'),
    kind: 'electron',
    secretCodec: safeStorageCodec(safeStorage),
    artifactShell: desktopArtifactShell(shell, app.getPath('userData')),
    saveDialog: desktopSaveDialog((options) => dialog.showSaveDialog(options), app.getPath('downloads')),
    filePicker: desktopFilePicker((options) => dialog.showOpenDialog(options), app.getPath('home')),
  });
  core = jobdeck;
  closeToTray = (await jobdeck.handlers['settings.get']({}, SHELL)).closeToTray;

  const dispatch = createDispatcher(jobdeck.handlers, (command, error) => console.error(`jobdeck: ${command} failed`, error));
  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, command: unknown, input: unknown) => {
    if (!isTrustedIpcEvent(event, (id) => clients.has(id), renderer)) {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'this frame may not call Jobdeck' } };
    }
    return dispatch(command, input, { clientId: clients.get(event.sender.id) ?? 'unknown', client: 'app', user: USER });
  });

  // The local socket for the `jobdeck` command line; a failure to listen leaves the window working.
  try {
    socket = await startSocket({ core: jobdeck, dataDir: app.getPath('userData') });
    jobdeck.setSocket(socket.path);
  } catch (error) {
    console.error('jobdeck: the local socket could not start', error);
  }

  tray = new Tray(nativeImage.createFromPath(join(resources, 'tray-idle.png')));
  tray.on('click', () => showWindow());
  jobdeck.onEvent(SHELL.clientId, onCoreEvent);
  setTray(trayState);
  void loadTraySnapshot(jobdeck);
  ready = true;
  win = createWindow();
}

function onCoreEvent(event: AppEvent): void {
  if (event.name === 'queue.state') {
    queueHeard = true;
    setTray(onQueueState(trayState, event.payload));
  }
  if (event.name === 'alerts.changed') {
    alertsHeard = true;
    setTray(onAlerts(trayState, event.payload.active));
  }
  // A re-sent update of an ended job says nothing new: one tray count and one notice per end.
  if (event.name === 'job.updated' && ends.observe(event.payload)) {
    setTray(onJobEnded(trayState, event.payload, Boolean(win && !win.isDestroyed() && win.isFocused())));
    refreshCloseToTray().catch((error: unknown) => console.error('jobdeck: could not read the settings', error));
  }
  // What to notify is the core's rules' decision (src/main/core/notify): the shell only shows it.
  if (event.name === 'notify.desktop') showNotice(event.payload);
}

/** The tray shows the queue as it is at start-up, not only from the first event on. */
async function loadTraySnapshot(jobdeck: Jobdeck): Promise<void> {
  try {
    const [queue, failed] = await Promise.all([
      jobdeck.handlers['queue.state']({}, SHELL),
      jobdeck.handlers['jobs.list']({ status: ['failed'], sort: 'finishedAt', order: 'desc', offset: 0, limit: 1000 }, SHELL),
    ]);
    const lookedAt = parseLookedAt(readJsonFile(userFile('tray-state.json')));
    setTray(withSnapshot(trayState, { queue, failed: failed.items }, { lookedAt, queueHeard, isNew: (job) => ends.remember(job) }));
    // Alerts active at start-up, unless an alerts.changed (newer) was heard meanwhile.
    const alerts = await jobdeck.handlers['alerts.list']({}, SHELL);
    if (!alertsHeard) setTray(onAlerts(trayState, alerts.active));
  } catch (error) {
    console.error('jobdeck: could not load the queue for the tray', error);
  }
}

async function refreshCloseToTray(): Promise<void> {
  const settings = await core?.handlers['settings.get']({}, SHELL);
  if (settings) closeToTray = settings.closeToTray;
}

function showNotice(notice: DesktopNotice): void {
  if (!Notification.isSupported()) return;
  const n = new Notification({ title: notice.title, body: notice.body, icon: join(resources, 'icon.png') });
  n.on('click', () => showWindow(notice.jobId));
  n.show();
}

/** The user looked at the window: failures up to now are seen, in this run and the next. */
function markLooked(): void {
  writeJsonFile(userFile('tray-state.json'), { lookedAt: new Date().toISOString() });
}

function saveWindowState(w: BrowserWindow): void {
  const state: WindowState = { ...w.getNormalBounds(), maximized: w.isMaximized() };
  writeJsonFile(userFile('window-state.json'), state);
}

function createWindow(route?: string): BrowserWindow {
  const jobdeck = core;
  if (!jobdeck) throw new Error('the window is made only once the core is ready');
  const state = restoreWindowState(readJsonFile(userFile('window-state.json')), screen.getAllDisplays().map((d) => d.workArea));
  // The web preferences come from secureWebPreferences() (isolation, sandbox, no Node, Auxclick off),
  // unit-tested in test/unit/shell-adapters.test.ts; the scanner cannot see through the call.
  const w = new BrowserWindow({ // eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK
    ...state,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Jobdeck',
    backgroundColor: '#0f1115',
    icon: join(resources, 'icon.png'),
    webPreferences: secureWebPreferences(join(here, '../preload/index.cjs')),
  });
  if (state.maximized) w.maximize();
  w.once('ready-to-show', () => w.show());
  w.on('focus', () => {
    setTray(onWindowFocused(trayState));
    markLooked();
  });
  w.on('blur', () => markLooked());
  w.on('close', (e) => {
    saveWindowState(w);
    if (!quit.quitting && trayEnabled()) {
      e.preventDefault();
      w.hide();
    }
  });
  const id = w.webContents.id;
  const clientId = randomUUID();
  clients.set(id, clientId);
  const off = jobdeck.onEvent(clientId, (event) => {
    if (!w.isDestroyed()) w.webContents.send(IPC_EVENT_CHANNEL, event);
  });
  w.webContents.on('destroyed', () => {
    off();
    jobdeck.dropClient(clientId);
    clients.delete(id);
  });
  // Nothing navigates away or opens windows; http(s) links go to the system browser.
  w.webContents.on('will-navigate', (e) => e.preventDefault());
  w.webContents.setWindowOpenHandler(({ url }) => {
    // Only http(s) URLs with a host (isSafeExternalUrl) reach openExternal.
    if (isSafeExternalUrl(url)) void shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK
    return { action: 'deny' };
  });
  // A new window opens straight at the route (a notification's job), so there is no flash of the queue.
  const target = rendererLoad(renderer, route);
  if ('url' in target) void w.loadURL(target.url);
  else void w.loadFile(rendererFile, target.hash ? { hash: target.hash } : {});
  return w;
}

function showWindow(jobId?: string): void {
  if (!ready) return; // still starting: the window comes up when the core is ready
  const route = jobId ? jobRoute(jobId) : undefined;
  if (!win || win.isDestroyed()) win = createWindow(route);
  // An open window follows the hash change (hashchange in src/renderer/src/main.tsx).
  else if (route) void win.webContents.executeJavaScript(goToRouteScript(route)).catch(() => undefined);
  bringToFront(win);
}

function setTray(next: TrayState): void {
  trayState = next;
  if (!tray) return;
  tray.setImage(nativeImage.createFromPath(join(resources, `tray-${trayIcon(next)}.png`)));
  tray.setToolTip(trayTooltip(next));
  tray.setContextMenu(
    Menu.buildFromTemplate(
      trayMenu(next, { packaged: app.isPackaged }).map((item) => ({
        label: item.label,
        enabled: item.enabled,
        click: () => {
          if (item.action === 'open') showWindow();
          if (item.action === 'pause') void core?.handlers['queue.pause']({}, SHELL);
          if (item.action === 'resume') void core?.handlers['queue.resume']({}, SHELL);
          if (item.action === 'install-cli') installCommand();
          if (item.action === 'quit') app.quit();
        },
      })),
    ),
  );
}

/** Tray → "Install the jobdeck command…": a launcher on the user's PATH (desktop/cliInstall.ts). */
function installCommand(): void {
  const place = { platform: process.platform, home: app.getPath('home'), env: process.env, execPath: process.execPath, cliPath: join(app.getAppPath(), 'out', 'cli', 'jobdeck.mjs') };
  try {
    const done = installCli(nodeLauncherFs, place);
    void dialog.showMessageBox({ type: 'info', message: 'The jobdeck command', detail: installedMessage(done, process.platform) });
  } catch (error) {
    void dialog.showMessageBox({ type: 'error', message: 'The jobdeck command was not installed', detail: error instanceof Error ? error.message : String(error) });
  }
}
