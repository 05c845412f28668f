// The dependency rules of the core (service/dependencies.ts): cycles found and named, the job
// graph (fan-in, fan-out, transitive, cut at a size), the template chain derived from jobs.
import { describe, expect, it } from 'vitest';
import { assertNoCycle, downstreamIndex, findCycle, jobGraph, templateChain } from '../../src/main/core/service/dependencies';
import type { Job } from '../../src/shared/job';
import { storedJob } from '../support/fakes';

const world = (...jobs: Job[]) => {
  const m = new Map(jobs.map((j) => [j.id, j]));
  return { lookup: (id: string) => m.get(id), jobs };
};
const j = (id: string, dependsOn: string[] = [], over: Partial<Job> = {}) => storedJob({ id, templateName: `t-${id}`, dependsOn, ...over });

describe('findCycle', () => {
  const { lookup } = world(j('a'), j('b', ['a']), j('c', ['b']), j('d'));
  it.each([
    ['no dependency', 'a', [], undefined],
    ['a fresh upstream', 'd', ['c'], undefined],
    ['itself', 'a', ['a'], ['a', 'a']],
    ['two jobs: a after b after a', 'a', ['b'], ['a', 'b', 'a']],
    ['three jobs, through the chain', 'a', ['d', 'c'], ['a', 'c', 'b', 'a']],
    ['an unknown upstream is no cycle (existence is checked elsewhere)', 'a', ['ghost'], undefined],
  ] as const)('%s', (_w, id, deps, expected) => {
    expect(findCycle(id, deps, lookup)).toEqual(expected);
  });

  it('names the cycle in the refusal, job by job, as the Queue names jobs', () => {
    const { lookup: l } = world(j('aaaaaaaa-1', [], { templateName: 'build' }), j('bbbbbbbb-2', ['aaaaaaaa-1'], { templateName: 'test' }));
    expect(() => assertNoCycle('aaaaaaaa-1', ['bbbbbbbb-2'], l)).toThrow('a job cannot run after itself: job build aaaaaaaa → job test bbbbbbbb → job build aaaaaaaa');
    expect(() => assertNoCycle('bbbbbbbb-2', ['aaaaaaaa-1'], l)).not.toThrow();
  });
});

describe('jobGraph', () => {
  // a and b fan in to c; c fans out to d and e; e runs after f too; x is unrelated.
  const { lookup, jobs } = world(j('a'), j('b'), j('c', ['a', 'b']), j('d', ['c']), j('e', ['c', 'f']), j('f'), j('x'));
  const down = downstreamIndex(jobs);
  const ids = (g: ReturnType<typeof jobGraph>) => g.nodes.map((n) => n.id).sort();

  it('draws fan-in and fan-out around the job, upstream and downstream transitively', () => {
    const g = jobGraph('c', lookup, down);
    expect(ids(g)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(g.edges).toEqual(expect.arrayContaining([{ from: 'a', to: 'c' }, { from: 'b', to: 'c' }, { from: 'c', to: 'd' }, { from: 'c', to: 'e' }]));
    // f is upstream of e, a sibling's parent, not of c: left out, and so is its edge.
    expect(g.edges).toHaveLength(4);
    expect(g.truncated).toBe(false);
  });

  it('from a leaf, the whole upstream; from a root, the whole downstream', () => {
    expect(ids(jobGraph('e', lookup, down))).toEqual(['a', 'b', 'c', 'e', 'f']);
    expect(ids(jobGraph('a', lookup, down))).toEqual(['a', 'c', 'd', 'e']);
    expect(ids(jobGraph('x', lookup, down))).toEqual(['x']);
  });

  it('keeps the nearest jobs when cut, and says it was cut', () => {
    const g = jobGraph('c', lookup, down, 3);
    expect(ids(g)).toEqual(['a', 'b', 'c']);
    expect(g.truncated).toBe(true);
  });
});

describe('templateChain', () => {
  it('links templates whose jobs ran after each other, the whole chain, nothing else', () => {
    const { lookup, jobs } = world(
      j('1', [], { templateId: 'fetch' }),
      j('2', ['1'], { templateId: 'build' }),
      j('3', ['2'], { templateId: 'deploy' }),
      j('4', [], { templateId: 'alone' }),
      j('5', ['1'], { templateId: 'fetch' }),
    );
    const names: Record<string, string> = { fetch: 'Fetch', build: 'Build', deploy: 'Deploy', alone: 'Alone' };
    const chain = templateChain('build', jobs, lookup, (id) => names[id]);
    expect(chain.nodes.map((n) => n.name).sort()).toEqual(['Build', 'Deploy', 'Fetch']);
    expect(chain.edges).toEqual([{ from: 'fetch', to: 'build' }, { from: 'build', to: 'deploy' }]);
    expect(templateChain('alone', jobs, lookup, (id) => names[id])).toEqual({ rootId: 'alone', nodes: [{ id: 'alone', name: 'Alone' }], edges: [] });
  });
});
