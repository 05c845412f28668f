import { toYaml } from '../yaml/yamlIssues';
import type { TemplateDoc } from '../../views/templateForm';
import { Section } from './fieldKit';

/** The keys the form has fields for; anything else in a template is shown here and kept on save. */
const FORM_KEYS = new Set([
  'name', 'description', 'image', 'command', 'entrypoint', 'env', 'workingDir', 'user', 'mounts', 'outputDir', 'limits', 'network', 'tty',
  'timeoutSeconds', 'retry', 'priority', 'engine', 'pullPolicy', 'labels', 'parallelism', 'completions', 'completionMode', 'keepContainer', 'schedule',
]);
const NESTED_FORM_KEYS: Record<string, Set<string>> = {
  retry: new Set(['limit', 'backoffInitialSeconds', 'backoffFactor', 'backoffMaxSeconds', 'neverRetryExitCodes']),
  limits: new Set(['memory', 'cpus']),
  schedule: new Set(['cron', 'seconds', 'timeZone', 'concurrencyPolicy', 'missedRunPolicy', 'enabled', 'allowFrequent']),
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What of a document the form has no field for (policies, init containers, volumes…), by its place. */
export function unshownFields(doc: TemplateDoc): TemplateDoc {
  const out: TemplateDoc = {};
  for (const [k, v] of Object.entries(doc)) {
    if (!FORM_KEYS.has(k)) out[k] = v;
    else if (NESTED_FORM_KEYS[k] && isRecord(v)) {
      const extra = Object.fromEntries(Object.entries(v).filter(([sub]) => !NESTED_FORM_KEYS[k]!.has(sub)));
      if (Object.keys(extra).length) out[k] = extra;
    }
  }
  return out;
}

/**
 * Kubernetes policies (podFailurePolicy, successPolicy, backoffLimitPerIndex, initContainers,
 * volumes…) until each has a form: shown as YAML, edited in the YAML tab, never dropped on save.
 */
export function KubernetesPolicies({ doc }: { doc: TemplateDoc }) {
  const extra = unshownFields(doc);
  const keys = Object.keys(extra);
  return (
    <Section title="Kubernetes policies" summary={keys.length ? keys.join(', ') : 'none'} open={keys.length > 0} testId="section-kubernetes">
      {keys.length ? (
        <>
          <p className="muted small">These fields have no form yet: they are kept as they are when you save. Change them in the YAML tab.</p>
          <pre className="mono small policies-yaml" data-testid="unshown-fields" tabIndex={0} aria-label="Fields edited in YAML">
            {toYaml(extra)}
          </pre>
        </>
      ) : (
        <p className="muted small">None. Pod failure and success policies, per-index backoff, init containers and volumes are written in the YAML tab.</p>
      )}
    </Section>
  );
}
