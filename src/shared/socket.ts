// The local socket's protocol: the WebSocket's messages (ipc.ts WsClientMessage / WsServerMessage),
// one JSON object per line. A client may first say what it is; the audit trail records it.
import { z } from 'zod';

/** Sent once, before any invoke, by the `jobdeck` command line; any other client counts as 'api'. */
export const SocketHello = z.object({ type: z.literal('hello'), client: z.literal('cli') }).strict();
export type SocketHello = z.infer<typeof SocketHello>;

/** Longest line either side accepts (a template import may carry files of up to 5 MiB each). */
export const SOCKET_MAX_LINE = 64 * 1024 * 1024;
