import type { ImportResult } from '../../../shared/ipc';

// The app store holds this and the drop hook fills it: a module of its own keeps the two acyclic.
/**
 * Dropped files waiting for the user's choices: the files themselves are kept, because the save
 * step sends them again and main reads them afresh (a secret never round-trips masked).
 */
export interface ImportPreviewState {
  /** A new drop is a new preview: choices made for the last one do not carry over. */
  id: number;
  files: { name: string; content: string }[];
  results: ImportResult[];
}
