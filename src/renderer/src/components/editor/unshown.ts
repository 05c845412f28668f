// Which parts of a template the form has fields for; the rest is shown as YAML and kept on save.
import type { TemplateDoc } from '../../views/templateForm';

/** The keys the form has fields for; anything else in a template is shown here and kept on save. */
export const FORM_KEYS = new Set([
  'name', 'description', 'image', 'command', 'entrypoint', 'env', 'workingDir', 'user', 'mounts', 'outputDir', 'limits', 'network', 'tty',
  'timeoutSeconds', 'retry', 'priority', 'engine', 'engineId', 'pullPolicy', 'labels', 'parallelism', 'completions', 'completionMode', 'keepContainer', 'schedule',
  // The Notifications group (components/notify/TemplateNotifications.tsx).
  'notifications',
]);
/** The keys the Kubernetes section's fields write (KubernetesForm), top-level and in the schedule. */
export const KUBERNETES_FORM_KEYS = new Set(['podFailurePolicy', 'successPolicy', 'backoffLimitPerIndex', 'maxFailedIndexes', 'ttlSecondsAfterFinished']);
export const KUBERNETES_SCHEDULE_KEYS = ['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit'];
const NESTED_FORM_KEYS: Record<string, Set<string>> = {
  retry: new Set(['limit', 'backoffInitialSeconds', 'backoffFactor', 'backoffMaxSeconds', 'neverRetryExitCodes']),
  limits: new Set(['memory', 'cpus']),
  schedule: new Set(['cron', 'seconds', 'timeZone', 'concurrencyPolicy', 'missedRunPolicy', 'enabled', 'allowFrequent', ...KUBERNETES_SCHEDULE_KEYS]),
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What of a document the form has no field for (policies, init containers, volumes…), by its place. */
export function unshownFields(doc: TemplateDoc): TemplateDoc {
  const out: TemplateDoc = {};
  for (const [k, v] of Object.entries(doc)) {
    // An empty list (no init containers, no volumes) says nothing: not worth a section of its own.
    if (Array.isArray(v) && v.length === 0) continue;
    if (!FORM_KEYS.has(k) && !KUBERNETES_FORM_KEYS.has(k)) out[k] = v;
    else if (NESTED_FORM_KEYS[k] && isRecord(v)) {
      const extra = Object.fromEntries(Object.entries(v).filter(([sub]) => !NESTED_FORM_KEYS[k]!.has(sub)));
      if (Object.keys(extra).length) out[k] = extra;
    }
  }
  return out;
}
