import { toYaml } from '../yaml/yamlIssues';
import type { TemplateDoc } from '../../views/templateForm';
import { Section } from './fieldKit';
import { unshownFields } from './unshown';

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
