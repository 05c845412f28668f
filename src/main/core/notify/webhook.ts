// Webhook channel: an HTTP POST of the payload (json), a Slack-compatible {text}, or an ntfy
// message (plain text with Title/Tags headers). Signed with X-Jobdeck-Signature (HMAC-SHA256 of
// the exact body, hex, as GitHub's X-Hub-Signature-256) and carrying an Idempotency-Key that is
// the same on every try. Node's fetch (undici); no redirects followed (a 3xx is not delivered).
import { createHmac } from 'node:crypto';
import { isIP } from 'node:net';
import type { NotifyPayload, WebhookChannel } from '../../../shared/notify';
import type { SendResult } from './outbox';
import { factLines } from './payload';

export class ChannelConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChannelConfigError';
  }
}

const isLoopback = (host: string): boolean => {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '::1';
};

/** The URL a webhook may post to, or a ChannelConfigError in the user's words. */
export function checkWebhookUrl(url: string, allowHttp: boolean): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ChannelConfigError(`Webhook URL ${url} is not a URL (it looks like https://example.com/hook)`);
  }
  if (u.protocol === 'https:') return u;
  if (u.protocol !== 'http:') throw new ChannelConfigError(`Webhook URL must start with https:// (it starts with ${u.protocol}//)`);
  if (isLoopback(u.hostname) || allowHttp) return u;
  throw new ChannelConfigError(`Webhook URL uses plain http to ${u.hostname}: use https, or tick "Allow plain http" (the body and its signature then travel unencrypted)`);
}

export const signature = (secret: string, body: string): string => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** The request a channel makes of a payload; `secret` is the unsealed one ('' for none). */
export function webhookRequest(channel: Pick<WebhookChannel, 'url' | 'preset' | 'allowHttp'>, payload: NotifyPayload, secret: string): WebhookRequest {
  const url = checkWebhookUrl(channel.url, channel.allowHttp).toString();
  const headers: Record<string, string> = { 'Idempotency-Key': payload.idempotencyKey, 'User-Agent': 'Jobdeck' };
  let body: string;
  if (channel.preset === 'ntfy') {
    headers['Content-Type'] = 'text/plain; charset=utf-8';
    // Header values must be ISO-8859-1: anything else is left as '?' rather than refused.
    headers.Title = payload.summary.split(':')[0]!.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
    headers.Tags = payload.event === 'failure' || payload.event === 'stuck' || payload.event === 'late' ? 'warning' : payload.event === 'test' ? 'bell' : 'white_check_mark';
    if (payload.job?.url) headers.Click = payload.job.url;
    body = factLines(payload).slice(1).join('\n').trim() || payload.summary;
  } else if (channel.preset === 'slack') {
    headers['Content-Type'] = 'application/json';
    const link = payload.job ? ` <${payload.job.url ?? payload.job.link}|${payload.job.id}>` : '';
    body = JSON.stringify({ text: `${payload.summary}${link}` });
  } else {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(payload);
  }
  if (secret) headers['X-Jobdeck-Signature'] = signature(secret, body);
  return { url, headers, body };
}

/** Codes worth another try: the server's trouble or its "later"; other 4xx will not change. */
const retryable = (status: number): boolean => status >= 500 || status === 408 || status === 425 || status === 429;

export async function postWebhook(req: WebhookRequest, timeoutMs: number): Promise<SendResult> {
  let res: Response;
  try {
    res = await fetch(req.url, { method: 'POST', headers: req.headers, body: req.body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    return { ok: false, error: fetchError(error, req.url, timeoutMs) };
  }
  // The body is not needed; reading it frees the connection.
  await res.arrayBuffer().catch(() => undefined);
  if (res.status >= 200 && res.status < 300) return { ok: true, statusCode: res.status };
  return {
    ok: false,
    statusCode: res.status,
    error: `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`,
    ...(retryable(res.status) ? {} : { permanent: true }),
  };
}

function fetchError(error: unknown, url: string, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const cause = e.cause?.code ?? e.cause?.message;
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  })();
  if (cause === 'ECONNREFUSED') return `${host} refused the connection`;
  if (cause === 'ENOTFOUND') return `${host} was not found`;
  return `${e.message ?? String(error)}${cause ? ` (${cause})` : ''}`;
}
