// Pure policy for the Electron shell (no `electron` import): one running Jobdeck per user.

/** The slice of Electron's app that the single-instance rule uses. */
export interface SingleInstanceApp {
  requestSingleInstanceLock(): boolean;
  quit(): void;
  on(event: 'second-instance', listener: () => void): unknown;
}

/**
 * Run `start` only in the first instance. A second instance quits at once and does nothing else:
 * two instances would be two writers on one store and two schedulers over the same containers.
 * The first instance hears 'second-instance' and comes to the front instead.
 */
export function runAsSingleInstance(app: SingleInstanceApp, handlers: { start(): void; onSecondInstance(): void }): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => handlers.onSecondInstance());
  handlers.start();
  return true;
}

/** The slice of a BrowserWindow that bringToFront uses. */
export interface RestorableWindow {
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
}

/** Un-minimize, show (it may be hidden in the tray) and focus. */
export function bringToFront(w: RestorableWindow): void {
  if (w.isMinimized()) w.restore();
  w.show();
  w.focus();
}
