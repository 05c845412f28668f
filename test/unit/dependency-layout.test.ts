// The graph's layout data (renderer/components/dependencyLayout.ts): jobs in, React Flow nodes and
// edges out, upstream above downstream, a fan-in's parents side by side in one row.
import { describe, expect, it } from 'vitest';
import { graphLayout, NODE_HEIGHT, NODE_WIDTH } from '../../src/renderer/src/components/dependencyLayout';

const items = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id }));
// a, b → c → d, e
const links = [
  { from: 'a', to: 'c' },
  { from: 'b', to: 'c' },
  { from: 'c', to: 'd' },
  { from: 'c', to: 'e' },
];

describe('graphLayout', () => {
  const { nodes, edges } = graphLayout(items, links, 'c', 'job');
  const at = (id: string) => nodes.find((n) => n.id === id)!.position;

  it('gives every job a node and every link an edge, the root marked, fan-in and fan-out counted', () => {
    expect(nodes.map((n) => n.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(edges.map((e) => `${e.source}->${e.target}`)).toEqual(['a->c', 'b->c', 'c->d', 'c->e']);
    const c = nodes.find((n) => n.id === 'c')!;
    expect(c).toMatchObject({ type: 'job', data: { root: true, upstream: 2, downstream: 2 } });
    expect(nodes.filter((n) => n.data.root)).toHaveLength(1);
  });

  it('draws upstream above, a fan-in\'s parents side by side in one row, a fan-out\'s children likewise', () => {
    expect(at('a').y).toBe(at('b').y);
    expect(at('a').y).toBeLessThan(at('c').y);
    expect(at('c').y).toBeLessThan(at('d').y);
    expect(at('d').y).toBe(at('e').y);
    expect(Math.abs(at('a').x - at('b').x)).toBeGreaterThanOrEqual(NODE_WIDTH);
    expect(Math.abs(at('d').x - at('e').x)).toBeGreaterThanOrEqual(NODE_WIDTH);
    // Rows do not overlap.
    expect(at('c').y - at('a').y).toBeGreaterThanOrEqual(NODE_HEIGHT);
  });

  it('drops a link to a job the graph does not hold', () => {
    const out = graphLayout([{ id: 'x' }], [{ from: 'ghost', to: 'x' }], 'x', 'job');
    expect(out.edges).toEqual([]);
    expect(out.nodes[0]!.data).toMatchObject({ upstream: 0, downstream: 0, root: true });
  });
});
