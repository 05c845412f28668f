// The rules between the Kubernetes Job policy fields (jobPolicyProblems) hold in one place: a
// template saved, a job created with an inline spec and a manifest imported are refused alike.
import { describe, expect, it } from 'vitest';
import { commands } from '../../src/shared/ipc';
import { jobPolicyProblems } from '../../src/shared/jobPolicies';
import { importTemplateFile } from '../../src/main/core/templates/templateFiles';

const base = { name: 'jp-rules', image: 'busybox:1.36' };
const issues = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (r.error?.issues ?? []).map((i) => ({ path: i.path.join('.'), message: i.message }));

const cases: [string, Record<string, unknown>, string, RegExp][] = [
  ['successPolicy without Indexed', { completions: 2, successPolicy: { rules: [{ succeededCount: 1 }] } }, 'successPolicy', /Success policy \(successPolicy\) needs completion mode Indexed/],
  ['backoffLimitPerIndex without Indexed', { completions: 2, backoffLimitPerIndex: 1 }, 'backoffLimitPerIndex', /needs completion mode Indexed/],
  ['FailIndex without backoffLimitPerIndex', { completions: 2, completionMode: 'Indexed', podFailurePolicy: { rules: [{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [3] } }] } }, 'podFailurePolicy.rules.0.action', /rule 0: action FailIndex needs a backoff limit per index/],
  ['maxFailedIndexes above completions', { completions: 2, completionMode: 'Indexed', backoffLimitPerIndex: 0, maxFailedIndexes: 3 }, 'maxFailedIndexes', /must be at most completions \(2\)/],
  ['maxFailedIndexes without backoffLimitPerIndex', { completions: 2, completionMode: 'Indexed', maxFailedIndexes: 1 }, 'maxFailedIndexes', /needs a backoff limit per index/],
  ['Indexed without completions', { parallelism: 2, completionMode: 'Indexed' }, 'completions', /Completions must be set for completion mode Indexed/],
  ['succeededIndexes past completions', { completions: 3, completionMode: 'Indexed', successPolicy: { rules: [{ succeededIndexes: '0,3' }] } }, 'successPolicy.rules.0.succeededIndexes', /names index 3, but indexes run from 0 to 2/],
  ['succeededCount more than the indexes named', { completions: 5, completionMode: 'Indexed', successPolicy: { rules: [{ succeededIndexes: '0-1', succeededCount: 3 }] } }, 'successPolicy.rules.0.succeededCount', /succeededCount 3 can never be met \(at most 2 of the indexes it names\)/],
];

describe('rules between the Job policy fields', () => {
  it.each(cases)('%s: refused by templates.save', (_name, fields, path, message) => {
    const found = issues(commands['templates.save'].input.safeParse({ spec: { ...base, ...fields } }));
    expect(found).toContainEqual({ path: `spec.${path}`, message: expect.stringMatching(message) });
  });

  it.each(cases)('%s: refused by jobs.create with an inline spec', (_name, fields, path, message) => {
    const found = issues(commands['jobs.create'].input.safeParse({ spec: { ...base, ...fields } }));
    expect(found).toContainEqual({ path: `spec.${path}`, message: expect.stringMatching(message) });
  });

  it.each(cases)('%s: refused at the Kubernetes import, at the manifest field', (_name, fields, _path, message) => {
    const content = JSON.stringify({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'jp-rules' },
      spec: { ...fields, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.36' }] } } },
    });
    const r = importTemplateFile({ name: 'job.yaml', content });
    expect(r.ok).toBe(false);
    expect(r.errors.map((e) => e.message)).toContainEqual(expect.stringMatching(message));
    expect(r.errors.every((e) => e.path.startsWith('spec.'))).toBe(true);
  });

  it('a sound Indexed job with every policy has no problem', () => {
    expect(
      jobPolicyProblems({
        parallelism: 2,
        completions: 4,
        completionMode: 'Indexed',
        backoffLimitPerIndex: 1,
        maxFailedIndexes: 4,
        successPolicy: { rules: [{ succeededIndexes: '0-3', succeededCount: 2 }] },
        podFailurePolicy: { rules: [{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [3] } }] },
      }),
    ).toEqual([]);
  });
});
