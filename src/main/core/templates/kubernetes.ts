import { zodIssues, type Issue } from '../../../shared/errors';
import { TemplateSpecChecked, type TemplateSpecInput } from '../../../shared/template';
import type { Mapped } from './jobdeckFormat';
import { scheduleMessageForFile } from './scheduleRules';
import { isRecord } from './parse';
import { JOB_POLICY_FIELDS, mapJobPolicies } from './kubernetesPolicies';

/** Kubernetes' own default for backoffLimit. */
const K8S_BACKOFF_LIMIT = 6;

type Obj = Record<string, unknown>;

/** Walks a manifest, taking the fields Jobdeck maps and warning about every other one. */
class Reader {
  warnings: string[] = [];
  errors: Issue[] = [];

  /** The object at `path`, with unknown keys (not in `known`) reported as warnings. */
  obj(v: unknown, path: string, known: string[], ignored: Record<string, string> = {}): Obj {
    if (v === undefined) return {};
    if (!isRecord(v)) {
      this.errors.push({ path, message: 'expected an object' });
      return {};
    }
    for (const key of Object.keys(v)) {
      if (known.includes(key)) continue;
      this.warnings.push(`${path === '(root)' ? key : `${path}.${key}`}: ${ignored[key] ?? 'not supported by Jobdeck'}, ignored`);
    }
    return v;
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

function stringArray(r: Reader, v: unknown, path: string): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' && typeof x !== 'number')) {
    r.errors.push({ path, message: 'expected a list of strings' });
    return undefined;
  }
  return v.map(String);
}

/** batch/v1 Job and CronJob → a Jobdeck template, with a warning for whatever cannot be honoured. */
export function fromKubernetes(doc: Obj, kind: 'Job' | 'CronJob'): Mapped {
  const r = new Reader();
  const top = r.obj(doc, '(root)', ['apiVersion', 'kind', 'metadata', 'spec'], { status: 'status is written by a cluster' });
  const meta = r.obj(top.metadata, 'metadata', ['name', 'labels'], {
    namespace: 'Jobdeck has no namespaces',
    annotations: 'annotations are not kept',
  });
  const spec: TemplateSpecInput = { name: str(meta.name) ?? '', image: '' };
  if (!meta.name) r.errors.push({ path: 'metadata.name', message: 'expected the name of the job' });
  if (isRecord(meta.labels)) spec.labels = Object.fromEntries(Object.entries(meta.labels).map(([k, v]) => [k, String(v)]));

  let jobSpec: Obj;
  let jobPath: string;
  if (kind === 'CronJob') {
    const cs = r.obj(top.spec, 'spec', ['schedule', 'timeZone', 'concurrencyPolicy', 'suspend', 'jobTemplate'], {
      startingDeadlineSeconds: 'missed runs follow the template\'s missedRunPolicy instead',
      successfulJobsHistoryLimit: 'history is kept by Jobdeck\'s retention settings',
      failedJobsHistoryLimit: 'history is kept by Jobdeck\'s retention settings',
    });
    if (typeof cs.schedule !== 'string') r.errors.push({ path: 'spec.schedule', message: 'expected a cron schedule' });
    spec.schedule = {
      cron: str(cs.schedule) ?? '',
      ...(cs.timeZone !== undefined ? { timeZone: str(cs.timeZone) ?? '' } : {}),
      ...(cs.concurrencyPolicy !== undefined ? { concurrencyPolicy: cs.concurrencyPolicy as 'Allow' } : {}),
      enabled: cs.suspend !== true,
    };
    const jt = r.obj(cs.jobTemplate, 'spec.jobTemplate', ['metadata', 'spec']);
    jobSpec = (jt.spec as Obj) ?? {};
    jobPath = 'spec.jobTemplate.spec';
    if (!isRecord(jt.spec)) r.errors.push({ path: jobPath, message: 'expected the job spec' });
  } else {
    jobSpec = (top.spec as Obj) ?? {};
    jobPath = 'spec';
    if (!isRecord(top.spec)) r.errors.push({ path: 'spec', message: 'expected the job spec' });
  }
  const js = r.obj(jobSpec, jobPath, ['template', 'backoffLimit', 'activeDeadlineSeconds', 'parallelism', 'completions', 'completionMode', ...JOB_POLICY_FIELDS]);
  spec.retry = { limit: typeof js.backoffLimit === 'number' ? js.backoffLimit : K8S_BACKOFF_LIMIT };
  if (js.activeDeadlineSeconds !== undefined) spec.timeoutSeconds = js.activeDeadlineSeconds as number;
  if (js.parallelism !== undefined) spec.parallelism = js.parallelism as number;
  if (js.completions !== undefined) spec.completions = js.completions as number;
  if (js.completionMode !== undefined) spec.completionMode = js.completionMode as 'Indexed';

  const tpl = r.obj(js.template, `${jobPath}.template`, ['metadata', 'spec']);
  const podPath = `${jobPath}.template.spec`;
  const pod = r.obj(tpl.spec, podPath, ['containers', 'restartPolicy', 'volumes']);
  if (pod.restartPolicy !== undefined && pod.restartPolicy !== 'Never' && pod.restartPolicy !== 'OnFailure') {
    r.warnings.push(`${podPath}.restartPolicy: ${String(pod.restartPolicy)} is not valid for a Job; Jobdeck retries by backoffLimit`);
  }
  const containers = Array.isArray(pod.containers) ? pod.containers : [];
  if (containers.length === 0) r.errors.push({ path: `${podPath}.containers`, message: 'expected at least one container' });
  if (containers.length > 1) r.warnings.push(`${podPath}.containers: Jobdeck runs one container per job; only the first (${String((containers[0] as Obj)?.name ?? 'unnamed')}) is used`);
  const cPath = `${podPath}.containers[0]`;
  const c = r.obj(containers[0], cPath, ['name', 'image', 'command', 'args', 'env', 'workingDir', 'resources', 'imagePullPolicy', 'securityContext', 'volumeMounts', 'tty', 'stdin']);
  spec.image = str(c.image) ?? '';
  if (typeof c.name === 'string' && c.name) spec.containerName = c.name;
  mapJobPolicies(r, js, jobPath, spec);
  if (!c.image) r.errors.push({ path: `${cPath}.image`, message: 'expected an image' });
  const command = stringArray(r, c.command, `${cPath}.command`);
  const args = stringArray(r, c.args, `${cPath}.args`);
  // Kubernetes command replaces the image's ENTRYPOINT and args its CMD: the same split here.
  if (command) spec.entrypoint = command;
  if (args) spec.command = args;
  if (c.workingDir !== undefined) spec.workingDir = str(c.workingDir) ?? '';
  if (c.tty === true) spec.tty = true;
  if (c.imagePullPolicy !== undefined) spec.pullPolicy = c.imagePullPolicy as 'Always';
  if (Array.isArray(c.env)) {
    spec.env = [];
    c.env.forEach((e: unknown, i: number) => {
      const ev = r.obj(e, `${cPath}.env[${i}]`, ['name', 'value'], { valueFrom: 'values from secrets, config maps or fields do not exist outside a cluster' });
      if (ev.valueFrom !== undefined) return;
      spec.env!.push({ name: str(ev.name) ?? '', value: str(ev.value) ?? '' });
    });
  }
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
  const volumes = new Map<string, Obj>();
  if (Array.isArray(pod.volumes)) {
    pod.volumes.forEach((v: unknown, i: number) => {
      if (!isRecord(v)) return;
      if (isRecord(v.hostPath)) volumes.set(String(v.name), v.hostPath);
      else r.warnings.push(`${podPath}.volumes[${i}] (${String(v.name)}): only hostPath volumes can be mounted by Jobdeck, ignored`);
    });
  }
  if (Array.isArray(c.volumeMounts)) {
    spec.mounts = [];
    c.volumeMounts.forEach((m: unknown, i: number) => {
      const vm = r.obj(m, `${cPath}.volumeMounts[${i}]`, ['name', 'mountPath', 'readOnly', 'subPath'], { subPath: 'subPath is not supported' });
      const hp = volumes.get(String(vm.name));
      if (!hp) return;
      spec.mounts!.push({ hostPath: str(hp.path) ?? '', containerPath: str(vm.mountPath) ?? '', readOnly: vm.readOnly === true });
    });
  }
  if (r.errors.length) return { ok: false, errors: r.errors };
  const parsed = TemplateSpecChecked.safeParse(spec);
  if (!parsed.success) {
    return {
      ok: false,
      errors: zodIssues(parsed.error).map((i) => ({
        path: `${mappedFrom(i.path, cPath, jobPath)} (as ${i.path})`,
        message: scheduleMessageForFile(i.message, 'kubernetes'),
      })),
    };
  }
  return { ok: true, spec: parsed.data, warnings: r.warnings };
}

