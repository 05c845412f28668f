import type { ImageProgress } from '../../../shared/ipc';
import type { Job } from '../../../shared/job';
import type { PullState } from '../../../shared/pull';

/** "Pulling image busybox:latest: Downloading 40 %", as a Docker Desktop user reads a pull. */
export function pullText(p: Pick<ImageProgress, 'image' | 'status' | 'current' | 'total'>): string {
  const pct = p.total && p.current !== undefined ? ` ${Math.min(100, Math.floor((p.current / p.total) * 100))} %` : '';
  return `Pulling image ${p.image}: ${p.status}${pct}`;
}

/** A pull is news only while the job's latest attempt waits for its container. */
export function waitsForImage(job: Pick<Job, 'status' | 'attempts'>): boolean {
  return job.status === 'running' && job.attempts.at(-1)?.status === 'starting';
}

export interface PullSummary {
  layers: number;
  layersDone: number;
  /** Bytes over the layers whose size is known. */
  current: number;
  total: number;
  /** 0–100 over the known bytes, or undefined before any size is known. */
  percent: number | undefined;
}

export function pullSummary(s: PullState): PullSummary {
  const layers = Object.values(s.layers);
  const sized = layers.filter((l) => l.total !== undefined);
  const total = sized.reduce((n, l) => n + (l.total ?? 0), 0);
  const current = sized.reduce((n, l) => n + Math.min(l.current ?? 0, l.total ?? 0), 0);
  return {
    layers: layers.length,
    layersDone: layers.filter((l) => l.done).length,
    current,
    total,
    percent: total > 0 ? Math.min(100, Math.floor((current / total) * 100)) : undefined,
  };
}

/** "Pulling image busybox:1.36: 1 of 2 layers · 1.2 MiB of 2.0 MiB (60 %)". */
export function pullStateText(s: PullState, formatBytes: (n: number) => string): string {
  const sum = pullSummary(s);
  if (sum.layers === 0) return `Pulling image ${s.image}: ${s.status}`;
  const bytes = sum.total > 0 ? ` · ${formatBytes(sum.current)} of ${formatBytes(sum.total)} (${sum.percent} %)` : '';
  return `Pulling image ${s.image}: ${sum.layersDone} of ${sum.layers} layer${sum.layers === 1 ? '' : 's'}${bytes}`;
}
