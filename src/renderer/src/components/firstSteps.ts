import { create } from 'zustand';
import type { LocalImage } from '../../../shared/ipc';
import { client } from '../client/client';

/** The first-run dialogs: run an image, paste a docker run line, the examples, a new template. */
export type FirstDialog = 'runImage' | 'dockerRun' | 'examples' | 'newTemplate';

export const useFirstSteps = create<{ open: FirstDialog | undefined; show(d: FirstDialog | undefined): void }>((set) => ({
  open: undefined,
  show(open) {
    set({ open });
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
