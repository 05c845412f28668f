// Templates that come from outside the app: dropped files and their import choices, the built-in
// examples, a pasted docker run line, and the engines' local images they can use. Part of the
// contract (src/shared/ipc.ts re-exports them).
import { z } from 'zod';
import { Issue } from './errors';
import { Template, TemplateSpec } from './template';

export const ImportFile = z.object({
  /** Label only (a dropped file may have no path). */
  name: z.string().min(1).max(1024),
  content: z.string().max(5 * 1024 * 1024, 'template files are limited to 5 MiB'),
});
export type ImportFile = z.infer<typeof ImportFile>;

/** One field that a replace would change, as text for people (secret values masked). */
export const FieldChange = z.object({ field: z.string(), from: z.string().optional(), to: z.string().optional() });
export type FieldChange = z.infer<typeof FieldChange>;

/** A template found in a file; `existing` when a stored template already has its name. */
export const ImportedTemplate = z.object({
  spec: TemplateSpec,
  existing: z.object({ id: z.string(), changes: z.array(FieldChange) }).optional(),
});
export type ImportedTemplate = z.infer<typeof ImportedTemplate>;

export const ImportResult = z.object({
  file: z.string(),
  ok: z.boolean(),
  templates: z.array(ImportedTemplate),
  errors: z.array(Issue),
  warnings: z.array(z.string()),
});
export type ImportResult = z.infer<typeof ImportResult>;

export const ImportAction = z.enum(['create', 'replace', 'keepBoth', 'skip']);
export type ImportAction = z.infer<typeof ImportAction>;
/** The user's choice for template `index` of file `file` (indexes into the files sent). */
export const ImportDecision = z.object({ file: z.number().int().min(0), index: z.number().int().min(0), action: ImportAction }).strict();
export type ImportDecision = z.infer<typeof ImportDecision>;
/** A value the user gave in the preview for a variable a manifest took from a secret or config map. */
export const ImportValue = z.object({ file: z.number().int().min(0), index: z.number().int().min(0), name: z.string().min(1), value: z.string() }).strict();
export type ImportValue = z.infer<typeof ImportValue>;
export const ImportOutcome = z.object({
  file: z.string(),
  name: z.string(),
  outcome: z.enum(['created', 'replaced', 'keptBoth', 'skipped', 'failed']),
  id: z.string().optional(),
  /** The name it was saved under, where Keep both renamed it. */
  savedAs: z.string().optional(),
  message: z.string().optional(),
});
export type ImportOutcome = z.infer<typeof ImportOutcome>;


/** One image an engine holds locally (GET /images/json): what "Run an image" offers. */
export const LocalImage = z.object({
  engineId: z.string(),
  id: z.string(),
  /** As `docker images` shows them: docker.io/library/ left out. */
  tags: z.array(z.string()),
  size: z.number(),
  created: z.string().optional(),
});
export type LocalImage = z.infer<typeof LocalImage>;

/** A built-in example template (resources/examples): what it shows, in one line, and what it is. */
export const ExampleTemplate = z.object({ file: z.string(), explanation: z.string(), spec: TemplateSpec });
export type ExampleTemplate = z.infer<typeof ExampleTemplate>;

/** A pasted `docker run` line read as a template; `template` once saved. */
export const DockerRunResult = z.object({
  spec: TemplateSpec.optional(),
  warnings: z.array(z.string()),
  errors: z.array(Issue),
  /** Host directories it would mount, as the import preview lists them: saving asks to confirm them. */
  hostMounts: z.array(z.string()),
  template: Template.optional(),
});
export type DockerRunResult = z.infer<typeof DockerRunResult>;
