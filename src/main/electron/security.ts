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

/**
 * IPC is answered only for our own page: the main frame (not an iframe), at our own origin
 * (the packaged file:// renderer, or the dev server in development). A null frame (navigated
 * away or destroyed) is refused.
 */
export function isTrustedSender(frame: SenderFrame | null | undefined, trusted: { fileUrl: string; devUrl?: string }): boolean {
  if (!frame || !frame.isMainFrame) return false;
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return false;
  }
  if (url.protocol === 'file:') {
    const ours = new URL(trusted.fileUrl);
    return url.pathname === ours.pathname;
  }
  if (trusted.devUrl) return url.origin === new URL(trusted.devUrl).origin;
  return false;
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
