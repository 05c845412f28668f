// Pure policy for the Electron shell (no `electron` import): what the app does when its start
// fails, most often because a headless host holds the same data directory.

/** The slice of Electron (dialog, app) this uses. */
export interface StartupShell {
  showErrorBox(title: string, content: string): void;
  exit(code: number): void;
}

/** The core's DataDirInUseError, told by its code (the shell does not import the core's classes). */
export function isDataDirInUse(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'DATA_DIR_IN_USE';
}

/**
 * Run the app's start; if it throws, say why in an error dialog and quit with 1. The lock's
 * message already names the holder (kind, pid, URL) and the directory.
 */
export async function startOrExplain(start: () => Promise<void>, shell: StartupShell): Promise<boolean> {
  try {
    await start();
    return true;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    shell.showErrorBox(isDataDirInUse(error) ? 'Jobdeck is already running on this data' : 'Jobdeck could not start', message);
    shell.exit(1);
    return false;
  }
}
