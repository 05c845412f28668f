import { z } from 'zod';

/**
 * Which client asked for something: the Electron window, the browser host, the `jobdeck` command
 * line, a script on the local socket, or the core itself (a schedule firing, an automatic retry).
 */
export const ClientKind = z.enum(['app', 'browser', 'cli', 'api', 'schedule', 'retry', 'webhook']);
export type ClientKind = z.infer<typeof ClientKind>;

/** Who asked: the OS user and the client they used. */
export const Requester = z.object({ user: z.string(), client: ClientKind });
export type Requester = z.infer<typeof Requester>;
