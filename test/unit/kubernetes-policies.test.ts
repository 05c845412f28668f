// The Kubernetes import of the Job policy fields (podFailurePolicy, successPolicy,
// backoffLimitPerIndex, maxFailedIndexes, ttlSecondsAfterFinished, suspend) and their export.
import { describe, expect, it } from 'vitest';
import { exportTemplate, importTemplateFile } from '../../src/main/core/templates/templateFiles';

/** A batch/v1 Job manifest with `jobSpec` fields beside a one-container pod. */
const manifest = (jobSpec: Record<string, unknown>, container: Record<string, unknown> = {}) =>
  JSON.stringify({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'kp-job' },
    spec: { ...jobSpec, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.36', command: ['sh', '-c', 'exit 42'], ...container }] } } },
  });
const read = (jobSpec: Record<string, unknown>, container?: Record<string, unknown>) => importTemplateFile({ name: 'job.json', content: manifest(jobSpec, container) });

describe('Kubernetes import: podFailurePolicy', () => {
  it('keeps the documentation\'s example (Ignore DisruptionTarget, FailJob on main 42) as a policy, without a warning', () => {
    const rules = [
      { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
      { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
    ];
    const r = read({ backoffLimit: 6, podFailurePolicy: { rules } });
    expect(r).toMatchObject({ ok: true, warnings: [] });
    expect(r.templates[0]).toMatchObject({ containerName: 'main', podFailurePolicy: { rules: [rules[0], { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] } });
  });

  it.each([
    ['FailJob In maps onto exit codes that never retry', [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }], { neverRetryExitCodes: [42, 125, 126, 127] }],
    ['FailJob NotIn maps onto exit codes that retry', [{ action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'NotIn', values: [1, 2] } }], { retryOnExitCodes: [1, 2] }],
    ['a Count after the FailJob rules is the default', [{ action: 'FailJob', onExitCodes: { operator: 'NotIn', values: [1, 2] } }, { action: 'FailJob', onExitCodes: { operator: 'In', values: [2] } }, { action: 'Count', onExitCodes: { operator: 'In', values: [1] } }], { retryOnExitCodes: [1] }],
  ])('%s', (_name, rules, retry) => {
    const r = read({ backoffLimit: 3, podFailurePolicy: { rules } });
    expect(r.ok).toBe(true);
    const t = r.templates[0]!;
    expect(t.podFailurePolicy).toBeUndefined();
    expect(t.retry).toMatchObject({ limit: 3, ...retry });
    expect(r.warnings).toEqual([expect.stringMatching(/^spec\.podFailurePolicy: applied as exit codes that (never )?retry \([\d, ]+\); a job it fails ends with reason Error/)]);
  });

  it.each([
    ['a Count before a FailJob (it shields those codes)', [{ action: 'Count', onExitCodes: { operator: 'In', values: [42] } }, { action: 'FailJob', onExitCodes: { operator: 'NotIn', values: [1] } }]],
    ['a rule on another container', [{ action: 'FailJob', onExitCodes: { containerName: 'other', operator: 'In', values: [42] } }]],
    ['an Ignore rule', [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [3] } }]],
  ])('stays a policy where it cannot map: %s', (_name, rules) => {
    const r = read({ podFailurePolicy: { rules } });
    expect(r.ok).toBe(true);
    expect(r.templates[0]!.podFailurePolicy?.rules).toHaveLength(rules.length);
    expect(r.warnings).toEqual([]);
  });

  it('refuses what a cluster refuses, naming the manifest field', () => {
    expect(read({ podFailurePolicy: { rules: [{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [3] } }] } }).errors).toContainEqual({ path: 'spec.podFailurePolicy.rules[0].action (as podFailurePolicy.rules[0].action)', message: 'Pod failure policy rule 0: action FailIndex needs a backoff limit per index (backoffLimitPerIndex)' });
    const bad = read({ podFailurePolicy: { rules: [{ action: 'Explode', onExitCodes: { operator: 'In', values: [3] } }] } });
    expect(bad.errors[0]).toMatchObject({ path: expect.stringMatching(/^spec\.podFailurePolicy\.rules\[0\]\.action/), message: 'Pod failure policy action must be FailJob, Ignore, Count or FailIndex' });
  });
});

