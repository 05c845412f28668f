// A template as the batch/v1 Job (a CronJob when it has a schedule) that `kubectl apply -f` takes
// and that Jobdeck's Kubernetes import reads back to the same template for every field both have
// (test/unit/k8s-export.test.ts). Secret values never leave Jobdeck: they become secretKeyRefs to a Secret named after the template, for the user to create.
// Pure (yaml is plain JavaScript): templates.export format kubernetes serves the Templates view,
// the editor and `jobdeck templates export --format kubernetes` from this one function.
import { stringify } from 'yaml';
import { FIELD_COMPLETION_INDEX, FIELD_POD_NAME } from './pod';
import { parseMemory } from './quantity';
import type { TemplateSpec } from './template';

const dns = (s: string) => s.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 52) || 'job';

/** Kubernetes' own memory suffixes; Docker's ("64m", "1g": MiB, GiB) mean otherwise to a cluster ("m" is milli). */
const K8S_MEMORY = /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;

function memoryQuantity(memory: string | number): string {
  const text = String(memory).trim();
  if (K8S_MEMORY.test(text)) return text;
  const bytes = parseMemory(memory);
  return bytes === null ? text : String(bytes);
}

/** The downward-API values Jobdeck gives outside a cluster, back as the fieldRefs they came from. */
const FIELD_REFS: Record<string, string> = {
  [FIELD_POD_NAME]: 'metadata.name',
  [FIELD_COMPLETION_INDEX]: "metadata.annotations['batch.kubernetes.io/job-completion-index']",
};

export function kubernetesManifest(spec: TemplateSpec): string {
  const name = dns(spec.name);
  const secretName = `${name}-secrets`;
  // Kubernetes `command` replaces the image's ENTRYPOINT and `args` its CMD, as Jobdeck's entrypoint and command do.
  const args = spec.command === undefined ? {} : { args: Array.isArray(spec.command) ? spec.command : ['sh', '-c', spec.command] };
  const user = spec.user ? /^(\d+)(?::(\d+))?$/.exec(spec.user) : null;
  const hostVolumes = spec.mounts.map((m, i) => ({ name: `host-${i}`, hostPath: { path: m.hostPath } }));
  const volumeMounts = [
    ...spec.mounts.map((m, i) => ({ name: `host-${i}`, mountPath: m.containerPath, readOnly: m.readOnly })),
    ...spec.volumeMounts.map((m) => ({ name: m.name, mountPath: m.mountPath, readOnly: m.readOnly })),
  ];
  const volumes = [...hostVolumes, ...spec.volumes.map((v) => ({ name: v.name, emptyDir: { ...v.emptyDir, ...(v.emptyDir.sizeLimit !== undefined ? { sizeLimit: memoryQuantity(v.emptyDir.sizeLimit) } : {}) } }))];
  const container = {
    name: spec.containerName ?? name,
    image: spec.image,
    ...(spec.entrypoint ? { command: spec.entrypoint } : {}),
    ...args,
    ...(spec.workingDir ? { workingDir: spec.workingDir } : {}),
    ...(spec.env.length
      ? { env: spec.env.map((e) => (e.secret ? { name: e.name, valueFrom: { secretKeyRef: { name: secretName, key: e.name } } } : FIELD_REFS[e.valueFrom ?? ''] ? { name: e.name, valueFrom: { fieldRef: { fieldPath: FIELD_REFS[e.valueFrom!] } } } : { name: e.name, value: e.value })) }
      : {}),
    ...(spec.limits.memory !== undefined || spec.limits.cpus !== undefined
      ? { resources: { limits: { ...(spec.limits.memory !== undefined ? { memory: memoryQuantity(spec.limits.memory) } : {}), ...(spec.limits.cpus !== undefined ? { cpu: String(spec.limits.cpus) } : {}) } } }
      : {}),
    imagePullPolicy: spec.pullPolicy,
    ...(spec.tty ? { tty: true } : {}),
    ...(user ? { securityContext: { runAsUser: Number(user[1]), ...(user[2] ? { runAsGroup: Number(user[2]) } : {}) } } : {}),
    ...(volumeMounts.length ? { volumeMounts } : {}),
  };
  const jobSpec = {
    backoffLimit: spec.retry.limit,
    ...(spec.timeoutSeconds !== undefined ? { activeDeadlineSeconds: spec.timeoutSeconds } : {}),
    ...(spec.parallelism > 1 ? { parallelism: spec.parallelism } : {}),
    ...(spec.completions !== undefined ? { completions: spec.completions } : {}),
    ...(spec.completionMode === 'Indexed' ? { completionMode: 'Indexed' } : {}),
    ...(spec.podFailurePolicy ? { podFailurePolicy: spec.podFailurePolicy } : {}),
    ...(spec.successPolicy ? { successPolicy: spec.successPolicy } : {}),
    ...(spec.backoffLimitPerIndex !== undefined ? { backoffLimitPerIndex: spec.backoffLimitPerIndex } : {}),
    ...(spec.maxFailedIndexes !== undefined ? { maxFailedIndexes: spec.maxFailedIndexes } : {}),
    ...(spec.ttlSecondsAfterFinished !== undefined ? { ttlSecondsAfterFinished: spec.ttlSecondsAfterFinished } : {}),
    ...(spec.suspend ? { suspend: true } : {}),
    template: {
      spec: {
        restartPolicy: 'Never',
        containers: [container],
        ...(volumes.length ? { volumes } : {}),
      },
    },
  };
  const labels = Object.keys(spec.labels).length ? { labels: spec.labels } : {};
  const s = spec.schedule;
  const doc = s
    ? {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name, ...labels },
        spec: {
          schedule: s.cron,
          ...(s.timeZone ? { timeZone: s.timeZone } : {}),
          ...(s.concurrencyPolicy !== 'Allow' ? { concurrencyPolicy: s.concurrencyPolicy } : {}),
          ...(s.enabled ? {} : { suspend: true }),
          ...(s.startingDeadlineSeconds !== undefined ? { startingDeadlineSeconds: s.startingDeadlineSeconds } : {}),
          ...(s.successfulJobsHistoryLimit !== undefined ? { successfulJobsHistoryLimit: s.successfulJobsHistoryLimit } : {}),
          ...(s.failedJobsHistoryLimit !== undefined ? { failedJobsHistoryLimit: s.failedJobsHistoryLimit } : {}),
          jobTemplate: { spec: jobSpec },
        },
      }
    : { apiVersion: 'batch/v1', kind: 'Job', metadata: { name, ...labels }, spec: jobSpec };
  const secrets = spec.env.filter((e) => e.secret).map((e) => e.name);
  const head = secrets.length ? `# The secret values stay in Jobdeck: create them with\n#   kubectl create secret generic ${secretName} ${secrets.map((s) => `--from-literal=${s}=…`).join(' ')}\n` : '';
  return head + stringify(doc);
}

/** The file name an export gets: the template's name with what file systems refuse turned to dashes. */
export const exportBaseName = (name: string): string => name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'template';

/** The manifest as the file the Templates view, the editor and the CLI save: `<name>.k8s.yaml`. */
export function kubernetesManifestFile(spec: TemplateSpec): { filename: string; content: string } {
  return { filename: `${exportBaseName(spec.name)}.k8s.yaml`, content: kubernetesManifest(spec) };
}
