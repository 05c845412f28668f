// Pure policy for the Electron shell: no `electron` import here, so it is unit-tested in Node.

/** The renderer's web preferences: isolated, sandboxed, no Node, web security on. */
export function secureWebPreferences(preload: string) {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    enableBlinkFeatures: '',
    // Middle-click would open links in new windows, around setWindowOpenHandler.
    disableBlinkFeatures: 'Auxclick',
    webviewTag: false,
    spellcheck: false,
  } as const;
}

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

export interface SenderFrame {
  url: string;
  /** True when the frame is the window's main frame (no parent). */
  isMainFrame: boolean;
}

/** What the app loads and therefore answers: the built index.html, and the dev server in development. */
export interface TrustedRenderer {
  /** file:// URL of the built renderer's index.html. */
  fileUrl: string;
  /** http(s) origin of the dev server; set only in an unpackaged app (see rendererSource). */
  devUrl?: string;
}

/**
 * Where the window's page comes from. ELECTRON_RENDERER_URL is electron-vite's dev server: a
 * packaged app ignores it, or anyone who can set an environment variable could point the window
 * (and with it the IPC trust) at their own page.
 */
export function rendererSource(opts: { isPackaged: boolean; devUrl: string | undefined; fileUrl: string }): TrustedRenderer {
  if (opts.isPackaged || !opts.devUrl) return { fileUrl: opts.fileUrl };
  try {
    const url = new URL(opts.devUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { fileUrl: opts.fileUrl };
  } catch {
    return { fileUrl: opts.fileUrl };
  }
  return { fileUrl: opts.fileUrl, devUrl: opts.devUrl };
}

/** The URL a window loads for a route such as `/jobs/<id>` (the renderer routes on the hash). */
export function rendererLoad(source: TrustedRenderer, route?: string): { url: string } | { file: true; hash?: string } {
  if (source.devUrl) {
    const url = new URL(source.devUrl);
    if (route) url.hash = route;
    return { url: url.href };
  }
  return route ? { file: true, hash: route } : { file: true };
}

/** The one decoded path of a file: URL, or null when it hides separators (%2F, %5C) or does not decode. */
function filePath(url: URL): string | null {
  if (/%2f|%5c/i.test(url.pathname)) return null;
  try {
    return decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
}

/**
 * IPC is answered only for our own page: the main frame (not an iframe), at our own origin.
 * A file: URL's origin is the opaque "null" for every local file, so for the packaged renderer
 * the host and the path of our index.html are compared instead; the dev server counts only when
 * rendererSource let it in. A null frame (navigated away or destroyed) is refused.
 */
export function isTrustedSender(frame: SenderFrame | null | undefined, trusted: TrustedRenderer): boolean {
  if (!frame || !frame.isMainFrame) return false;
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return false;
  }
  if (url.protocol === 'file:') {
    const ours = new URL(trusted.fileUrl);
    if (ours.protocol !== 'file:' || url.host !== ours.host) return false;
    const path = filePath(url);
    return path !== null && path === filePath(ours);
  }
  if (trusted.devUrl && (url.protocol === 'http:' || url.protocol === 'https:')) return url.origin === new URL(trusted.devUrl).origin;
  return false;
}

/** The parts of Electron's WebFrameMain the sender check reads. */
export interface FrameLike {
  url: string;
  parent: unknown;
  frameTreeNodeId: number;
}

/** The parts of Electron's IpcMainInvokeEvent the sender check reads. */
export interface IpcEventLike {
  senderFrame: FrameLike | null;
  sender: { id: number; mainFrame: FrameLike };
}

/**
 * The whole check for one ipcMain call: it comes from a window we made (isOwnContents), from
 * that window's top frame, and that frame shows our page (isTrustedSender).
 */
export function isTrustedIpcEvent(event: IpcEventLike, isOwnContents: (webContentsId: number) => boolean, trusted: TrustedRenderer): boolean {
  try {
    if (!isOwnContents(event.sender.id)) return false;
    const frame = event.senderFrame;
    if (!frame) return false;
    const isMainFrame = frame.parent === null && frame.frameTreeNodeId === event.sender.mainFrame.frameTreeNodeId;
    return isTrustedSender({ url: frame.url, isMainFrame }, trusted);
  } catch {
    // Electron throws on reading a frame that was disposed meanwhile: not ours any more.
    return false;
  }
}

/** Links leave the app only to the system browser, and only as http(s) with a host. */
export function isSafeExternalUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '' && !url.username && !url.password;
  } catch {
    return false;
  }
}
