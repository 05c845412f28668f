import { describe, expect, it } from 'vitest';
import type { AttemptOutcome, AttemptSink, RunningAttempt } from '../../src/main/core/engines/types';
import { Scheduler, type AttemptLog } from '../../src/main/core/scheduler/scheduler';
import type { LogChunk, LogStream } from '../../src/shared/ipc';
import { SECRET_MASK } from '../../src/shared/ipc';
import type { Job } from '../../src/shared/job';
import { Settings } from '../../src/shared/settings';
import { FakeClock, storedJob, spec } from '../support/fakes';

// The scheduler's output path masks the job's secrets for a container it started and for one it
// follows again after a restart (adopt); what the masker held back goes out when the attempt ends.
const SECRET = 'p4ss-w0rd-xyz';

function setup() {
  const clock = new FakeClock();
  const settings = Settings.parse({ concurrency: 1, queuePaused: true });
  const jobs = new Map<string, Job>();
  const written: string[] = [];
  const announced: LogChunk[] = [];
  const log = (): AttemptLog => ({
    bytes: 0,
    truncated: false,
    append(stream: LogStream, data: string, t?: string) {
      written.push(data);
      return { attempt: 1, stream, data, t: t ?? '', from: 0, to: 0 };
    },
    close: async () => undefined,
  });
  const scheduler = new Scheduler({
    clock,
    repo: {
      getJob: (id) => jobs.get(id),
      activeJobs: () => [...jobs.values()].filter((j) => j.status === 'running' || j.status === 'pending'),
      save: (j) => jobs.set(j.id, j),
      touch: (j) => jobs.set(j.id, j),
    },
    settings: () => settings,
    engines: () => [],
    prepare: () => ({ env: [], labels: {} }),
    openLog: log,
    secrets: (j) => j.spec.env.filter((e) => e.secret).map((e) => e.value),
    onLog: (_id, c) => announced.push(c),
    onEngineLost: () => undefined,
    onQueueState: () => undefined,
  });
  return { clock, jobs, written, announced, scheduler };
}

describe('scheduler: secrets masked on the output path', () => {
  it('masks in a followed-again container, split across chunks, and flushes the held tail at its end', async () => {
    const { jobs, written, announced, scheduler } = setup();
    const job = storedJob({
      status: 'running',
      spec: spec({ env: [{ name: 'T', value: SECRET, secret: true }] }),
      attempts: [{ number: 1, index: 0, engineId: 'docker', status: 'running', createdAt: '', logBytes: 0, logTruncated: false, artifacts: [] }],
    });
    jobs.set(job.id, job);
    let sink!: AttemptSink;
    let finish!: (o: AttemptOutcome) => void;
    scheduler.adopt(job.id, 1, 'docker', (s): RunningAttempt => {
      sink = s;
      return { done: new Promise((r) => (finish = r)), stop: () => undefined, detach: () => undefined };
    });
    const t = '2026-01-01T00:00:00.000000000Z';
    sink.log('stdout', `a=${SECRET.slice(0, 5)}`, t);
    sink.log('stdout', `${SECRET.slice(5)}\nb=p4s`, t);
    finish({ exitCode: 0, reason: 'Completed', finishedAt: '2026-01-01T00:00:01.000Z' });
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(written.join('')).toBe(`a=${SECRET_MASK}\nb=p4s`);
    expect(announced.map((c) => c.data).join('')).toBe(`a=${SECRET_MASK}\nb=p4s`);
    expect(written.join('')).not.toContain(SECRET);
    expect(jobs.get(job.id)?.status).toBe('completed');
  });
});
