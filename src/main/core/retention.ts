import type { CleanupPreview } from '../../shared/bulk';
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
 * The finished jobs a rule removes: older than N days (by finishedAt) in the given states. Never a
 * pending or running job, nor a finished one that an active job still depends on (it would fail
 * as upstream-missing) or that the user pinned: those are `kept`. The one choice that the preview counts and the run removes.
 */
export function selectRetention(store: JobStore, rule: RetentionRule): { doomed: Job[]; kept: number } {
  const cutoff = rule.now.getTime() - rule.olderThanDays * DAY_MS;
  const needed = new Set<string>();
  for (const j of store.activeJobs()) for (const d of j.dependsOn) needed.add(d);
  const doomed: Job[] = [];
  let kept = 0;
  for (const j of store.allJobs()) {
    if (!isTerminal(j.status) || !rule.statuses.includes(j.status)) continue;
    // A finished job without an end time (an old record) ages from its creation.
    const ended = Date.parse(j.finishedAt ?? j.createdAt);
    if (!(ended < cutoff)) continue;
    // Kept: an active job still depends on it, or the user pinned it (theirs to remove).
    if (needed.has(j.id) || j.pinned) kept++;
    else doomed.push(j);
  }
  return { doomed, kept };
}

/** What a clean-up would remove, counted per state; nothing is removed. */
export function previewRetention(store: JobStore, rule: RetentionRule): CleanupPreview {
  const { doomed, kept } = selectRetention(store, rule);
  const byStatus: CleanupPreview['byStatus'] = {};
  for (const j of doomed) {
    const s = j.status as keyof CleanupPreview['byStatus'];
    byStatus[s] = (byStatus[s] ?? 0) + 1;
  }
  return { count: doomed.length, byStatus, kept, asOf: rule.now.toISOString() };
}

/** Remove jobs with their logs and artifacts (records first: a crash midway leaves orphan files, never a job without its logs). */
export async function removeJobsAndFiles(store: JobStore, logs: LogStore, dataDir: string, ids: string[]): Promise<void> {
  if (!ids.length) return;
  store.removeJobs(ids);
  for (const id of ids) {
    await logs.removeJob(id);
    await removeJobArtifacts(dataDir, id);
  }
}

/**
 * Remove the finished jobs the rule selects (selectRetention), with their logs and artifacts.
 * Returns the removed ids (callers announce them).
 */
export async function runRetention(store: JobStore, logs: LogStore, dataDir: string, rule: RetentionRule): Promise<string[]> {
  const doomed = selectRetention(store, rule).doomed.map((j) => j.id);
  await removeJobsAndFiles(store, logs, dataDir, doomed);
  return doomed;
}
