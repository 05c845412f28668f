import { isAbsolute, relative, resolve } from 'node:path';
import type { ArtifactShell } from '../core/artifacts/artifactShell';

/** The two calls of Electron's `shell` this needs (electron is imported only by electronMain.ts). */
export interface SystemShell {
  /** Resolves to '' on success, or the system's reason it could not. */
  openPath(path: string): Promise<string>;
  showItemInFolder(path: string): void;
}

/**
 * Electron's shell for artifacts, confined to the data dir's artifacts/ (the core's resolveArtifact
 * already checked the name; this refuses anything else that would reach the system's programs,
 * since opening a file there may run it).
 */
export function desktopArtifactShell(shell: SystemShell, dataDir: string): ArtifactShell {
  const root = resolve(dataDir, 'artifacts');
  const confined = (path: string): string => {
    const p = resolve(path);
    const back = relative(root, p);
    if (!isAbsolute(path) || back === '' || back.startsWith('..') || isAbsolute(back)) {
      throw new Error(`refused to open ${path}: it is not an artifact (outside ${root})`);
    }
    return p;
  };
  return {
    async open(path) {
      const reason = await shell.openPath(confined(path));
      if (reason) throw new Error(`the system could not open ${path}: ${reason}`);
    },
    reveal(path) {
      shell.showItemInFolder(confined(path));
    },
  };
}
