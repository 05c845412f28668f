// A React Flow drawing to look at, not to edit: the job graph and the template chain share it.
import { MarkerType, ReactFlow, type Edge, type Node, type NodeMouseHandler, type NodeTypes } from '@xyflow/react';
import '@xyflow/react/dist/style.css';

const edgeOptions = { markerEnd: { type: MarkerType.ArrowClosed }, style: { strokeWidth: 1.5 } };

interface Props<N extends Node> {
  nodes: N[];
  edges: Edge[];
  nodeTypes: NodeTypes;
  /** With a handler React Flow also lets the pointer reach the nodes. */
  onNodeClick?: NodeMouseHandler<N>;
}

/** Laid out already (dagre): no dragging, connecting, selecting or zooming on scroll. */
export function StaticFlow<N extends Node>({ nodes, edges, nodeTypes, onNodeClick }: Props<N>) {
  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      defaultEdgeOptions={edgeOptions}
      colorMode="dark"
      fitView
      fitViewOptions={{ padding: 0.08, maxZoom: 1 }}
      nodesDraggable={false}
      nodesConnectable={false}
      nodesFocusable={false}
      edgesFocusable={false}
      elementsSelectable={false}
      zoomOnScroll={false}
      preventScrolling={false}
      proOptions={{ hideAttribution: true }}
      {...(onNodeClick ? { onNodeClick } : {})}
    />
  );
}
