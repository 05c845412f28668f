// The "–" duration of completed rows: Docker stamps a container's StartedAt after its process has
// begun, so a process that ends within a millisecond or so gets a FinishedAt before its StartedAt
// (seen on docker.io here: 17:12:24.512198 started, 17:12:24.511491 finished). Such an attempt ran,
// and for next to no time: its duration is 0 ms, not unknown.
import { describe, expect, it } from 'vitest';
import { attemptDurationMs, attemptSpan, jobDurationMs } from '../../src/shared/jobNumbers';
import type { Attempt } from '../../src/shared/job';
import { ranMs } from '../../src/shared/jobNumbers';
import { summarize } from '../../src/shared/query';
import { storedJob } from '../support/fakes';

const attempt = (over: Partial<Attempt>): Attempt => ({
  number: 1,
  index: 0,
  engineId: 'docker',
  status: 'succeeded',
  createdAt: '2026-12-01T17:12:24.400Z',
  startedAt: '2026-12-01T17:12:24.512Z',
  finishedAt: '2026-12-01T17:12:24.511Z',
  logBytes: 3,
  logTruncated: false,
  artifacts: [],
  ...over,
});

describe('an attempt whose engine stamped its end before its start', () => {
  it('lasted 0 ms: the attempt, the job and the list row all say so', () => {
    const a = attempt({});
    expect(attemptSpan(a)).toEqual({ from: a.finishedAt, to: a.finishedAt });
    expect(attemptDurationMs(a)).toBe(0);
    const job = storedJob({ status: 'completed', startedAt: a.createdAt, finishedAt: '2026-12-01T17:12:24.600Z', attempts: [a] });
    expect(jobDurationMs(job)).toBe(0);
    expect(ranMs(summarize(job).ran)).toBe(0);
  });

  it('a retry after it: the run spans from the first end to the second end', () => {
    const first = attempt({ status: 'failed' });
    const second = attempt({ number: 2, createdAt: '2026-12-01T17:12:25.000Z', startedAt: '2026-12-01T17:12:25.100Z', finishedAt: '2026-12-01T17:12:25.300Z' });
    const job = storedJob({ status: 'completed', startedAt: first.createdAt, attempts: [first, second] });
    expect(jobDurationMs(job)).toBe(Date.parse(second.finishedAt!) - Date.parse(first.finishedAt!));
  });

  it('an end far before the start is no such quirk: still unknown', () => {
    const a = attempt({ finishedAt: '2026-12-01T17:00:00.000Z' });
    expect(attemptDurationMs(a)).toBeNull();
  });
});
