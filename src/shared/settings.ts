import { z } from 'zod';
import { AlertSettings } from './alerts';
import { EngineConfig, KubernetesNamespace } from './engine';
import { NotifyRules } from './notify';
import { patchOf } from './patch';
import { wholeNumber } from './template';

// Messages name the field as the Settings view labels it, in the unit it shows.
const MiB = 1024 ** 2;
const logCap = `Log cap per attempt must be a whole number of MiB from 1 to ${16 * 1024}`;

export const Settings = z
  .object({
    /** Jobs running at once across all engines. */
    concurrency: wholeNumber('Concurrent jobs', 1, 64).default(4),
    /** Per engine id; an engine absent here is limited only by `concurrency`. */
    engineConcurrency: z.record(z.string(), wholeNumber('Concurrent jobs on an engine', 1, 64)).default({}),
    engines: z.array(EngineConfig).default([]),
    /** Seconds between SIGTERM and SIGKILL when a job is cancelled or times out. */
    stopGraceSeconds: wholeNumber('Stop grace', 0, 300, 'seconds').default(10),
    logCapBytes: z
      .number({ error: logCap })
      .int({ error: logCap })
      .min(1024, { error: logCap })
      .max(16 * 1024 * MiB, { error: logCap })
      .default(64 * MiB),
    retention: z
      .object({
        days: wholeNumber('Remove finished jobs after', 1, 3650, 'days', 'empty keeps them forever').optional(),
        statuses: z.array(z.enum(['completed', 'failed', 'cancelled'], { error: 'Statuses to remove are completed, failed and cancelled' })).default(['completed', 'failed', 'cancelled']),
      })
      .strict()
      .default({ statuses: ['completed', 'failed', 'cancelled'] }),
    notifications: z
      .object({
        /** The desktop channel's switch (what it was before rules): off, no desktop notices. */
        enabled: z.boolean().default(true),
        /** Kept from before rules: with no `rules` stored, the default rules leave successes out. */
        muteSuccess: z.boolean().default(false),
        /** The default rules (shared/notify.ts); left out, legacyRules(muteSuccess) apply. */
        rules: NotifyRules.optional(),
      })
      .strict()
      .default({ enabled: true, muteSuccess: false }),
    closeToTray: z.boolean().default(true),
    queuePaused: z.boolean().default(false),
    /**
     * Jobdeck's own choice of Kubernetes context (the kubeconfig is only read, never rewritten):
     * what a template's engineId 'kubernetes' runs on; unset, the kubeconfig's current-context.
     */
    kubernetes: z
      .object({
        context: z.string({ error: 'Kubernetes context must be text' }).min(1, { error: 'Kubernetes context must not be empty' }).optional(),
        /** Per context: the namespace Jobdeck's Jobs go to instead of the kubeconfig's (the Engines view sets it). */
        namespaces: z.record(z.string().min(1), KubernetesNamespace).optional(),
      })
      .strict()
      .optional(),
    /** Health alert rules (alerts.ts); a patch names `alerts.rules` to replace them. */
    alerts: AlertSettings.default({ rules: [] }),
  })
  .strict();
export type Settings = z.infer<typeof Settings>;
/** What settings.update takes: only the keys it names change (see patch.ts). */
export const SettingsPatch = patchOf(Settings);
export type SettingsPatch = z.infer<typeof SettingsPatch>;
