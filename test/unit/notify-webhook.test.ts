// Webhook requests: the body per preset, the signature, the key, which URLs are allowed, and
// how a real loopback receiver's answers (2xx, 500, 404, none) come back.
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { NotifyPayload } from '../../src/shared/notify';
import { checkWebhookUrl, postWebhook, signature, webhookRequest } from '../../src/main/core/notify/webhook';
import { buildPayload, desktopNotice, factLines } from '../../src/main/core/notify/payload';
import { mailMessage } from '../../src/main/core/notify/mail';
import { TemplateSpec } from '../../src/shared/template';
import type { Job } from '../../src/shared/job';
import { startReceiver, type Receiver } from '../support/notifyReceiver';

const job: Job = {
  id: 'job-42',
  templateId: 't1',
  templateName: 'nightly-backup',
  spec: TemplateSpec.parse({ name: 'nightly-backup', image: 'busybox' }),
  status: 'failed',
  reason: 'Error',
  exitCode: 127,
  priority: 3,
  seq: 1,
  origin: 'manual',
  dependsOn: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  startedAt: '2026-01-01T00:00:01.000Z',
  finishedAt: '2026-01-01T00:00:04.000Z',
  failures: 3,
  succeededIndexes: [],
  attempts: [1, 2, 3].map((n) => ({ number: n, index: 0, engineId: 'podman', status: 'failed' as const, exitCode: 127, reason: 'Error' as const, createdAt: '2026-01-01T00:00:01.000Z', startedAt: `2026-01-01T00:00:0${n}.000Z`, finishedAt: `2026-01-01T00:00:0${n + 1}.000Z`, logBytes: 0, logTruncated: false, artifacts: [] })),
};
const payload = buildPayload({ job, event: 'failure', ruleId: 'r1', key: 'k-123', at: Date.parse('2026-01-01T00:00:04Z'), baseUrl: 'http://127.0.0.1:4000' });

describe('payload', () => {
  it('carries the documented facts', () => {
    expect(NotifyPayload.parse(payload)).toEqual(payload);
    expect(payload.job).toMatchObject({
      id: 'job-42',
      status: 'failed',
      reason: 'Error',
      exitCode: 127,
      exitMeaning: 'command not found',
      template: 'nightly-backup',
      engine: 'podman',
      attempt: 3,
      link: 'jobdeck://job/job-42',
      url: 'http://127.0.0.1:4000/#/jobs/job-42',
      createdAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:00:04.000Z',
    });
    expect(payload.job?.durationMs).toBeGreaterThan(0);
    expect(payload.summary).toBe('nightly-backup failed: exit code 127, Error (command not found)');
    // An end reads as it did before rules; another event by its summary.
    expect(desktopNotice(payload, job)).toMatchObject({ title: 'nightly-backup failed', body: 'exit code 127, Error: command not found', jobId: 'job-42' });
    expect(desktopNotice({ ...payload, event: 'late', summary: 'nightly-backup is running late' })).toMatchObject({ title: 'nightly-backup is running late', body: '', jobId: 'job-42' });
  });

  it('mail: the facts and the log tail in plain text, the key as Message-ID', () => {
    const m = mailMessage(payload, ['line 19', 'line 20']);
    expect(m.subject).toBe('[Jobdeck] nightly-backup failed: exit code 127, Error (command not found)');
    expect(m.text).toContain('Exit code: 127 (command not found)');
    expect(m.text).toContain('Open:      http://127.0.0.1:4000/#/jobs/job-42');
    expect(m.text).toContain('Last 2 lines of the log:\n  line 19\n  line 20');
    expect(m.messageId).toBe('<k-123@jobdeck>');
    expect(factLines(payload)[0]).toBe(payload.summary);
  });
});

