// The notifier's view of the rest of the core: a template's past runs (for p95 and recovered) and
// a log's last lines (for mail), kept here so that notifier.ts depends on ports only.
import { open } from 'node:fs/promises';
import type { Job } from '../../../shared/job';
import { jobDurationMs } from '../../../shared/jobNumbers';
import { JobFilter } from '../../../shared/query';
import { parseLine } from '../logs/format';
import type { LogStore } from '../logs/logStore';
import type { JobStore } from '../store/jobStore';
import type { TemplatePast } from './rules';

/** Runs looked at for the p95: the latest finished ones of the template. */
const P95_RUNS = 100;

function p95(xs: number[]): number | null {
  if (!xs.length) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)] ?? null;
}

export function templatePast(store: Pick<JobStore, 'listJobs'>, job: Job): TemplatePast {
  const byTemplate = job.templateId ? { templateId: job.templateId } : { templateName: job.templateName };
  const ended = store.listJobs(JobFilter.parse({ ...byTemplate, status: ['completed', 'failed'], sort: 'finishedAt', order: 'desc', limit: P95_RUNS + 1 })).items.filter((j) => j.id !== job.id);
  const durations = ended
    .filter((j) => j.status === 'completed')
    .map((j) => jobDurationMs(j))
    .filter((d): d is number => d !== null);
  const previous = ended.find((j) => !job.finishedAt || !j.finishedAt || j.finishedAt <= job.finishedAt);
  return { p95Ms: p95(durations.slice(0, P95_RUNS)), ...(previous ? { previousEnd: previous.status as 'completed' | 'failed' } : {}) };
}

const TAIL_BYTES = 64 * 1024;

/** The last `count` lines of an attempt's output (stdout and stderr as stored, secrets masked). */
export async function logTail(logs: Pick<LogStore, 'file'>, jobId: string, attempt: number, count = 20): Promise<string[]> {
  let fh;
  try {
    fh = await open(logs.file(jobId, attempt), 'r');
  } catch {
    return [];
  }
  try {
    const size = (await fh.stat()).size;
    const from = Math.max(0, size - TAIL_BYTES);
    const buf = Buffer.alloc(size - from);
    await fh.read(buf, 0, buf.length, from);
    const records = buf.toString('utf8').split('\n');
    if (from > 0) records.shift(); // the first is cut by the window
    let text = '';
    for (const raw of records) {
      const line = parseLine(raw);
      if (line && line.s !== 'x') text += line.d;
    }
    const lines = text.replace(/\n$/, '').split('\n');
    return (lines.length === 1 && lines[0] === '' ? [] : lines).slice(-count);
  } finally {
    await fh.close();
  }
}
