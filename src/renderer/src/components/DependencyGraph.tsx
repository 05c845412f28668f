import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { useEffect, useMemo, useState } from 'react';
import type { JobGraph } from '../../../shared/dependencyGraph';
import type { Job } from '../../../shared/job';
import type { JobSummary } from '../../../shared/query';
import { client } from '../client/client';
import { reportError, useApp } from '../store/app';
import { DependencyPicker, type Upstream } from './DependencyPicker';
import { graphLayout, type GraphNodeData } from './dependencyLayout';
import { ExitBadge } from './ExitBadge';
import './dependencies.css';
import { StaticFlow } from './StaticFlow';

type JobNodeType = Node<GraphNodeData<JobSummary>, 'job'>;

/** One job of the graph: its name, its badge, and a button that goes to its page. */
function JobNode({ data }: NodeProps<JobNodeType>) {
  const j = data.item;
  const how = j.status === 'pending' || j.status === 'running' ? j.status : `${j.status}${j.exitCode !== undefined && j.exitCode !== null ? `, exit ${j.exitCode}` : ''}`;
  return (
    <>
      <Handle type="target" position={Position.Top} isConnectable={false} />
      <button
        type="button"
        className={`dep-node nodrag nopan${data.root ? ' root' : ''}`}
        data-status={j.status}
        data-testid="graph-node"
        data-job-id={j.id}
        aria-current={data.root ? 'page' : undefined}
        title={`${j.templateName} ${j.id}`}
      >
        <span className="dep-node-name">{j.templateName}</span>
        <span>
          <ExitBadge status={j.status} exitCode={j.exitCode} reason={j.reason} /> <span className="mono muted small">{j.id.slice(0, 8)}</span>
        </span>
        <span className="sr-only">
          , job {how}
          {data.root ? ', this job' : ''}
        </span>
      </button>
      <Handle type="source" position={Position.Bottom} isConnectable={false} />
    </>
  );
}

const nodeTypes = { job: JobNode };

/** A pending job's "Run after…": the picker, and the core's refusal (a cycle, named) beside it. */
function RunAfter({ job, onSaved }: { job: Job; onSaved(): void }) {
  const [open, setOpen] = useState(false);
  const [picked, setPicked] = useState<Upstream[]>([]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  if (!open) {
    return (
      <button type="button" className="small" onClick={() => setOpen(true)} data-testid="run-after-open">
        Run after…
      </button>
    );
  }
  const save = async () => {
    setBusy(true);
    setError(undefined);
    const made: string[] = [];
    try {
      for (const u of picked) if (u.kind === 'template') made.push((await client.invoke('jobs.create', { templateId: u.id })).id);
      const ids = [...job.dependsOn, ...picked.filter((u) => u.kind === 'job').map((u) => u.id), ...made];
      const saved = await client.invoke('jobs.setDependencies', { id: job.id, dependsOn: ids });
      useApp.setState((s) => ({ details: { ...s.details, [saved.id]: saved } }));
      setOpen(false);
      setPicked([]);
      onSaved();
    } catch (e) {
      // Refused (a cycle): the template runs queued for it would wait for nobody.
      await Promise.all(made.map((id) => client.invoke('jobs.cancel', { id }).catch(() => undefined)));
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="run-after" data-testid="run-after">
      <DependencyPicker value={picked} onChange={setPicked} exclude={[job.id, ...job.dependsOn]} />
      {error && (
        <p className="field-error" role="alert" data-testid="run-after-error">
          {error}
        </p>
      )}
      <div className="row">
        <button type="button" className="small" onClick={() => (setOpen(false), setPicked([]), setError(undefined))}>
          Cancel
        </button>
        <button type="button" className="small primary" disabled={busy || picked.length === 0} onClick={() => void save()} data-testid="run-after-save">
          Add
        </button>
      </div>
    </div>
  );
}

/**
 * The job's upstream and downstream jobs (the core's jobs.graph) as a graph: React Flow draws,
 * dagre lays out, each node its status colour and exit badge, a click goes to that job.
 */
export function DependencyGraph({ job }: { job: Job }) {
  const version = useApp((s) => s.historyVersion);
  const [graph, setGraph] = useState<JobGraph>();
  const [asked, setAsked] = useState(0);
  useEffect(() => {
    let current = true;
    // Any job's change may be one of these: ask again, once per burst.
    const timer = setTimeout(() => {
      client
        .invoke('jobs.graph', { id: job.id })
        .then((g) => current && setGraph(g))
        .catch(reportError);
    }, 120);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [job.id, version, asked]);
  const flow = useMemo(() => (graph && graph.rootId === job.id ? graphLayout(graph.nodes, graph.edges, graph.rootId, 'job') : undefined), [graph, job.id]);
  const up = graph?.edges.filter((e) => e.to === job.id).length ?? 0;
  const down = graph?.edges.filter((e) => e.from === job.id).length ?? 0;
  const height = flow ? Math.min(420, Math.max(...flow.nodes.map((n) => n.position.y)) + 54 + 24) : 0;

  const editable = job.status === 'pending' && job.attempts.length === 0;
  // A job with no dependencies and none to add gets no panel: the side column stays as it was.
  if (!editable && !(flow && flow.nodes.length > 1)) return null;
  return (
    <div className="panel" data-testid="dependency-graph">
      <h3>Dependencies</h3>
      {flow && flow.nodes.length > 1 ? (
        <>
          <p className="muted small" data-testid="graph-summary">
            Runs after {up} job{up === 1 ? '' : 's'}; {down} job{down === 1 ? ' runs' : 's run'} after it
            {graph?.truncated ? ' (the nearest shown)' : ''}.
          </p>
          <div className="dep-graph" style={{ height }} role="group" aria-label={`Dependency graph of ${flow.nodes.length} jobs`}>
            <StaticFlow
              nodes={flow.nodes as JobNodeType[]}
              edges={flow.edges}
              nodeTypes={nodeTypes}
              // A click on a node (or Enter on its button, which clicks it) goes to that job.
              onNodeClick={(_e, n) => n.id !== job.id && useApp.getState().go('job', n.id)}
            />
          </div>
        </>
      ) : (
        <p className="muted small">No job runs before or after this one.</p>
      )}
      {editable && <RunAfter job={job} onSaved={() => setAsked((n) => n + 1)} />}
    </div>
  );
}
