import { z } from 'zod';
import { JobOverrides } from './template';

/**
 * Which client asked for something: the Electron window, the browser host, the `jobdeck` command
 * line, a script on the local socket, or the core itself (a schedule firing, an automatic retry).
 */
export const ClientKind = z.enum(['app', 'browser', 'cli', 'api', 'schedule', 'retry', 'webhook']);
export type ClientKind = z.infer<typeof ClientKind>;

/** Who asked: the OS user and the client they used. */
export const Requester = z.object({ user: z.string(), client: ClientKind });
export type Requester = z.infer<typeof Requester>;

/**
 * What a run was given apart from its template, as the caller gave it (secret values masked
 * before they are stored): the job's own record of "what did they ask for".
 */
export const JobInputs = z.object({
  overrides: JobOverrides.optional(),
  dependsOn: z.array(z.string()).optional(),
  /** The job a retry or a clone was made from. */
  sourceJobId: z.string().optional(),
});
export type JobInputs = z.infer<typeof JobInputs>;

/** "alice (browser)", "alice (schedule)"; a change the core made by itself has no requester. */
export function requesterText(r: Requester | undefined): string {
  return r ? `${r.user} (${r.client})` : 'Jobdeck';
}
