import { z } from 'zod';
import { EngineConfig } from './engine';
import { patchOf } from './patch';

export const Settings = z
  .object({
    /** Jobs running at once across all engines. */
    concurrency: z.number().int().min(1).max(64).default(4),
    /** Per engine id; an engine absent here is limited only by `concurrency`. */
    engineConcurrency: z.record(z.string(), z.number().int().min(1).max(64)).default({}),
    engines: z.array(EngineConfig).default([]),
    /** Seconds between SIGTERM and SIGKILL when a job is cancelled or times out. */
    stopGraceSeconds: z.number().int().min(0).max(300).default(10),
    logCapBytes: z.number().int().min(1024).max(16 * 1024 ** 3).default(64 * 1024 ** 2),
    retention: z
      .object({
        days: z.number().int().min(1).max(3650).optional(),
        statuses: z.array(z.enum(['completed', 'failed', 'cancelled'])).default(['completed', 'failed', 'cancelled']),
      })
      .strict()
      .default({ statuses: ['completed', 'failed', 'cancelled'] }),
    notifications: z
      .object({ enabled: z.boolean().default(true), muteSuccess: z.boolean().default(false) })
      .strict()
      .default({ enabled: true, muteSuccess: false }),
    closeToTray: z.boolean().default(true),
    queuePaused: z.boolean().default(false),
  })
  .strict();
export type Settings = z.infer<typeof Settings>;
/** What settings.update takes: only the keys it names change (see patch.ts). */
export const SettingsPatch = patchOf(Settings);
export type SettingsPatch = z.infer<typeof SettingsPatch>;
