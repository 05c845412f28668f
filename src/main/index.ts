// Composition root for the desktop app: Electron lifecycle, the window, tray, notifications and
// the ipcMain transport around the same core the headless host uses. Policy lives in ./electron/.
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, Notification, safeStorage, screen, session, shell, Tray } from 'electron';
import { createJobdeck, type Jobdeck } from './core/jobdeck';
import { CONTENT_SECURITY_POLICY, isSafeExternalUrl, isTrustedSender, secureWebPreferences } from './electron/security';
import { noticeForJob } from './electron/notifications';
import { safeStorageCodec } from './electron/secretCodec';
import { initialTray, onJobEnded, onWindowFocused, trayIcon, trayMenu, trayTooltip, type TrayState } from './electron/tray';
import { restoreWindowState, type WindowState } from './electron/windowState';
import { createDispatcher } from './ipc/dispatch';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../shared/ipc';

const here = fileURLToPath(new URL('.', import.meta.url));
const resources = join(here, '../../resources');
const rendererFile = join(here, '../renderer/index.html');
const devUrl = process.env.ELECTRON_RENDERER_URL;

let core: Jobdeck;
let win: BrowserWindow | undefined;
let tray: Tray | undefined;
let trayState: TrayState = initialTray;
let quitting = false;

if (!app.requestSingleInstanceLock()) app.quit();
app.on('second-instance', () => showWindow());

function windowStateFile(): string {
  return join(app.getPath('userData'), 'window-state.json');
}

function loadWindowState(): WindowState {
  let saved: unknown;
  try {
    saved = JSON.parse(readFileSync(windowStateFile(), 'utf8'));
  } catch {
    saved = undefined;
  }
  return restoreWindowState(saved, screen.getAllDisplays().map((d) => d.workArea));
}

function saveWindowState(w: BrowserWindow): void {
  const b = w.getNormalBounds();
  const state: WindowState = { ...b, maximized: w.isMaximized() };
  try {
    writeFileSync(windowStateFile(), JSON.stringify(state));
  } catch {
    // Not worth bothering the user over: the next start uses the defaults.
  }
}

function createWindow(): BrowserWindow {
  const state = loadWindowState();
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
  w.on('focus', () => setTray(onWindowFocused(trayState)));
  w.on('close', (e) => {
    saveWindowState(w);
    if (!quitting && core.handlers && trayEnabled()) {
      e.preventDefault();
      w.hide();
    }
  });
  const clientId = randomUUID();
  const off = core.onEvent(clientId, (event) => {
    if (!w.isDestroyed()) w.webContents.send(IPC_EVENT_CHANNEL, event);
  });
  w.webContents.on('destroyed', () => {
    off();
    core.dropClient(clientId);
  });
  clients.set(w.webContents.id, clientId);
  // Nothing navigates away or opens windows; http(s) links go to the system browser.
  w.webContents.on('will-navigate', (e) => e.preventDefault());
  w.webContents.setWindowOpenHandler(({ url }) => {
    // Only http(s) URLs with a host (isSafeExternalUrl) reach openExternal.
    if (isSafeExternalUrl(url)) void shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK
    return { action: 'deny' };
  });
  if (devUrl) void w.loadURL(devUrl);
  else void w.loadFile(rendererFile);
  return w;
}

const clients = new Map<number, string>();
let closeToTray = true;
const trayEnabled = () => closeToTray && tray !== undefined;

function showWindow(jobId?: string): void {
  if (!win || win.isDestroyed()) win = createWindow();
  if (jobId) void win.webContents.executeJavaScript(`location.hash = ${JSON.stringify(`#/jobs/${jobId}`)}`);
  win.show();
  win.focus();
}

function setTray(next: TrayState): void {
  trayState = next;
  if (!tray) return;
  tray.setImage(nativeImage.createFromPath(join(resources, `tray-${trayIcon(next)}.png`)));
  tray.setToolTip(trayTooltip(next));
  tray.setContextMenu(
    Menu.buildFromTemplate(
      trayMenu(next).map((item) => ({
        label: item.label,
        enabled: item.enabled,
        click: () => {
          if (item.action === 'open') showWindow();
          if (item.action === 'pause') void core.handlers['queue.pause']({}, { clientId: 'tray' });
          if (item.action === 'resume') void core.handlers['queue.resume']({}, { clientId: 'tray' });
          if (item.action === 'quit') app.quit();
        },
      })),
    ),
  );
}

async function start(): Promise<void> {
  // Our own CSP on every response the app loads, in addition to the page's meta tag.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));

  core = await createJobdeck({ dataDir: app.getPath('userData'), secretCodec: safeStorageCodec(safeStorage) });
  const settings = await core.handlers['settings.get']({}, { clientId: 'main' });
  closeToTray = settings.closeToTray;

  const dispatch = createDispatcher(core.handlers, (command, error) => console.error(`jobdeck: ${command} failed`, error));
  const trusted = { fileUrl: pathToFileURL(rendererFile).href, ...(devUrl ? { devUrl } : {}) };
  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, command: unknown, input: unknown) => {
    const frame = event.senderFrame;
    const sender = frame ? { url: frame.url, isMainFrame: frame === event.sender.mainFrame } : null;
    if (!isTrustedSender(sender, trusted)) {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'this frame may not call Jobdeck' } };
    }
    return dispatch(command, input, { clientId: clients.get(event.sender.id) ?? 'unknown' });
  });

  tray = new Tray(nativeImage.createFromPath(join(resources, 'tray-idle.png')));
  tray.on('click', () => showWindow());
  core.onEvent('shell', (event) => {
    if (event.name === 'queue.state') setTray({ ...trayState, running: event.payload.running, paused: event.payload.paused });
    if (event.name === 'job.updated') {
      const job = event.payload;
      setTray(onJobEnded(trayState, job, Boolean(win?.isFocused())));
      void core.handlers['settings.get']({}, { clientId: 'shell' }).then((s) => {
        closeToTray = s.closeToTray;
        const notice = noticeForJob(job, s);
        if (!notice || !Notification.isSupported()) return;
        const n = new Notification({ title: notice.title, body: notice.body, icon: join(resources, 'icon.png') });
        n.on('click', () => showWindow(notice.jobId));
        n.show();
      });
    }
  });
  setTray(trayState);
  win = createWindow();
}

// Quitting with jobs still running: ask whether to leave them running or stop them.
app.on('before-quit', (e) => {
  if (quitting) return;
  e.preventDefault();
  const running = core?.runningCount() ?? 0;
  let stopRunning = false;
  if (running > 0) {
    const choice = dialog.showMessageBoxSync({
      type: 'question',
      buttons: ['Leave them running', 'Stop them', 'Cancel'],
      defaultId: 0,
      cancelId: 2,
      message: `${running} job${running === 1 ? ' is' : 's are'} still running`,
      detail: 'Jobs left running keep going in their containers; Jobdeck follows them again when it starts.',
    });
    if (choice === 2) return;
    stopRunning = choice === 1;
  }
  quitting = true;
  void (core ? core.close({ stopRunning }) : Promise.resolve()).finally(() => app.quit());
});

app.on('window-all-closed', () => {
  if (!trayEnabled()) app.quit();
});
app.on('activate', () => showWindow());
app.whenReady().then(start, (error: unknown) => {
  dialog.showErrorBox('Jobdeck could not start', error instanceof Error ? error.message : String(error));
  app.exit(1);
});
