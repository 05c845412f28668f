import type { EngineFileField } from '../../../shared/engine';

/** The desktop's open-file dialog (Electron's dialog.showOpenDialog), behind a port: a path, or undefined when cancelled. */
export interface FilePicker {
  choose(field: EngineFileField, current: string | undefined): Promise<string | undefined>;
}
