import { join } from 'node:path';

/**
 * A job id as one path segment. Ids are UUIDs; anything else (a separator, `..`) must never turn
 * into a path outside the data directory, least of all one that a removal then deletes.
 */
export function idSegment(id: string): string {
  const s = id.replace(/[^A-Za-z0-9._-]/g, '_');
  return s === '' || /^\.+$/.test(s) ? `_${s.replace(/\./g, '_')}` : s;
}

export const jobArtifactsDir = (dataDir: string, jobId: string): string => join(dataDir, 'artifacts', idSegment(jobId));
export const attemptArtifactsDir = (dataDir: string, jobId: string, attempt: number): string =>
  join(jobArtifactsDir(dataDir, jobId), String(attempt));
