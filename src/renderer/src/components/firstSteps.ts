import { create } from 'zustand';
import type { LocalImage } from '../../../shared/ipc';
import type { Template } from '../../../shared/template';
import { client } from '../client/client';

/** The first-run dialogs: run an image, paste a docker run line, the examples, a new template. */
export type FirstDialog = 'runImage' | 'dockerRun' | 'examples' | 'newTemplate' | 'editTemplate';

interface FirstStepsState {
  open: FirstDialog | undefined;
  /** The template the editor opens on ('editTemplate': one just made from a docker run line). */
  editing: Template | undefined;
  show(d: FirstDialog | undefined): void;
  edit(t: Template): void;
}

export const useFirstSteps = create<FirstStepsState>((set) => ({
  open: undefined,
  editing: undefined,
  show(open) {
    set({ open, editing: undefined });
  },
  edit(editing) {
    set({ open: 'editTemplate', editing });
  },
}));

/** The local images, once per tag: which engines hold it and its size (the largest if they differ). */
export interface ImageChoice {
  tag: string;
  size: number;
  engines: string[];
}

export function imageChoices(images: LocalImage[]): ImageChoice[] {
  const byTag = new Map<string, ImageChoice>();
  for (const i of images) {
    for (const tag of i.tags) {
      const c = byTag.get(tag) ?? { tag, size: 0, engines: [] };
      c.size = Math.max(c.size, i.size);
      if (!c.engines.includes(i.engineId)) c.engines.push(i.engineId);
      byTag.set(tag, c);
    }
  }
  return [...byTag.values()];
}

export const loadImages = () => client.invoke('images.list', {}).then(imageChoices);
