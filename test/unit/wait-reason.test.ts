// Why a pending job waits: the pure rule (scheduler/waitReason.ts), table by table, on a fake
// clock, and the same rule through the scheduler itself (what queue.waits answers).
import { describe, expect, it } from 'vitest';
import { waitReason, type WaitView } from '../../src/main/core/scheduler/waitReason';
import type { Job } from '../../src/shared/job';
import { waitText, type WaitReason } from '../../src/shared/wait';
import { FakeClock, harness, spec, storedJob } from '../support/fakes';

const clock = new FakeClock();
const now = clock.now();
const at = (s: number) => new Date(now + s * 1000).toISOString();
const engines: WaitView['engines'] = [
  { id: 'docker', kind: 'docker', available: true, running: 0 },
  { id: 'podman', kind: 'podman', available: true, running: 0 },
];

const upstreamDone = storedJob({ id: 'up-done', templateName: 'up', status: 'completed' });
const upstreamRunning = storedJob({ id: 'up-running-1', templateName: 'up', status: 'running' });
const known = new Map([upstreamDone, upstreamRunning].map((j) => [j.id, j]));
const view = (over: Partial<WaitView> = {}): WaitView => ({
  now,
  paused: false,
  concurrency: 4,
  running: 0,
  engines,
  lookup: (id) => known.get(id),
  ...over,
});
const job = (over: Partial<Job> = {}, specOver: Parameters<typeof spec>[0] = {}) => storedJob({ spec: spec(specOver), ...over });

describe('waitReason: why a pending job waits', () => {
  const rows: [string, Job, WaitView, WaitReason][] = [
    ['nothing holds it', job(), view(), { kind: 'starting' }],
    ['made for a time to come', job({ scheduledFor: at(90) }), view(), { kind: 'scheduled', at: at(90) }],
    ['a scheduled time already passed does not hold it', job({ scheduledFor: at(-5) }), view(), { kind: 'starting' }],
    [
      'an upstream job not completed (a completed one does not count)',
      job({ dependsOn: ['up-done', 'up-running-1'] }),
      view({ paused: true }),
      { kind: 'upstream', jobs: [{ id: 'up-running-1', templateName: 'up', status: 'running' }] },
    ],
    ['upstream completed: the paused queue', job({ dependsOn: ['up-done'] }), view({ paused: true }), { kind: 'paused' }],
    ['a retry backing off', job({ notBefore: at(42) }), view(), { kind: 'backoff', until: at(42) }],
    ['a backoff that has run out', job({ notBefore: at(-1) }), view(), { kind: 'starting' }],
    [
      'no engine of its kind is available',
      job({}, { engine: 'podman' }),
      view({ engines: [engines[0]!, { ...engines[1]!, available: false }] }),
      { kind: 'engine', engine: 'podman' },
    ],
    ['no engine at all', job(), view({ engines: [] }), { kind: 'engine', engine: 'any engine' }],
    ['its one engine by id is missing', job({}, { engineId: 'remote-1' }), view(), { kind: 'engine', engine: 'engine remote-1' }],
    ['the global limit is reached', job(), view({ running: 4 }), { kind: 'concurrency', running: 4, limit: 4 }],
    [
      'every engine it may use is at its own limit',
      job({}, { engine: 'docker' }),
      view({ running: 1, engines: [{ ...engines[0]!, limit: 1, running: 1 }, engines[1]!] }),
      { kind: 'engineSlot', engines: ['docker'] },
    ],
    [
      'one engine full, another free',
      job(),
      view({ running: 1, engines: [{ ...engines[0]!, limit: 1, running: 1 }, engines[1]!] }),
      { kind: 'starting' },
    ],
  ];
  it.each(rows)('%s', (_what, j, v, expected) => {
    expect(waitReason(j, v)).toEqual(expected);
  });

  it('words each reason, the backoff as a countdown on the clock', () => {
    const backoff: WaitReason = { kind: 'backoff', until: at(42) };
    expect(waitText(backoff, now)).toBe('next retry in 42 s');
    expect(waitText(backoff, now + 41_500)).toBe('next retry in 1 s');
    expect(waitText(backoff, now + 60_000)).toBe('next retry in 0 s');
    expect(waitText({ kind: 'upstream', jobs: [{ id: 'abcdef123456', templateName: 'build', status: 'running' }] }, now)).toBe(
      'waiting for job build abcdef12 (running)',
    );
    expect(waitText({ kind: 'concurrency', running: 2, limit: 2 }, now)).toBe('waiting for a concurrency slot (2 of 2 running)');
    expect(waitText({ kind: 'engine', engine: 'engine remote-1' }, now)).toBe('waiting for engine remote-1');
    expect(waitText({ kind: 'paused' }, now)).toBe('queue paused');
  });
});

describe('Scheduler.waits: the rule over the live queue', () => {
  it('follows the queue as upstream jobs run and end, and a slot frees', async () => {
    const h = harness({ concurrency: 1 });
    const up = h.add({ name: 'up' });
    const after = h.add({ name: 'after' }, { dependsOn: [up.id] });
    const other = h.add({ name: 'other' });
    expect(h.scheduler.waits()).toEqual([
      { id: after.id, reason: { kind: 'upstream', jobs: [{ id: up.id, templateName: 'up', status: 'running' }] } },
      { id: other.id, reason: { kind: 'concurrency', running: 1, limit: 1 } },
    ]);
    await h.finish(up.id, { reason: 'Completed', exitCode: 0 });
    // `after` came first and took the slot: `other` waits for it now.
    expect(h.job(after.id).status).toBe('running');
    expect(h.scheduler.waits()).toEqual([{ id: other.id, reason: { kind: 'concurrency', running: 1, limit: 1 } }]);
  });

  it('runs a job on its one engine by id only', () => {
    const h = harness({ concurrency: 4 });
    h.engines[1]!.available = false;
    const j = h.add({ name: 'pinned', engineId: 'podman' });
    expect(h.liveRuns(j.id)).toHaveLength(0);
    expect(h.scheduler.waits()).toEqual([{ id: j.id, reason: { kind: 'engine', engine: 'engine podman' } }]);
    expect(h.job(j.id).waitingFor).toBe('engine podman');
    h.engines[1]!.available = true;
    h.scheduler.pump();
    expect(h.liveRuns(j.id).map((r) => r.req.jobId)).toEqual([j.id]);
    expect(h.podman.runs.map((r) => r.req.jobId)).toEqual([j.id]);
  });
});

describe('waitReason with a per-index backoff (backoffLimitPerIndex)', () => {
  const indexed = { completions: 2, completionMode: 'Indexed' as const, backoffLimitPerIndex: 1 };
  it('waits out the backoff when every index left is held, until the earliest', () => {
    const j = job({ succeededIndexes: [1], indexNotBefore: { '0': at(40) } }, indexed);
    expect(waitReason(j, view())).toEqual({ kind: 'backoff', until: at(40) });
  });
  it('starts when another index is free to run', () => {
    const j = job({ indexNotBefore: { '0': at(40) } }, indexed);
    expect(waitReason(j, view())).toEqual({ kind: 'starting' });
  });
});