describe('Kubernetes import: indexed policies, TTL, suspend, work queue', () => {
  it('maps successPolicy, backoffLimitPerIndex, maxFailedIndexes, ttlSecondsAfterFinished and suspend without warnings', () => {
    const r = read({
      completions: 4,
      parallelism: 4,
      completionMode: 'Indexed',
      successPolicy: { rules: [{ succeededIndexes: '0,2-3', succeededCount: 2 }] },
      backoffLimitPerIndex: 1,
      maxFailedIndexes: 2,
      ttlSecondsAfterFinished: 100,
      suspend: true,
    });
    expect(r).toMatchObject({ ok: true, warnings: [] });
    expect(r.templates[0]).toMatchObject({
      successPolicy: { rules: [{ succeededIndexes: '0,2-3', succeededCount: 2 }] },
      backoffLimitPerIndex: 1,
      maxFailedIndexes: 2,
      ttlSecondsAfterFinished: 100,
      suspend: true,
    });
  });

  it('parallelism without completions is a work queue: completions stays unset', () => {
    const t = read({ parallelism: 3 }).templates[0]!;
    expect(t.parallelism).toBe(3);
    expect(t.completions).toBeUndefined();
  });

  it.each([
    [{ successPolicy: { rules: [{ succeededCount: 1 }] } }, 'spec.successPolicy (as successPolicy)', 'Success policy (successPolicy) needs completion mode Indexed'],
    [{ completions: 2, backoffLimitPerIndex: 1 }, 'spec.backoffLimitPerIndex (as backoffLimitPerIndex)', 'Backoff limit per index (backoffLimitPerIndex) needs completion mode Indexed'],
    [{ completions: 2, completionMode: 'Indexed', maxFailedIndexes: 1 }, 'spec.maxFailedIndexes (as maxFailedIndexes)', 'Max failed indexes (maxFailedIndexes) needs a backoff limit per index (backoffLimitPerIndex)'],
    [{ completionMode: 'Indexed' }, 'spec.completions (as completions)', 'Completions must be set for completion mode Indexed (each index from 0 to completions - 1 runs once)'],
  ])('refuses %j', (jobSpec, path, message) => {
    expect(read(jobSpec).errors).toContainEqual({ path, message });
  });

  it('a bad succeededIndexes is named at its manifest field', () => {
    const r = read({ completions: 2, completionMode: 'Indexed', successPolicy: { rules: [{ succeededIndexes: '3,1' }] } });
    expect(r.errors[0]).toMatchObject({ path: expect.stringMatching(/^spec\.successPolicy\.rules\[0\]\.succeededIndexes/), message: expect.stringContaining('ascending indexes and ranges such as 0,2-3') });
  });

  it('export writes every policy field back, and reading it again gives the same template', () => {
    const t = read({
      completions: 3,
      parallelism: 2,
      completionMode: 'Indexed',
      backoffLimitPerIndex: 1,
      podFailurePolicy: { rules: [{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [7] } }] },
      successPolicy: { rules: [{ succeededCount: 2 }] },
      ttlSecondsAfterFinished: 30,
      suspend: true,
    }).templates[0]!;
    for (const format of ['yaml', 'json'] as const) {
      const out = exportTemplate(t, format);
      for (const field of ['podFailurePolicy', 'successPolicy', 'backoffLimitPerIndex', 'ttlSecondsAfterFinished', 'suspend', 'containerName']) expect(out.content).toContain(field);
      expect(importTemplateFile({ name: out.filename, content: out.content }).templates[0]).toEqual(t);
    }
  });
});
