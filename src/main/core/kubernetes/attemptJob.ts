// What one attempt is on a cluster: one batch/v1 Job (backoffLimit 0, restartPolicy Never:
// Jobdeck's scheduler owns retries, and a failed pod stays for its logs), and a Secret owned by
// the Job for the secret env (never plain env in the Job spec, which anyone who can read Jobs sees).
import type { V1Job, V1Secret, V1EnvVar } from '@kubernetes/client-node';
import { parseCpus, parseMemory } from '../../../shared/quantity';
import { toCmd } from '../engines/createOptions';
import type { AttemptRequest } from '../engines/types';

export const MAIN_CONTAINER = 'main';

/** DNS-1123 label (a Job's name becomes its pods' label). The job id is a UUID, so the name is unique per attempt. */
export function attemptJobName(jobId: string, attempt: number): string {
  return `jobdeck-${jobId.toLowerCase().replace(/[^a-z0-9-]/g, '')}-${attempt}`.slice(0, 63).replace(/-+$/, '');
}

const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]{1,253}$/;

export interface AttemptManifest {
  job: V1Job;
  /** The secret env, to be created once the Job exists (it is owned by the Job); absent when there is none. */
  secret?: (owner: { name: string; uid: string }) => V1Secret;
  /** What the template asks for that this Job does not do, in the user's words (logged as the attempt starts). */
  notes: string[];
}

export function attemptManifest(req: AttemptRequest, namespace: string): AttemptManifest {
  const s = req.spec;
  const name = attemptJobName(req.jobId, req.attempt);
  const notes: string[] = [];
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.labels)) {
    if (LABEL_KEY.test(k) && LABEL_VALUE.test(v) && k.length <= 316) labels[k] = v;
    else notes.push(`label ${k}=${v} is not a valid Kubernetes label: left off the Job`);
  }
  Object.assign(labels, req.labels);
  const secretNames = new Set(s.env.filter((e) => e.secret).map((e) => e.name));
  const secretData: Record<string, string> = {};
  const env: V1EnvVar[] = [];
  for (const kv of req.env) {
    const eq = kv.indexOf('=');
    const key = eq < 0 ? kv : kv.slice(0, eq);
    const value = eq < 0 ? '' : kv.slice(eq + 1);
    if (secretNames.has(key) && SECRET_KEY.test(key)) {
      secretData[key] = Buffer.from(value, 'utf8').toString('base64');
      env.push({ name: key, valueFrom: { secretKeyRef: { name, key } } });
    } else {
      env.push({ name: key, value });
    }
  }
  const memory = s.limits.memory === undefined ? null : parseMemory(s.limits.memory);
  const cpus = s.limits.cpus === undefined ? null : parseCpus(s.limits.cpus);
  const limits: Record<string, string> = {
    ...(memory ? { memory: String(memory) } : {}),
    ...(cpus ? { cpu: `${Math.max(1, Math.round(cpus * 1000))}m` } : {}),
  };
  const user = s.user ? /^(\d+)(?::(\d+))?$/.exec(s.user) : null;
  if (s.user && !user) notes.push(`user ${s.user} is not numeric: Kubernetes runs as a uid (runAsUser), so the image's user is used`);
  if (s.mounts.length) notes.push('host mounts are not made on Kubernetes: a path of this machine means nothing on a cluster node');
  if (s.initContainers.length) notes.push('init containers and sidecars are not run on Kubernetes by Jobdeck yet');
  if (s.network === 'none') notes.push('network none is not enforced on Kubernetes (a NetworkPolicy would be the cluster\'s)');
  const cmd = toCmd(s.command);
  const job: V1Job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace, labels },
    spec: {
      backoffLimit: 0,
      ...(s.timeoutSeconds ? { activeDeadlineSeconds: s.timeoutSeconds } : {}),
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          terminationGracePeriodSeconds: req.graceSeconds,
          ...(user ? { securityContext: { runAsUser: Number(user[1]), ...(user[2] ? { runAsGroup: Number(user[2]) } : {}) } } : {}),
          ...(s.volumes.length ? { volumes: s.volumes.map((v) => ({ name: v.name, emptyDir: emptyDirOf(v.emptyDir) })) } : {}),
          containers: [
            {
              name: MAIN_CONTAINER,
              image: s.image,
              imagePullPolicy: s.pullPolicy,
              ...(s.entrypoint ? { command: s.entrypoint } : {}),
              ...(cmd ? { args: cmd } : {}),
              ...(env.length ? { env } : {}),
              ...(s.workingDir ? { workingDir: s.workingDir } : {}),
              ...(s.tty ? { tty: true } : {}),
              ...(Object.keys(limits).length ? { resources: { limits } } : {}),
              ...(s.volumeMounts.length ? { volumeMounts: s.volumeMounts.map((m) => ({ ...m })) } : {}),
            },
          ],
        },
      },
    },
  };
  const secret = Object.keys(secretData).length
    ? (owner: { name: string; uid: string }): V1Secret => ({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name,
          namespace,
          labels,
          // Owned by the Job: the garbage collector deletes it with the Job.
          ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: owner.name, uid: owner.uid, controller: false, blockOwnerDeletion: false }],
        },
        type: 'Opaque',
        data: secretData,
      })
    : undefined;
  return { job, ...(secret ? { secret } : {}), notes };
}

/** A size as bytes (Kubernetes reads "64m" as millibytes, Docker as MiB: bytes mean one thing to both). */
function emptyDirOf(e: { medium?: '' | 'Memory' | undefined; sizeLimit?: string | number | undefined }): { medium?: string; sizeLimit?: string } {
  const size = e.sizeLimit === undefined ? null : parseMemory(e.sizeLimit);
  return { ...(e.medium !== undefined ? { medium: e.medium } : {}), ...(size ? { sizeLimit: String(size) } : {}) };
}
