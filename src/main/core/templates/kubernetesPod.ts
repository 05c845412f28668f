import { FIELD_COMPLETION_INDEX, FIELD_POD_NAME, memoryOnDiskMessage, memoryVolumesOnDisk, type InitContainer, type PodVolume, type VolumeMount } from '../../../shared/pod';
import type { EnvVar, Mount, TemplateSpecInput } from '../../../shared/template';
import { isRecord } from './parse';
import { str, stringArray, type Obj, type Reader } from './k8sReader';

type EnvInput = Omit<EnvVar, 'secret'> & { secret?: boolean };

/** What each volume kind Jobdeck does not mount should be replaced with. */
const INSTEAD: Record<string, string> = {
  configMap: 'a config map exists only in a cluster; put its files in a directory and mount it as a hostPath volume, or its values in environment variables',
  secret: 'a secret exists only in a cluster; give the values as secret environment variables, or mount a directory holding the files as a hostPath volume',
  persistentVolumeClaim: 'a claim needs a cluster\'s storage; mount a directory of this machine as a hostPath volume instead',
};

interface Volumes {
  hostPaths: Map<string, Obj>;
  emptyDirs: Set<string>;
}

/** The pod's volumes: emptyDir kept, hostPath a bind mount, every other kind refused with what to do instead. */
function readVolumes(r: Reader, pod: Obj, podPath: string, spec: TemplateSpecInput): Volumes {
  const out: Volumes = { hostPaths: new Map(), emptyDirs: new Set() };
  if (!Array.isArray(pod.volumes)) return out;
  const volumes: PodVolume[] = [];
  pod.volumes.forEach((v: unknown, i: number) => {
    if (!isRecord(v)) return;
    const name = String(v.name);
    const path = `${podPath}.volumes[${i}]`;
    if (isRecord(v.hostPath)) {
      r.obj(v.hostPath, `${path}.hostPath`, ['path', 'type'], {});
      out.hostPaths.set(name, v.hostPath);
    } else if (isRecord(v.emptyDir) || v.emptyDir === null) {
      const ed = r.obj(v.emptyDir ?? {}, `${path}.emptyDir`, ['medium', 'sizeLimit']);
      volumes.push({
        name,
        emptyDir: {
          ...(ed.medium !== undefined ? { medium: ed.medium as 'Memory' } : {}),
          ...(ed.sizeLimit !== undefined ? { sizeLimit: ed.sizeLimit as string } : {}),
        },
      });
      out.emptyDirs.add(name);
    } else {
      const kind = Object.keys(v).find((k) => k !== 'name') ?? 'unknown';
      r.warnings.push(`${path} (${name}): ${kind} volumes are not mounted by Jobdeck (${INSTEAD[kind] ?? 'only emptyDir and hostPath volumes are'}); its mounts are left out`);
    }
  });
  if (volumes.length) spec.volumes = volumes;
  return out;
}

