import type { ImageProgress } from '../../../shared/ipc';
import type { Job } from '../../../shared/job';

/** "Pulling image busybox:latest: Downloading 40 %", as a Docker Desktop user reads a pull. */
export function pullText(p: Pick<ImageProgress, 'image' | 'status' | 'current' | 'total'>): string {
  const pct = p.total && p.current !== undefined ? ` ${Math.min(100, Math.floor((p.current / p.total) * 100))} %` : '';
  return `Pulling image ${p.image}: ${p.status}${pct}`;
}

/** A pull is news only while the job's latest attempt waits for its container. */
export function waitsForImage(job: Pick<Job, 'status' | 'attempts'>): boolean {
  return job.status === 'running' && job.attempts.at(-1)?.status === 'starting';
}
