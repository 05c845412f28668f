/**
 * The desktop's own programs for an artifact (Electron's shell.openPath / showItemInFolder),
 * behind a port so the core stays electron-free. Only paths that resolveArtifact let through
 * ever reach it; the adapter (src/main/desktop/artifactShell.ts) checks again.
 */
export interface ArtifactShell {
  /** Open with the system's program for the file's type; rejects with the system's reason. */
  open(path: string): Promise<void>;
  /** Show the file selected in the system's file manager. */
  reveal(path: string): void;
}