/** Point a schema error at the manifest field it came from, so the user can find it. */
function mappedFrom(path: string, cPath: string, jobPath: string): string {
  const fields: [string, string][] = [
    ['name', 'metadata.name'],
    ['image', `${cPath}.image`],
    ['entrypoint', `${cPath}.command`],
    ['command', `${cPath}.args`],
    ['env', `${cPath}.env`],
    ['mounts', `${cPath}.volumeMounts`],
    ['workingDir', `${cPath}.workingDir`],
    ['pullPolicy', `${cPath}.imagePullPolicy`],
    ['limits.cpus', `${cPath}.resources.limits.cpu`],
    ['limits', `${cPath}.resources.limits`],
    ['retry', `${jobPath}.backoffLimit`],
    ['timeoutSeconds', `${jobPath}.activeDeadlineSeconds`],
    ['parallelism', `${jobPath}.parallelism`],
    ['completions', `${jobPath}.completions`],
    ['completionMode', `${jobPath}.completionMode`],
    ['podFailurePolicy', `${jobPath}.podFailurePolicy`],
    ['successPolicy', `${jobPath}.successPolicy`],
    ['backoffLimitPerIndex', `${jobPath}.backoffLimitPerIndex`],
    ['maxFailedIndexes', `${jobPath}.maxFailedIndexes`],
    ['ttlSecondsAfterFinished', `${jobPath}.ttlSecondsAfterFinished`],
    ['suspend', `${jobPath}.suspend`],
    ['schedule.cron', 'spec.schedule'],
    ['schedule', 'spec'],
  ];
  for (const [from, to] of fields) {
    if (path === from || path.startsWith(`${from}.`) || path.startsWith(`${from}[`)) {
      return from === 'retry' ? to : to + path.slice(from.length);
    }
  }
  return path;
}
