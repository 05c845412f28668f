import dagre from '@dagrejs/dagre';
import type { DependencyEdge } from '../../../shared/dependencyGraph';

export const NODE_WIDTH = 136;
export const NODE_HEIGHT = 54;

export type GraphNodeData<T> = { item: T; root: boolean; upstream: number; downstream: number };
// React Flow's Node and Edge, as far as a layout fills them (its types need the DOM; this file is
// also compiled for the unit tests, without it).
export interface LayoutNode<D> {
  id: string;
  type: string;
  position: { x: number; y: number };
  data: D;
  width: number;
  height: number;
}
export interface LayoutEdge {
  id: string;
  source: string;
  target: string;
}

/**
 * Positions for a dependency graph, top (upstream) to bottom (downstream), laid out by dagre:
 * what React Flow draws. Pure, so fan-in and fan-out can be checked without a browser. Positions
 * are React Flow's (top-left corner), dagre gives centres.
 */
export function graphLayout<T extends { id: string }>(
  items: readonly T[],
  links: readonly DependencyEdge[],
  rootId: string,
  nodeType: string,
): { nodes: LayoutNode<GraphNodeData<T>>[]; edges: LayoutEdge[] } {
  const g = new dagre.graphlib.Graph();
  // Top to bottom: the job page's side column is narrow and tall.
  g.setGraph({ rankdir: 'TB', nodesep: 14, ranksep: 44, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const it of items) g.setNode(it.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  const known = new Set(items.map((i) => i.id));
  const kept = links.filter((l) => known.has(l.from) && known.has(l.to));
  for (const l of kept) g.setEdge(l.from, l.to);
  dagre.layout(g);
  const nodes = items.map((item): LayoutNode<GraphNodeData<T>> => {
    const { x, y } = g.node(item.id);
    return {
      id: item.id,
      type: nodeType,
      position: { x: x - NODE_WIDTH / 2, y: y - NODE_HEIGHT / 2 },
      data: {
        item,
        root: item.id === rootId,
        upstream: kept.filter((l) => l.to === item.id).length,
        downstream: kept.filter((l) => l.from === item.id).length,
      },
      width: NODE_WIDTH,
      height: NODE_HEIGHT,
    };
  });
  const edges = kept.map((l) => ({ id: `${l.from}->${l.to}`, source: l.from, target: l.to }));
  return { nodes, edges };
}