/** One container's env: values, values from a cluster (asked for at import), downward-API fields. */
function readEnv(r: Reader, c: Obj, cPath: string): EnvInput[] | undefined {
  if (!Array.isArray(c.env)) return undefined;
  const env: EnvInput[] = [];
  c.env.forEach((e: unknown, i: number) => {
    const path = `${cPath}.env[${i}]`;
    const ev = r.obj(e, path, ['name', 'value', 'valueFrom']);
    const name = str(ev.name) ?? '';
    if (ev.valueFrom === undefined) return void env.push({ name, value: str(ev.value) ?? '' });
    const from = r.obj(ev.valueFrom, `${path}.valueFrom`, ['secretKeyRef', 'configMapKeyRef', 'fieldRef'], {
      resourceFieldRef: 'container resources are not given to the container as values',
    });
    const ref = (key: 'secretKeyRef' | 'configMapKeyRef', what: string) => {
      const k = r.obj(from[key], `${path}.valueFrom.${key}`, ['name', 'key', 'optional']);
      if (k.optional === true) r.warnings.push(`${path}.valueFrom.${key}.optional: true: Jobdeck still asks for the value of ${name}; leave the variable out instead if it is not needed`);
      return `${what} ${String(k.name)}, key ${String(k.key)}`;
    };
    if (from.secretKeyRef !== undefined) env.push({ name, value: '', secret: true, valueFrom: ref('secretKeyRef', 'secret') });
    else if (from.configMapKeyRef !== undefined) env.push({ name, value: '', valueFrom: ref('configMapKeyRef', 'config map') });
    else if (from.fieldRef !== undefined) {
      const f = r.obj(from.fieldRef, `${path}.valueFrom.fieldRef`, ['fieldPath', 'apiVersion']);
      const fieldPath = String(f.fieldPath);
      const field = fieldPath === 'metadata.name' ? FIELD_POD_NAME : /^metadata\.annotations\['batch\.kubernetes\.io\/job-completion-index'\]$/.test(fieldPath) ? FIELD_COMPLETION_INDEX : undefined;
      if (field) env.push({ name, value: '', valueFrom: field });
      else r.warnings.push(`${path}.valueFrom.fieldRef.fieldPath: ${fieldPath} has no value outside a cluster (Jobdeck gives metadata.name and the job-completion-index annotation); ${name} is left out`);
    }
  });
  return env;
}

function readMounts(r: Reader, c: Obj, cPath: string, vols: Volumes, hostPaths: boolean): { mounts: Mount[]; volumeMounts: VolumeMount[] } {
  const out = { mounts: [] as Mount[], volumeMounts: [] as VolumeMount[] };
  if (!Array.isArray(c.volumeMounts)) return out;
  c.volumeMounts.forEach((m: unknown, i: number) => {
    const path = `${cPath}.volumeMounts[${i}]`;
    const vm = r.obj(m, path, ['name', 'mountPath', 'readOnly', 'subPath'], { subPath: 'subPath is not supported' });
    const name = String(vm.name);
    const mountPath = str(vm.mountPath) ?? '';
    const readOnly = vm.readOnly === true;
    if (vols.emptyDirs.has(name)) out.volumeMounts.push({ name, mountPath, readOnly });
    const hp = vols.hostPaths.get(name);
    if (!hp) return;
    if (hostPaths) out.mounts.push({ hostPath: str(hp.path) ?? '', containerPath: mountPath, readOnly });
    else r.warnings.push(`${path} (${name}): a host path is mounted only into the main container by Jobdeck; this container does not see ${mountPath}`);
  });
  return out;
}

const CONTAINER_FIELDS = ['name', 'image', 'command', 'args', 'env', 'workingDir', 'resources', 'imagePullPolicy', 'securityContext', 'volumeMounts', 'tty', 'stdin'];

