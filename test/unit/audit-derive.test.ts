// The events one saved change means (audit/derive.ts), and which waits are news (WaitTracker):
// pure, with the time and the requester given, as the repository passes them.
import { describe, expect, it } from 'vitest';
import { WaitTracker } from '../../src/main/core/audit/audit';
import { deriveEvents } from '../../src/main/core/audit/derive';
import { auditInputs } from '../../src/main/core/service/jobFactory';
import { SECRET_MASK } from '../../src/shared/ipc';
import { Job } from '../../src/shared/job';
import { eventLine, eventText } from '../../src/shared/jobEvents';
import { TemplateSpec } from '../../src/shared/template';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const base = Job.parse({
  id: 'job-1',
  templateName: 'nightly',
  spec: TemplateSpec.parse({ name: 'nightly', image: 'busybox', command: 'true' }),
  status: 'pending',
  priority: 3,
  seq: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  requestedBy: { user: 'alice', client: 'app' },
});
const attempt = { number: 1, index: 0, engineId: 'docker', status: 'starting' as const, createdAt: '2026-01-01T00:00:01.000Z', logBytes: 0, logTruncated: false, artifacts: [] };
const bob = { user: 'bob', client: 'cli' as const };
const at = (s: number) => ({ now: T0 + s * 1000, user: 'core-user' });

describe('deriveEvents', () => {
  it('a new job is created by its requester; a missed scheduled run is created and ended at once', () => {
    expect(deriveEvents(undefined, base, at(0))).toEqual([
      { kind: 'created', at: base.createdAt, by: { user: 'alice', client: 'app' }, origin: 'manual', templateName: 'nightly' },
    ]);
    // base has no templateId: a file run as it is, never stored; one from a stored template says only its name.
    expect(eventText(deriveEvents(undefined, base, at(0))[0]!)).toBe('created (manual) from template nightly (not stored)');
    expect(eventText(deriveEvents(undefined, { ...base, templateId: 't-1' }, at(0))[0]!)).toBe('created (manual) from template nightly');
    const missed = { ...base, status: 'cancelled' as const, reason: 'Cancelled' as const, message: 'missed', finishedAt: base.createdAt };
    expect(deriveEvents(undefined, missed, at(0)).map((e) => e.kind)).toEqual(['created', 'ended']);
  });

  it('each step of an attempt is its event, at the attempt\'s own times', () => {
    const starting = { ...base, status: 'running' as const, attempts: [attempt] };
    expect(deriveEvents(base, starting, at(1))).toEqual([{ kind: 'starting', at: '2026-01-01T00:00:01.000Z', attempt: 1, index: 0, engineId: 'docker' }]);
    const running = { ...starting, attempts: [{ ...attempt, status: 'running' as const, containerId: 'abc123def4567890', startedAt: '2026-01-01T00:00:02.000Z' }] };
    const [started] = deriveEvents(starting, running, at(3));
    expect(started).toEqual({ kind: 'started', at: '2026-01-01T00:00:03.000Z', attempt: 1, engineId: 'docker', containerId: 'abc123def4567890', containerName: 'jobdeck-nightly-job1-1' });
    const failed = { ...running, status: 'failed' as const, reason: 'OOMKilled' as const, exitCode: 137, finishedAt: '2026-01-01T00:00:09.000Z', attempts: [{ ...running.attempts[0]!, status: 'failed' as const, exitCode: 137, reason: 'OOMKilled' as const, finishedAt: '2026-01-01T00:00:09.000Z' }] };
    const events = deriveEvents(running, failed, at(9));
    expect(events.map((e) => e.kind)).toEqual(['attemptEnded', 'ended']);
    expect(events[0]).toMatchObject({ exitCode: 137, meaning: 'killed for exceeding its memory limit (exit 137)', reason: 'OOMKilled' });
    expect(eventText(events[0]!)).toBe('attempt 1 ended (OOMKilled): killed for exceeding its memory limit (exit 137)');
    expect(eventText(events[1]!)).toBe('ended failed (OOMKilled): killed for exceeding its memory limit (exit 137)');
    const exit3 = { ...events[1]!, exitCode: 3, reason: 'Error' as const, meaning: 'failed with a non-zero exit code' };
    expect(eventText(exit3)).toBe('ended failed: exit 3 (failed with a non-zero exit code)');
    const cancelled = { ...events[1]!, status: 'cancelled' as const, exitCode: null, reason: 'Cancelled' as const, meaning: 'cancelled', message: 'cancelled while pending' };
    expect(eventText(cancelled)).toBe('ended cancelled — cancelled while pending');
  });

  it('back to pending is an automatic retry (the retry client) unless someone asked; a suspend is no retry', () => {
    const running = { ...base, status: 'running' as const, attempts: [attempt] };
    const requeued = { ...running, status: 'pending' as const, notBefore: '2026-01-01T00:00:20.000Z' };
    expect(deriveEvents(running, requeued, at(10))).toEqual([
      { kind: 'retried', at: '2026-01-01T00:00:10.000Z', by: { user: 'core-user', client: 'retry' }, automatic: true, notBefore: '2026-01-01T00:00:20.000Z' },
    ]);
    const failed = { ...running, status: 'failed' as const };
    const [manual] = deriveEvents(failed, { ...failed, status: 'pending' }, { ...at(11), by: bob });
    expect(manual).toEqual({ kind: 'retried', at: '2026-01-01T00:00:11.000Z', by: bob, automatic: false });
    expect(eventLine(manual!)).toBe('2026-01-01T00:00:11.000Z  retried  by bob (cli)');
    expect(deriveEvents({ ...running, suspended: true }, { ...running, suspended: true, status: 'pending' }, at(12))).toEqual([]);
  });

  it('requests without a status change: suspend, resume, priority, dependencies, pin, each by whom', () => {
    const changed = { ...base, suspended: true, priority: 1, dependsOn: ['up-1'], pinned: true };
    expect(deriveEvents(base, changed, { ...at(5), by: bob }).map((e) => [e.kind, 'by' in e ? e.by?.user : undefined])).toEqual([
      ['suspended', 'bob'],
      ['priorityChanged', 'bob'],
      ['dependenciesSet', 'bob'],
      ['pinned', 'bob'],
    ]);
    expect(deriveEvents(changed, { ...changed, suspended: false }, { ...at(6), by: bob })).toEqual([{ kind: 'resumed', at: '2026-01-01T00:00:06.000Z', by: bob }]);
    // A save that changes nothing the audit names (a log's size) is no event.
    expect(deriveEvents(base, { ...base }, at(7))).toEqual([]);
  });
});

