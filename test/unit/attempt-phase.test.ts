// While an attempt's init containers run, the queue and the job page say which ("Init: migrate
// running"), not only "starting".
import { describe, expect, it } from 'vitest';
import { attemptPhase, type AttemptStep } from '../../src/shared/pod';
import { summarize } from '../../src/shared/query';
import { Job } from '../../src/shared/job';

const step = (name: string, kind: AttemptStep['kind'], status: AttemptStep['status']): AttemptStep => ({ name, kind, status });

describe('attemptPhase', () => {
  it.each([
    ['the running init container', [step('migrate', 'init', 'running'), step('seed', 'init', 'waiting')], 'Init: migrate running'],
    ['the next step once one ended', [step('migrate', 'init', 'succeeded'), step('logger', 'sidecar', 'waiting')], 'Sidecar: logger starting'],
    ['a running sidecar is beside, not before: the main container is next', [step('migrate', 'init', 'succeeded'), step('logger', 'sidecar', 'running')], 'Main container starting'],
  ])('names %s', (_name, steps, text) => {
    expect(attemptPhase({ status: 'starting', steps })).toBe(text);
  });

  it('says nothing once the main container runs, or without steps', () => {
    expect(attemptPhase({ status: 'running', steps: [step('migrate', 'init', 'succeeded')] })).toBeUndefined();
    expect(attemptPhase({ status: 'starting' })).toBeUndefined();
  });

  it('the queue row of a running job carries it', () => {
    const job = Job.parse({
      id: 'j1',
      templateName: 'with-init',
      spec: { name: 'with-init', image: 'busybox' },
      status: 'running',
      priority: 3,
      seq: 1,
      createdAt: '2026-01-01T00:00:00.000Z',
      attempts: [{ number: 1, index: 0, engineId: 'docker', status: 'starting', createdAt: '2026-01-01T00:00:01.000Z', logBytes: 0, logTruncated: false, steps: [step('migrate', 'init', 'running')] }],
    });
    expect(summarize(job).phase).toBe('Init: migrate running');
  });
});
