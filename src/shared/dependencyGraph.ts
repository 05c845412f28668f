import { z } from 'zod';
import { JobSummary } from './query';

/** An edge from an upstream job to the job that runs after it. */
export const DependencyEdge = z.object({ from: z.string(), to: z.string() });
export type DependencyEdge = z.infer<typeof DependencyEdge>;

/** A job with every job upstream and downstream of it (transitively), for the job page's graph. */
export const JobGraph = z.object({
  rootId: z.string(),
  nodes: z.array(JobSummary),
  edges: z.array(DependencyEdge),
  /** More jobs are connected than the graph holds (GRAPH_MAX_NODES). */
  truncated: z.boolean(),
});
export type JobGraph = z.infer<typeof JobGraph>;

/** Templates linked because jobs of one ran after jobs of another: a template page's chain. */
export const TemplateChain = z.object({
  rootId: z.string(),
  nodes: z.array(z.object({ id: z.string(), name: z.string() })),
  edges: z.array(DependencyEdge),
});
export type TemplateChain = z.infer<typeof TemplateChain>;

export const GRAPH_MAX_NODES = 200;