describe('WaitTracker', () => {
  it('reports a wait when it changes, not when only its counts do, and again after the job ran', () => {
    const t = new WaitTracker();
    const conc = (running: number) => ({ id: 'j', reason: { kind: 'concurrency' as const, running, limit: 2 } });
    expect(t.changed([conc(2)])).toHaveLength(1);
    expect(t.changed([conc(3)])).toHaveLength(0);
    expect(t.changed([{ id: 'j', reason: { kind: 'paused' } }])).toHaveLength(1);
    expect(t.changed([{ id: 'j', reason: { kind: 'starting' } }])).toHaveLength(0);
    expect(t.changed([])).toHaveLength(0);
    expect(t.changed([{ id: 'j', reason: { kind: 'paused' } }])).toHaveLength(1);
  });
});

describe('auditInputs', () => {
  it('keeps the overrides as given with secret values masked, an override of a template secret included', () => {
    const spec = TemplateSpec.parse({ name: 'n', image: 'busybox', env: [{ name: 'TOKEN', value: 'sealed:v1:x', secret: true }] });
    const inputs = auditInputs({ spec, overrides: { env: [{ name: 'TOKEN', value: 'plain', secret: false }, { name: 'A', value: '1', secret: false }] }, dependsOn: ['up'] });
    expect(inputs).toEqual({
      overrides: { env: [{ name: 'TOKEN', value: SECRET_MASK, secret: true }, { name: 'A', value: '1', secret: false }] },
      dependsOn: ['up'],
    });
    expect(auditInputs({ spec, overrides: {}, dependsOn: [] })).toBeUndefined();
  });
});
