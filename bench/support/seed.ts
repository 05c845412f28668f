// Data dirs for the renderer benches, written through the store and log APIs (never by hand: the
// file formats belong to src/main/core/store and src/main/core/logs and may change).
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogStore } from '../../src/main/core/logs/logStore';
import { JobStore } from '../../src/main/core/store/jobStore';
import { Job, type JobStatus } from '../../src/shared/job';
import { TemplateSpec } from '../../src/shared/template';

/** Every seeded log line is this many bytes with its newline (ASCII). */
export const LINE_BYTES = 52;

/**
 * Line i of the seeded log. The bare-xterm baseline builds the same lines in the page (same
 * expression, see bench/renderer.bench.ts), and the bench checks that both sides agree.
 */
export function logLine(i: number): string {
  return `${`${String(i).padStart(7, '0')} INFO worker-${i % 16} step ok value=${(i * 7919) % 100000}`.padEnd(LINE_BYTES - 1, '.')}\n`;
}

export const endMarker = (lines: number): string => `END-OF-LOG ${lines} lines\n`;

const T0 = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

export function freshDataDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `jobdeck-bench-${name}-`));
}

const SPECS = Array.from({ length: 40 }, (_, k) =>
  TemplateSpec.parse({
    name: `bench-${['nightly', 'etl', 'backup', 'report', 'lint'][k % 5]}-${k}`,
    image: 'jobdeck-test:latest',
    command: ['sh', '-c', `echo step ${k}; sleep 1`],
    network: 'none',
    labels: { bench: 'renderer' },
  }),
);

/** A finished job as the scheduler leaves one: one attempt on `engineId`, times `at` onwards. */
function finishedJob(seq: number, at: number, status: JobStatus, logBytes = 0): Job {
  const spec = SPECS[seq % SPECS.length]!;
  const ok = status === 'completed';
  const cancelled = status === 'cancelled';
  const exitCode = ok ? 0 : cancelled ? 143 : 1 + (seq % 7);
  const reason = ok ? 'Completed' : cancelled ? 'Cancelled' : 'Error';
  const started = at + 400;
  const finished = started + 1000 + (seq % 97) * 150;
  const id = randomUUID();
  return Job.parse({
    id,
    templateName: spec.name,
    spec,
    status,
    reason,
    exitCode,
    priority: spec.priority,
    seq,
    origin: 'manual',
    createdAt: iso(at),
    startedAt: iso(started),
    finishedAt: iso(finished),
    failures: ok ? 0 : 1,
    succeededIndexes: ok ? [0] : [],
    attempts: [
      {
        number: 1,
        index: 0,
        engineId: seq % 3 === 0 ? 'podman' : 'docker',
        containerId: id.replace(/-/g, '').repeat(2),
        status: ok ? 'succeeded' : cancelled ? 'cancelled' : 'failed',
        exitCode,
        reason,
        createdAt: iso(at),
        startedAt: iso(started),
        finishedAt: iso(finished),
        logBytes,
      },
    ],
  });
}

export interface SeededLog {
  dataDir: string;
  jobId: string;
  /** Output lines, the end marker included. */
  lines: number;
  /** Output bytes (UTF-8 = characters here), the end marker included. */
  bytes: number;
  marker: string;
}

/**
 * One finished job whose attempt 1 logged `targetBytes` of stdout, one engine entry per line as
 * the executor stores a timestamped stream (so the file holds about a million JSONL lines).
 */
export async function seedLog(targetBytes: number): Promise<SeededLog> {
  const dataDir = freshDataDir('log');
  const store = await JobStore.open({ dataDir });
  const lines = Math.max(2, Math.floor(targetBytes / LINE_BYTES));
  const logs = new LogStore(dataDir, { capBytes: () => Number.MAX_SAFE_INTEGER });
  const seq = store.nextSeq();
  const job = finishedJob(seq, T0, 'completed');
  const writer = logs.openWriter(job.id, 1);
  let bytes = 0;
  for (let i = 0; i < lines - 1; i++) {
    const data = logLine(i);
    writer.append('stdout', data, iso(T0 + 400 + Math.floor(i / 1000)));
    bytes += data.length;
  }
  const marker = endMarker(lines);
  writer.append('stdout', marker);
  bytes += marker.length;
  await writer.close();
  if (writer.error) throw writer.error;
  job.attempts[0]!.logBytes = writer.bytes;
  store.putJob(job);
  await store.close();
  return { dataDir, jobId: job.id, lines, bytes, marker: marker.trim() };
}

export interface SeededHistory {
  dataDir: string;
  count: number;
  /** The oldest job: the last row of the history (newest first). */
  oldestId: string;
}

/** `count` finished jobs a minute apart, mostly completed, some failed or cancelled. */
export async function seedHistory(count: number): Promise<SeededHistory> {
  const dataDir = freshDataDir('history');
  const store = await JobStore.open({ dataDir });
  let oldestId = '';
  for (let i = 0; i < count; i++) {
    const seq = store.nextSeq();
    const status: JobStatus = i % 20 === 7 ? 'failed' : i % 50 === 13 ? 'cancelled' : 'completed';
    const job = finishedJob(seq, T0 + i * 60_000, status);
    store.putJob(job);
    if (i === 0) oldestId = job.id;
  }
  await store.close();
  return { dataDir, count, oldestId };
}
