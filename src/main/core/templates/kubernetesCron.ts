import type { TemplateSpecInput } from '../../../shared/template';
import { str, type Obj, type Reader } from './k8sReader';

/** Kubernetes stops scheduling a CronJob that missed more than this many schedules. */
const K8S_MISSED_SCHEDULES_LIMIT = 100;

/**
 * A CronJob's spec → the template's schedule. A missed run follows Jobdeck's missed-run policy
 * (CatchUpOnce: the most recent missed slot, as a controller starts it), within
 * startingDeadlineSeconds when set; the rule that more than 100 missed schedules start none does
 * not apply, and the import says so. Returns the jobTemplate.
 */
export function mapCronJob(r: Reader, cs: Obj, spec: TemplateSpecInput): Obj {
  if (typeof cs.schedule !== 'string') r.errors.push({ path: 'spec.schedule', message: 'expected a cron schedule' });
  const num = (key: string) => (cs[key] === undefined ? undefined : (cs[key] as number));
  const deadline = num('startingDeadlineSeconds');
  const ok = num('successfulJobsHistoryLimit');
  const failed = num('failedJobsHistoryLimit');
  spec.schedule = {
    cron: str(cs.schedule) ?? '',
    ...(cs.timeZone !== undefined ? { timeZone: str(cs.timeZone) ?? '' } : {}),
    ...(cs.concurrencyPolicy !== undefined ? { concurrencyPolicy: cs.concurrencyPolicy as 'Allow' } : {}),
    missedRunPolicy: 'CatchUpOnce',
    enabled: cs.suspend !== true,
    ...(deadline !== undefined ? { startingDeadlineSeconds: deadline } : {}),
    ...(ok !== undefined ? { successfulJobsHistoryLimit: ok } : {}),
    ...(failed !== undefined ? { failedJobsHistoryLimit: failed } : {}),
  };
  r.warnings.push(
    `spec: a run missed while Jobdeck was closed follows the missed-run policy CatchUpOnce (the most recent missed run starts once${deadline !== undefined ? `, unless more than ${deadline} s late` : ''}); Kubernetes' rule that more than ${K8S_MISSED_SCHEDULES_LIMIT} missed schedules start none does not apply`,
  );
  if (cs.suspend === true) r.warnings.push('spec.suspend: true: the schedule is imported turned off; turn it on in the template to resume');
  if (ok === undefined || failed === undefined) {
    r.warnings.push(
      `spec.${ok === undefined ? 'successfulJobsHistoryLimit' : 'failedJobsHistoryLimit'}: not set; Jobdeck keeps ${ok === undefined && failed === undefined ? 'these runs' : 'those runs'} by its retention settings (Kubernetes would keep ${ok === undefined ? '3 successful' : ''}${ok === undefined && failed === undefined ? ' and ' : ''}${failed === undefined ? '1 failed' : ''})`,
    );
  }
  return r.obj(cs.jobTemplate, 'spec.jobTemplate', ['metadata', 'spec']);
}

export const CRON_FIELDS = ['schedule', 'timeZone', 'concurrencyPolicy', 'suspend', 'jobTemplate', 'startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit'];

/** batch/v1beta1 (removed in Kubernetes 1.25) reads as batch/v1: the fields Jobdeck maps are the same. */
export function deprecationWarning(apiVersion: unknown, kind: string): string | undefined {
  if (apiVersion !== 'batch/v1beta1') return undefined;
  return `apiVersion: batch/v1beta1 ${kind} is deprecated (removed in Kubernetes 1.25); read as batch/v1 — change the file to apiVersion: batch/v1`;
}
