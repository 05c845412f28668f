import { GRAPH_MAX_NODES, type DependencyEdge, type JobGraph, type TemplateChain } from '../../../shared/dependencyGraph';
import { AppError } from '../../../shared/errors';
import type { Job } from '../../../shared/job';
import { summarize } from '../../../shared/query';
import { jobLabel } from '../../../shared/wait';

type Lookup = (id: string) => Job | undefined;

/**
 * The cycle that giving `jobId` the upstream jobs `dependsOn` would close, as a path of ids from
 * `jobId` back to itself ([a, b, a]: a runs after b, which runs after a); undefined when none.
 */
export function findCycle(jobId: string, dependsOn: readonly string[], lookup: Lookup): string[] | undefined {
  const seen = new Set<string>();
  // Depth first along dependsOn: a path that reaches jobId again is the cycle.
  const walk = (id: string, path: string[]): string[] | undefined => {
    if (id === jobId) return [...path, id];
    if (seen.has(id)) return undefined;
    seen.add(id);
    for (const up of lookup(id)?.dependsOn ?? []) {
      const found = walk(up, [...path, id]);
      if (found) return found;
    }
    return undefined;
  };
  for (const dep of dependsOn) {
    const found = walk(dep, [jobId]);
    if (found) return found;
  }
  return undefined;
}

/** Refuse a dependency that closes a cycle, naming it: "job a 1 → job b 2 → job a 1". */
export function assertNoCycle(jobId: string, dependsOn: readonly string[], lookup: Lookup, self?: Job): void {
  const cycle = findCycle(jobId, dependsOn, lookup);
  if (!cycle) return;
  const name = (id: string) => {
    const j = id === jobId && self ? self : lookup(id);
    return `job ${j ? jobLabel(j) : id}`;
  };
  throw new AppError('CONFLICT', `a job cannot run after itself: ${cycle.map(name).join(' → ')}`, [
    { path: 'dependsOn', message: `dependency cycle: ${cycle.map(name).join(' → ')}` },
  ]);
}

/** Every job's downstream jobs, from a scan of the jobs given (stored jobs only name their upstream). */
export function downstreamIndex(jobs: Iterable<Job>): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const j of jobs) for (const up of j.dependsOn) index.set(up, [...(index.get(up) ?? []), j.id]);
  return index;
}

/**
 * The job with all its upstream and downstream jobs, transitively (not the siblings of those),
 * breadth first from the job so that the nearest ones are kept when the graph is cut at `max`.
 */
export function jobGraph(rootId: string, lookup: Lookup, downstream: Map<string, string[]>, max = GRAPH_MAX_NODES): JobGraph {
  const root = lookup(rootId);
  if (!root) throw new AppError('NOT_FOUND', `no job ${rootId}`);
  const nodes = new Map<string, Job>([[rootId, root]]);
  let truncated = false;
  const walk = (next: (j: Job) => string[]) => {
    let frontier = [root];
    while (frontier.length > 0) {
      const after: Job[] = [];
      for (const j of frontier) {
        for (const id of next(j)) {
          if (nodes.has(id)) continue;
          const found = lookup(id);
          if (!found) continue;
          if (nodes.size >= max) {
            truncated = true;
            return;
          }
          nodes.set(id, found);
          after.push(found);
        }
      }
      frontier = after;
    }
  };
  walk((j) => j.dependsOn);
  walk((j) => downstream.get(j.id) ?? []);
  const edges: DependencyEdge[] = [];
  for (const j of nodes.values()) for (const up of j.dependsOn) if (nodes.has(up)) edges.push({ from: up, to: j.id });
  return { rootId, nodes: [...nodes.values()].map(summarize), edges, truncated };
}

/**
 * The templates linked to `templateId` because a job of one ran after a job of another (templates
 * do not name each other; the jobs made from them do), the whole connected chain.
 */
export function templateChain(templateId: string, jobs: Iterable<Job>, lookup: Lookup, nameOf: (id: string) => string | undefined): TemplateChain {
  const links = new Map<string, DependencyEdge>();
  for (const j of jobs) {
    if (!j.templateId) continue;
    for (const up of j.dependsOn) {
      const u = lookup(up);
      if (u?.templateId && u.templateId !== j.templateId) links.set(`${u.templateId}>${j.templateId}`, { from: u.templateId, to: j.templateId });
    }
  }
  const ids = new Set([templateId]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const e of links.values()) {
      if (ids.has(e.from) !== ids.has(e.to)) {
        ids.add(e.from);
        ids.add(e.to);
        grew = true;
      }
    }
  }
  const nodes = [...ids].flatMap((id) => {
    const name = nameOf(id);
    return name === undefined ? [] : [{ id, name }];
  });
  const kept = new Set(nodes.map((n) => n.id));
  const edges = [...links.values()].filter((e) => kept.has(e.from) && kept.has(e.to));
  return { rootId: templateId, nodes, edges };
}
