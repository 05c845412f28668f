import type { Job } from '../../shared/job';
import { removeJobArtifacts } from './artifacts';
import type { LogStore } from './logs';
import type { JobStore } from './store';

export interface RetentionRule {
  olderThanDays: number;
  statuses: Job['status'][];
  now: Date;
}

/** Remove finished jobs older than N days (by finishedAt) in the given states, with logs and artifacts. */
export async function runRetention(store: JobStore, logs: LogStore, dataDir: string, rule: RetentionRule): Promise<string[]> {
  const cutoff = rule.now.getTime() - rule.olderThanDays * 86_400_000;
  const doomed: string[] = [];
  for (const j of store.allJobs()) {
    if (j.status === 'pending' || j.status === 'running') continue;
    if (!rule.statuses.includes(j.status)) continue;
    if (j.finishedAt && Date.parse(j.finishedAt) < cutoff) doomed.push(j.id);
  }
  if (!doomed.length) return [];
  store.removeJobs(doomed);
  for (const id of doomed) {
    await logs.removeJob(id);
    await removeJobArtifacts(dataDir, id);
  }
  return doomed;
}
