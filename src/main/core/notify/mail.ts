// Mail channel over SMTP (nodemailer): TLS from the first byte, STARTTLS required, or plain to a
// loopback relay only. A plain-text body with the payload's facts and the log's last lines. The
// Message-ID comes from the idempotency key, so a retried mail is the same message to a
// receiver that drops duplicates.
import { createTransport } from 'nodemailer';
import type { MailChannel, NotifyPayload } from '../../../shared/notify';
import type { SendResult } from './outbox';
import { factLines } from './payload';
import { ChannelConfigError } from './webhook';

const isLoopbackHost = (h: string): boolean => h === 'localhost' || h.startsWith('127.') || h === '::1' || h === '[::1]';

export function checkMail(channel: Pick<MailChannel, 'host' | 'security'>): void {
  if (channel.security === 'none' && !isLoopbackHost(channel.host.toLowerCase()))
    throw new ChannelConfigError(`Mail to ${channel.host} without TLS would send the password and the log unencrypted: choose TLS or STARTTLS (no TLS is for a relay on this machine)`);
}

export interface MailMessage {
  subject: string;
  text: string;
  messageId: string;
}

export function mailMessage(payload: NotifyPayload, tail: readonly string[]): MailMessage {
  const text = [...factLines(payload), ...(tail.length ? ['', `Last ${tail.length} lines of the log:`, ...tail.map((l) => `  ${l}`)] : [])].join('\n');
  return { subject: `[Jobdeck] ${payload.summary}`.slice(0, 200), text: `${text}\n`, messageId: `<${payload.idempotencyKey}@jobdeck>` };
}

export interface MailTransportOptions {
  /** Extra TLS options (tests: trust a self-signed certificate). */
  tls?: { rejectUnauthorized?: boolean; ca?: string };
}

/** `password`: the unsealed one ('' for none). */
export async function sendMail(channel: MailChannel, password: string, message: MailMessage, opts: MailTransportOptions = {}): Promise<SendResult> {
  checkMail(channel);
  const transport = createTransport({
    host: channel.host,
    port: channel.port,
    secure: channel.security === 'tls',
    requireTLS: channel.security === 'starttls',
    ignoreTLS: channel.security === 'none',
    ...(channel.user ? { auth: { user: channel.user, pass: password } } : {}),
    connectionTimeout: channel.timeoutMs,
    greetingTimeout: channel.timeoutMs,
    socketTimeout: channel.timeoutMs,
    ...(opts.tls ? { tls: opts.tls } : {}),
  });
  try {
    const info = await transport.sendMail({
      from: channel.from,
      to: channel.to,
      subject: message.subject,
      text: message.text,
      messageId: message.messageId,
      headers: { 'Idempotency-Key': message.messageId.slice(1, -1) },
    });
    const code = Number(/^(\d{3})/.exec(info.response)?.[1]);
    return { ok: true, ...(Number.isFinite(code) ? { statusCode: code } : {}) };
  } catch (error) {
    const e = error as { responseCode?: number; message?: string; code?: string };
    // 5xx is the server's final no (bad address, auth refused); 4xx and network trouble: later.
    const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500 && e.code !== 'ETIMEDOUT';
    return {
      ok: false,
      ...(typeof e.responseCode === 'number' ? { statusCode: e.responseCode } : {}),
      error: e.message ?? String(error),
      ...(permanent ? { permanent: true } : {}),
    };
  } finally {
    transport.close();
  }
}
