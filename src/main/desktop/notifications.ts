import { describeExit } from '../../shared/exitCodes';
import type { Job } from '../../shared/job';
import type { Settings } from '../../shared/settings';

export interface JobNotice {
  title: string;
  body: string;
  jobId: string;
}

/** What to say when a job ends, or nothing (notifications off, a muted success, not ended). */
export function noticeForJob(job: Pick<Job, 'id' | 'status' | 'templateName' | 'exitCode' | 'reason' | 'message'>, settings: Pick<Settings, 'notifications'>): JobNotice | null {
  if (!settings.notifications.enabled) return null;
  if (job.status === 'completed') {
    if (settings.notifications.muteSuccess) return null;
    return { title: `${job.templateName} succeeded`, body: 'Exit code 0', jobId: job.id };
  }
  if (job.status === 'failed') {
    const m = describeExit(job.exitCode, job.reason);
    const code = job.exitCode === null || job.exitCode === undefined ? '' : `exit code ${job.exitCode}, `;
    return {
      title: `${job.templateName} failed`,
      body: `${code}${job.reason ?? 'Error'}: ${m.meaning}${job.message ? `\n${job.message}` : ''}`.slice(0, 240),
      jobId: job.id,
    };
  }
  if (job.status === 'cancelled' && job.reason === 'UpstreamFailed') {
    return { title: `${job.templateName} did not run`, body: 'A job it depends on failed or was cancelled', jobId: job.id };
  }
  return null;
}

/** The renderer's route for one job (src/renderer/src/routes.ts reads `#/jobs/<id>`). */
export function jobRoute(jobId: string): string {
  return `/jobs/${encodeURIComponent(jobId)}`;
}

/**
 * Script that moves an open window to a route: setting location.hash fires `hashchange`, which
 * the renderer follows (src/renderer/src/main.tsx). The route is a JSON string literal, never code.
 */
export function goToRouteScript(route: string): string {
  return `location.hash = ${JSON.stringify(`#${route}`)};`;
}
