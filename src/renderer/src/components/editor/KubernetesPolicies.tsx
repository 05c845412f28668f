import { useId } from 'react';
import { toYaml } from '../yaml/yamlIssues';
import type { TemplateDoc } from '../../views/templateForm';
import { Section } from './fieldKit';
import { KubernetesForm, ruleFits } from './KubernetesForm';
import { KUBERNETES_FORM_KEYS, KUBERNETES_SCHEDULE_KEYS as SCHEDULE_KEYS, unshownFields } from './unshown';

const POLICY_KEYS = [...KUBERNETES_FORM_KEYS];

interface Props {
  doc: TemplateDoc;
  issues: Record<string, string>;
  /** The schedule box has a cron: the CronJob fields apply. */
  scheduled: boolean;
  change(key: string, value: unknown): void;
}

/**
 * Kubernetes policies: the Job policies as form fields (KubernetesForm); what has no form yet
 * (init containers, volumes, a rule with more than a row shows…) as YAML, edited in the YAML tab,
 * never dropped on save.
 */
export function KubernetesPolicies({ doc, issues, scheduled, change }: Props) {
  const uid = useId();
  const extra = unshownFields(doc);
  const rules = (doc.podFailurePolicy as { rules?: unknown } | undefined)?.rules;
  if (Array.isArray(rules) && !rules.every((r) => ruleFits(r as Record<string, unknown>))) extra.podFailurePolicy = doc.podFailurePolicy;
  const keys = Object.keys(extra);
  const set = POLICY_KEYS.filter((k) => doc[k] !== undefined);
  const schedule = (doc.schedule ?? {}) as Record<string, unknown>;
  if (scheduled) set.push(...SCHEDULE_KEYS.filter((k) => schedule[k] !== undefined));
  const shown = [...new Set([...set, ...keys])];
  const error = Object.keys(issues).some((p) => POLICY_KEYS.some((k) => p === k || p.startsWith(`${k}.`)) || SCHEDULE_KEYS.some((k) => p === `schedule.${k}`));
  return (
    <Section title="Kubernetes policies" summary={shown.length ? shown.join(', ') : 'none'} open={shown.length > 0} error={error} testId="section-kubernetes">
      <KubernetesForm uid={uid} doc={doc} issues={issues} scheduled={scheduled} change={change} />
      {keys.length ? (
        <>
          <p className="muted small">These fields have no form yet: they are kept as they are when you save. Change them in the YAML tab.</p>
          <pre className="mono small policies-yaml" data-testid="unshown-fields" tabIndex={0} aria-label="Fields edited in YAML">
            {toYaml(extra)}
          </pre>
        </>
      ) : (
        <p className="muted small">Init containers, sidecars and volumes are written in the YAML tab.</p>
      )}
    </Section>
  );
}