/** The main container (the first one) and what the pod around it shares: init containers, sidecars, volumes. */
export function mapPod(r: Reader, pod: Obj, podPath: string, spec: TemplateSpecInput): string {
  const vols = readVolumes(r, pod, podPath, spec);
  const containers = Array.isArray(pod.containers) ? pod.containers : [];
  if (containers.length === 0) r.errors.push({ path: `${podPath}.containers`, message: 'expected at least one container' });
  if (containers.length > 1) {
    r.warnings.push(
      `${podPath}.containers: Jobdeck runs one main container per job; only the first (${String((containers[0] as Obj)?.name ?? 'unnamed')}) is used (a helper that runs beside it can be an init container with restartPolicy: Always, a sidecar)`,
    );
  }
  const cPath = `${podPath}.containers[0]`;
  const c = r.obj(containers[0], cPath, CONTAINER_FIELDS);
  spec.image = str(c.image) ?? '';
  // podFailurePolicy's onExitCodes.containerName matches it.
  if (typeof c.name === 'string' && c.name) spec.containerName = c.name;
  if (!c.image) r.errors.push({ path: `${cPath}.image`, message: 'expected an image' });
  const command = stringArray(r, c.command, `${cPath}.command`);
  const args = stringArray(r, c.args, `${cPath}.args`);
  // Kubernetes command replaces the image's ENTRYPOINT and args its CMD: the same split here.
  if (command) spec.entrypoint = command;
  if (args) spec.command = args;
  if (c.workingDir !== undefined) spec.workingDir = str(c.workingDir) ?? '';
  if (c.tty === true) spec.tty = true;
  if (c.imagePullPolicy !== undefined) spec.pullPolicy = c.imagePullPolicy as 'Always';
  const env = readEnv(r, c, cPath);
  if (env) spec.env = env;
  const res = r.obj(c.resources, `${cPath}.resources`, ['limits'], { requests: 'requests only matter to a cluster scheduler; limits are applied' });
  const limits = r.obj(res.limits, `${cPath}.resources.limits`, ['memory', 'cpu']);
  if (limits.memory !== undefined || limits.cpu !== undefined) {
    spec.limits = {
      ...(limits.memory !== undefined ? { memory: limits.memory as string } : {}),
      ...(limits.cpu !== undefined ? { cpus: limits.cpu as string } : {}),
    };
  }
  const sc = r.obj(c.securityContext, `${cPath}.securityContext`, ['runAsUser', 'runAsGroup']);
  if (sc.runAsUser !== undefined) spec.user = sc.runAsGroup !== undefined ? `${String(sc.runAsUser)}:${String(sc.runAsGroup)}` : String(sc.runAsUser);
  if (Array.isArray(c.volumeMounts)) {
    const m = readMounts(r, c, cPath, vols, true);
    spec.mounts = m.mounts;
    if (m.volumeMounts.length) spec.volumeMounts = m.volumeMounts;
  }
  if (Array.isArray(pod.initContainers)) spec.initContainers = pod.initContainers.map((ic: unknown, i: number) => mapInit(r, ic, `${podPath}.initContainers[${i}]`, vols));
  const onDisk = memoryVolumesOnDisk({ initContainers: spec.initContainers ?? [], volumes: spec.volumes ?? [] });
  for (const o of onDisk) r.warnings.push(`${podPath}.volumes (${o.volume}): ${memoryOnDiskMessage(o)}`);
  return cPath;
}

function mapInit(r: Reader, v: unknown, path: string, vols: Volumes): InitContainer {
  const c = r.obj(v, path, ['name', 'image', 'command', 'args', 'env', 'workingDir', 'restartPolicy', 'volumeMounts', 'imagePullPolicy'], {
    resources: 'an init container runs without limits of its own in Jobdeck',
    startupProbe: 'a sidecar counts as started once its container runs',
    readinessProbe: 'probes are not run by Jobdeck',
    livenessProbe: 'probes are not run by Jobdeck',
    securityContext: 'an init container runs as the main container\'s user',
  });
  const ic: Partial<InitContainer> & { name: string } = { name: str(c.name) ?? '' };
  if (c.image !== undefined) ic.image = str(c.image) ?? '';
  const command = stringArray(r, c.command, `${path}.command`);
  const args = stringArray(r, c.args, `${path}.args`);
  if (command) ic.entrypoint = command;
  if (args) ic.command = args;
  if (c.workingDir !== undefined) ic.workingDir = str(c.workingDir) ?? '';
  if (c.restartPolicy === 'Always') ic.restartPolicy = 'Always';
  else if (c.restartPolicy !== undefined) r.warnings.push(`${path}.restartPolicy: ${String(c.restartPolicy)} is not valid for an init container (only Always, a sidecar); it runs as an init container`);
  const env = readEnv(r, c, path) ?? [];
  const valued = env.filter((e) => e.valueFrom === undefined);
  for (const e of env) if (e.valueFrom !== undefined) r.warnings.push(`${path}.env (${e.name}): a value from ${e.valueFrom} is given to the main container only; set it as a plain value here`);
  ic.env = valued.map((e) => ({ name: e.name, value: e.value }));
  ic.volumeMounts = readMounts(r, c, path, vols, false).volumeMounts;
  return ic as InitContainer;
}
