import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { useEffect, useMemo, useState } from 'react';
import type { TemplateChain as Chain } from '../../../shared/dependencyGraph';
import { client } from '../client/client';
import { graphLayout, NODE_HEIGHT, type GraphNodeData } from './dependencyLayout';
import './dependencies.css';
import { StaticFlow } from './StaticFlow';

type TemplateNodeType = Node<GraphNodeData<{ id: string; name: string }>, 'template'>;

function TemplateNode({ data }: NodeProps<TemplateNodeType>) {
  return (
    <>
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <div className={`dep-node${data.root ? ' root' : ''}`} data-testid="chain-node" title={data.item.name}>
        <span className="dep-node-name">{data.item.name}</span>
        {data.root && <span className="muted small">this template</span>}
      </div>
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </>
  );
}

const nodeTypes = { template: TemplateNode };

/**
 * The chain a template belongs to. Templates do not name each other: the links are the jobs'
 * (a job of one ran after a job of the other, templates.chain), and the editor says so.
 */
export function TemplateChain({ templateId }: { templateId: string }) {
  const [chain, setChain] = useState<Chain>();
  useEffect(() => {
    let current = true;
    client.invoke('templates.chain', { id: templateId }).then((c) => current && setChain(c), () => undefined);
    return () => {
      current = false;
    };
  }, [templateId]);
  const flow = useMemo(() => (chain ? graphLayout(chain.nodes, chain.edges, chain.rootId, 'template') : undefined), [chain]);
  if (!flow) return null;
  const height = Math.min(360, Math.max(...flow.nodes.map((n) => n.position.y)) + NODE_HEIGHT + 24);
  return (
    <section className="field" data-testid="template-chain" aria-label="Template chain">
      <span>Chain</span>
      {flow.nodes.length > 1 ? (
        <>
          <p className="muted small">Linked because jobs of one ran after jobs of another (chosen in the run dialog).</p>
          <div className="dep-graph" style={{ height }} role="group" aria-label={`Template chain of ${flow.nodes.length} templates`}>
            <StaticFlow
              nodes={flow.nodes as TemplateNodeType[]}
              edges={flow.edges}
              nodeTypes={nodeTypes}
            />
          </div>
        </>
      ) : (
        <p className="muted small">Not in a chain: no job of it has run after, or before, a job of another template.</p>
      )}
    </section>
  );
}
