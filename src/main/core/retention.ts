import { isTerminal, type Job } from '../../shared/job';
import { removeJobArtifacts } from './artifacts/artifactFiles';
import type { LogStore } from './logs/logStore';
import type { JobStore } from './store/jobStore';

export interface RetentionRule {
  olderThanDays: number;
  statuses: Job['status'][];
  now: Date;
}

const DAY_MS = 86_400_000;

/**
 * Remove finished jobs older than N days (by finishedAt) in the given states, with their logs and
 * artifacts. Returns the removed ids (callers announce them). Never touches a pending or running
 * job, nor a finished one that an active job still depends on (it would fail as upstream-missing).
 */
export async function runRetention(store: JobStore, logs: LogStore, dataDir: string, rule: RetentionRule): Promise<string[]> {
  const cutoff = rule.now.getTime() - rule.olderThanDays * DAY_MS;
  const needed = new Set<string>();
  for (const j of store.activeJobs()) for (const d of j.dependsOn) needed.add(d);
  const doomed: string[] = [];
  for (const j of store.allJobs()) {
    // A pinned job is the user's to remove.
    if (!isTerminal(j.status) || !rule.statuses.includes(j.status) || needed.has(j.id) || j.pinned) continue;
    // A finished job without an end time (an old record) ages from its creation.
    const ended = Date.parse(j.finishedAt ?? j.createdAt);
    if (ended < cutoff) doomed.push(j.id);
  }
  if (!doomed.length) return [];
  // The records go first: a crash midway leaves orphan files, never a job whose logs are gone.
  store.removeJobs(doomed);
  for (const id of doomed) {
    await logs.removeJob(id);
    await removeJobArtifacts(dataDir, id);
  }
  return doomed;
}