describe('webhook request', () => {
  it('json: the payload, signed with HMAC-SHA256 of the exact body, with the idempotency key', () => {
    const req = webhookRequest({ url: 'https://example.com/h', preset: 'json', allowHttp: false }, payload, 's3cret');
    expect(JSON.parse(req.body)).toEqual(payload);
    expect(req.headers['Idempotency-Key']).toBe('k-123');
    expect(req.headers['X-Jobdeck-Signature']).toBe(`sha256=${createHmac('sha256', 's3cret').update(req.body).digest('hex')}`);
    expect(webhookRequest({ url: 'https://example.com/h', preset: 'json', allowHttp: false }, payload, '').headers['X-Jobdeck-Signature']).toBeUndefined();
  });

  it('slack: {text} with a link; ntfy: plain text with Title and Tags', () => {
    const slack = webhookRequest({ url: 'https://hooks.slack.com/x', preset: 'slack', allowHttp: false }, payload, '');
    expect(JSON.parse(slack.body)).toEqual({ text: 'nightly-backup failed: exit code 127, Error (command not found) <http://127.0.0.1:4000/#/jobs/job-42|job-42>' });
    const ntfy = webhookRequest({ url: 'https://ntfy.sh/topic', preset: 'ntfy', allowHttp: false }, payload, 'k');
    expect(ntfy.headers).toMatchObject({ Title: 'nightly-backup failed', Tags: 'warning', 'Content-Type': 'text/plain; charset=utf-8', Click: 'http://127.0.0.1:4000/#/jobs/job-42' });
    expect(ntfy.body).toContain('Exit code: 127 (command not found)');
    expect(ntfy.headers['X-Jobdeck-Signature']).toBe(signature('k', ntfy.body));
  });

  it('https anywhere; http only to loopback unless allowed; nothing else', () => {
    expect(checkWebhookUrl('https://example.com/x', false).host).toBe('example.com');
    expect(checkWebhookUrl('http://127.0.0.1:9/x', false).port).toBe('9');
    expect(checkWebhookUrl('http://localhost/x', false).hostname).toBe('localhost');
    expect(checkWebhookUrl('http://[::1]:80/x', false).hostname).toBe('[::1]');
    expect(() => checkWebhookUrl('http://example.com/x', false)).toThrow('Webhook URL uses plain http to example.com: use https, or tick "Allow plain http" (the body and its signature then travel unencrypted)');
    expect(checkWebhookUrl('http://example.com/x', true).protocol).toBe('http:');
    expect(() => checkWebhookUrl('ftp://example.com/x', true)).toThrow('Webhook URL must start with https:// (it starts with ftp://)');
    expect(() => checkWebhookUrl('example.com', false)).toThrow('Webhook URL example.com is not a URL (it looks like https://example.com/hook)');
  });
});

describe('posting to a real receiver on loopback', () => {
  let rx: Receiver | undefined;
  afterEach(async () => rx?.close());

  it('2xx delivered; 500 retryable; 404 permanent; no answer times out; refused says so', async () => {
    rx = await startReceiver();
    const req = webhookRequest({ url: rx.url, preset: 'json', allowHttp: false }, payload, 's');
    rx.answers = [204, 500, 404, 'hang'];
    expect(await postWebhook(req, 2000)).toEqual({ ok: true, statusCode: 204 });
    expect(await postWebhook(req, 2000)).toEqual({ ok: false, statusCode: 500, error: 'HTTP 500 Internal Server Error' });
    expect(await postWebhook(req, 2000)).toEqual({ ok: false, statusCode: 404, error: 'HTTP 404 Not Found', permanent: true });
    expect(await postWebhook(req, 200)).toEqual({ ok: false, error: 'no answer within 200 ms' });
    const got = rx.requests[0]!;
    expect(got.headers['x-jobdeck-signature']).toBe(signature('s', got.body));
    expect(got.headers['idempotency-key']).toBe('k-123');
    // A port where nothing listens (one never posted to: no pooled connection to it).
    const gone = await startReceiver();
    const port = gone.port;
    await gone.close();
    expect(await postWebhook({ ...req, url: `http://127.0.0.1:${port}/hook` }, 2000)).toEqual({ ok: false, error: `127.0.0.1:${port} refused the connection` });
  });
});
