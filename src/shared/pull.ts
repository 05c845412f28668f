import { z } from 'zod';

// An image pull folded from its steps (the engine's progress stream): what the job page and the
// Queue show, and what the core keeps so a window opened in the middle of a pull shows it at once.

/** One step of an image pull for a job's attempt: what `docker pull` prints, per event. */
export const PullProgress = z.object({
  status: z.string(),
  /** Bytes of the layer being fetched so far, and its size, where the engine says. */
  current: z.number().optional(),
  total: z.number().optional(),
  /** The layer the step is about (the pull event's id), where there is one. */
  layer: z.string().optional(),
});
export type PullProgress = z.infer<typeof PullProgress>;

/** An image pull while a job waits for it: shown on the job's page. */
export const ImageProgress = PullProgress.extend({ id: z.string(), engineId: z.string(), image: z.string() });
export type ImageProgress = z.infer<typeof ImageProgress>;

/** One layer of a pull as last reported. */
export const LayerState = z.object({
  status: z.string(),
  /** Bytes downloaded so far and the layer's (compressed) size, where the engine said. */
  current: z.number().optional(),
  total: z.number().optional(),
  done: z.boolean(),
});
export type LayerState = z.infer<typeof LayerState>;

/** A pull: every layer's last state, and the last status. */
export const PullState = z.object({ image: z.string(), status: z.string(), layers: z.record(z.string(), LayerState) });
export type PullState = z.infer<typeof PullState>;

/** One step of a pull as the engine gave it (the fields of an image.progress event this needs). */
export interface PullStep {
  image: string;
  status: string;
  current?: number;
  total?: number;
  layer?: string;
}

/** Steps after which a layer needs no more bytes. */
const LAYER_DONE = /^(Download complete|Verifying Checksum|Extracting|Pull complete|Already exists)$/;

/** The pull after one more step. Folding a step twice gives what folding it once did. */
export function foldPull(state: PullState | undefined, p: PullStep): PullState {
  const base: PullState = state && state.image === p.image ? state : { image: p.image, status: p.status, layers: {} };
  // Layer ids are digests (Docker shortens them to 12); other ids (the tag, in "Pulling from …") are not layers.
  if (!p.layer || !/^(sha256:)?[0-9a-f]{12,64}$/.test(p.layer)) return { ...base, status: p.status };
  const prev = base.layers[p.layer];
  const done = (prev?.done ?? false) || LAYER_DONE.test(p.status);
  // Extracting reports its own bytes: the download's stay as they were.
  const bytes = p.status === 'Downloading' && p.total ? { current: p.current ?? 0, total: p.total } : prev?.total ? { current: prev.current ?? 0, total: prev.total } : {};
  const layer: LayerState = { status: p.status, ...bytes, done };
  if (done && layer.total !== undefined) layer.current = layer.total;
  return { ...base, status: p.status, layers: { ...base.layers, [p.layer]: layer } };
}

/** The pull's last word ("Status: Downloaded newer image for …", "Digest: …"): nothing more to show. */
export const pullFinished = (s: PullState): boolean => /^(Status|Digest):/.test(s.status);
