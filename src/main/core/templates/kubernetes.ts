import { zodIssues } from '../../../shared/errors';
import { podProblems } from '../../../shared/pod';
import { TemplateSpecChecked, type TemplateSpecInput } from '../../../shared/template';
import type { Mapped } from './jobdeckFormat';
import { Reader, str, type Obj } from './k8sReader';
import { CRON_FIELDS, deprecationWarning, mapCronJob } from './kubernetesCron';
import { mapPod } from './kubernetesPod';
import { scheduleMessageForFile } from './scheduleRules';
import { isRecord } from './parse';
import { JOB_POLICY_FIELDS, mapJobPolicies } from './kubernetesPolicies';

/** Kubernetes' own default for backoffLimit. */
const K8S_BACKOFF_LIMIT = 6;

/** batch/v1 Job and CronJob → a Jobdeck template, with a warning for whatever cannot be honoured. */
export function fromKubernetes(doc: Obj, kind: 'Job' | 'CronJob'): Mapped {
  const r = new Reader();
  const deprecated = deprecationWarning(doc.apiVersion, kind);
  if (deprecated) r.warnings.push(deprecated);
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
    const cs = r.obj(top.spec, 'spec', CRON_FIELDS);
    const jt = mapCronJob(r, cs, spec);
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
  const pod = r.obj(tpl.spec, podPath, ['containers', 'initContainers', 'restartPolicy', 'volumes']);
  if (pod.restartPolicy !== undefined && pod.restartPolicy !== 'Never' && pod.restartPolicy !== 'OnFailure') {
    r.warnings.push(`${podPath}.restartPolicy: ${String(pod.restartPolicy)} is not valid for a Job; Jobdeck retries by backoffLimit`);
  }
  const cPath = mapPod(r, pod, podPath, spec);
  mapJobPolicies(r, js, jobPath, spec);
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
  const podIssues = podProblems(parsed.data);
  if (podIssues.length) return { ok: false, errors: podIssues.map((i) => ({ path: `${mappedFrom(i.path, cPath, jobPath)} (as ${i.path})`, message: i.message })) };
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
    ['initContainers', `${jobPath}.template.spec.initContainers`],
    ['volumes', `${jobPath}.template.spec.volumes`],
    ['volumeMounts', `${cPath}.volumeMounts`],
    ['schedule.startingDeadlineSeconds', 'spec.startingDeadlineSeconds'],
    ['schedule.successfulJobsHistoryLimit', 'spec.successfulJobsHistoryLimit'],
    ['schedule.failedJobsHistoryLimit', 'spec.failedJobsHistoryLimit'],
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
