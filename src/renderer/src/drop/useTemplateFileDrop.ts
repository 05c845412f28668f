import { useEffect, useState } from 'react';
import { client } from '../client/client';
import { reportError, useApp } from '../store/app';
import type { ImportPreviewState } from './importPreview';

export type { ImportPreviewState };

const hasFiles = (e: DragEvent) => !!e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files');

let previews = 0;

/** Reads dropped files by content (a dropped file may have no path) and asks the core to parse them. */
export async function importFiles(files: File[]): Promise<void> {
  if (files.length === 0) return;
  const app = useApp.getState();
  try {
    const payload = await Promise.all(files.slice(0, 100).map(async (f) => ({ name: f.name, content: await f.text() })));
    const results = await client.invoke('templates.import', { files: payload });
    app.setImportPreview({ id: ++previews, files: payload, results });
    app.go('templates');
  } catch (error) {
    reportError(error);
  }
}

/** Template files dropped anywhere on the window; returns whether files are being dragged over it. */
export function useTemplateFileDrop(): boolean {
  const [dragging, setDragging] = useState(false);
  useEffect(() => {
    let depth = 0;
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth++;
      setDragging(true);
    };
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      // Without preventDefault the browser would open the file instead of dropping it.
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setDragging(false);
      void importFiles(Array.from(e.dataTransfer?.files ?? []));
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, []);
  return dragging;
}

/** The drag payload of a template dragged from the Templates view onto the queue. */
export const TEMPLATE_DRAG_TYPE = 'application/x-jobdeck-template';
