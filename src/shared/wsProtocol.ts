import { z } from 'zod';
import type { AppEvent, Result } from './ipc';

/** The headless WebSocket protocol: the same contract, framed as JSON messages. */
export const WsClientMessage = z.object({
  type: z.literal('invoke'),
  id: z.number().int(),
  command: z.string(),
  input: z.unknown(),
});
export type WsClientMessage = z.infer<typeof WsClientMessage>;
export type WsServerMessage =
  /** The first message on a socket the host accepted: until it comes the page is not connected. */
  | { type: 'ready' }
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'event'; event: AppEvent };
/**
 * The close code of a socket whose token is wrong (or missing): the host accepts the upgrade and
 * closes at once with it, so the page can tell "wrong address" from "host down" (a refused upgrade
 * looks to a browser like no host at all). 4000–4999 is the range for applications (RFC 6455).
 */
export const WRONG_TOKEN_CLOSE = 4401;
