import { join } from 'node:path';
import type { SaveDialog } from '../core/logs/logExport';

/** What this needs of Electron's dialog.showSaveDialog (electron is imported only by electronMain.ts). */
export type ShowSaveDialog = (options: { title: string; defaultPath: string; filters: { name: string; extensions: string[] }[] }) => Promise<{ canceled: boolean; filePath?: string }>;

/** Electron's save dialog for a log: offered in the user's Downloads folder under the job's name. */
export function desktopSaveDialog(show: ShowSaveDialog, downloadsDir: string): SaveDialog {
  return {
    async choose(defaultName) {
      const json = defaultName.endsWith('.jsonl');
      const r = await show({
        title: 'Save the whole log',
        defaultPath: join(downloadsDir, defaultName),
        filters: [json ? { name: 'JSON lines', extensions: ['jsonl'] } : { name: 'Log', extensions: ['log', 'txt'] }, { name: 'All files', extensions: ['*'] }],
      });
      return r.canceled || !r.filePath ? undefined : r.filePath;
    },
  };
}
