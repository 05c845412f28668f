// `templates export --format kubernetes`: a template as the batch/v1 Job (a CronJob when it has a
// schedule) `kubectl apply -f` takes. Secret values never leave Jobdeck: they become secretKeyRefs
// to a Secret named after the template, for the user to create.
import { stringify } from 'yaml';
import type { TemplateSpec } from '../shared/template';

const dns = (s: string) => s.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 52) || 'job';

export function kubernetesManifest(spec: TemplateSpec): string {
  const name = dns(spec.name);
  const secretName = `${name}-secrets`;
  const command = spec.command === undefined ? {} : Array.isArray(spec.command) ? { args: spec.command } : { command: ['sh', '-c', spec.command] };
  const container = {
    name: spec.containerName ?? name,
    image: spec.image,
    ...(spec.entrypoint ? { command: spec.entrypoint } : {}),
    ...command,
    ...(spec.workingDir ? { workingDir: spec.workingDir } : {}),
    ...(spec.env.length
      ? { env: spec.env.map((e) => (e.secret ? { name: e.name, valueFrom: { secretKeyRef: { name: secretName, key: e.name } } } : { name: e.name, value: e.value })) }
      : {}),
    ...(spec.limits.memory !== undefined || spec.limits.cpus !== undefined
      ? { resources: { limits: { ...(spec.limits.memory !== undefined ? { memory: String(spec.limits.memory) } : {}), ...(spec.limits.cpus !== undefined ? { cpu: String(spec.limits.cpus) } : {}) } } }
      : {}),
    imagePullPolicy: spec.pullPolicy,
    ...(spec.mounts.length ? { volumeMounts: spec.mounts.map((m, i) => ({ name: `host-${i}`, mountPath: m.containerPath, readOnly: m.readOnly })) } : {}),
  };
  const jobSpec = {
    backoffLimit: spec.retry.limit,
    ...(spec.timeoutSeconds !== undefined ? { activeDeadlineSeconds: spec.timeoutSeconds } : {}),
    ...(spec.parallelism > 1 ? { parallelism: spec.parallelism } : {}),
    ...(spec.completions !== undefined ? { completions: spec.completions } : {}),
    ...(spec.completionMode === 'Indexed' ? { completionMode: 'Indexed' } : {}),
    ...(spec.ttlSecondsAfterFinished !== undefined ? { ttlSecondsAfterFinished: spec.ttlSecondsAfterFinished } : {}),
    ...(spec.suspend ? { suspend: true } : {}),
    template: {
      spec: {
        restartPolicy: 'Never',
        containers: [container],
        ...(spec.mounts.length ? { volumes: spec.mounts.map((m, i) => ({ name: `host-${i}`, hostPath: { path: m.hostPath } })) } : {}),
      },
    },
  };
  const labels = Object.keys(spec.labels).length ? { labels: spec.labels } : {};
  const doc = spec.schedule
    ? {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name, ...labels },
        spec: { schedule: spec.schedule.cron, ...(spec.schedule.timeZone ? { timeZone: spec.schedule.timeZone } : {}), jobTemplate: { spec: jobSpec } },
      }
    : { apiVersion: 'batch/v1', kind: 'Job', metadata: { name, ...labels }, spec: jobSpec };
  const secrets = spec.env.filter((e) => e.secret).map((e) => e.name);
  const head = secrets.length ? `# The secret values stay in Jobdeck: create them with\n#   kubectl create secret generic ${secretName} ${secrets.map((s) => `--from-literal=${s}=…`).join(' ')}\n` : '';
  return head + stringify(doc);
}
