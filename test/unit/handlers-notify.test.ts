// notify.* through the real dispatcher on the whole core (fake engines, fake clock) with a real
// HTTP receiver on loopback: channels with sealed secrets, a test send, and the delivery log that
// the rules fill as jobs run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SECRET_MASK } from '../../src/shared/ipc';
import { deliveryText, type Delivery } from '../../src/shared/notify';
import { signature } from '../../src/main/core/notify/webhook';
import { describeCommand, useFakeCore, type FakeCore } from '../support/fakeCore';
import { startReceiver, type Receiver } from '../support/notifyReceiver';

const core = useFakeCore();
let rx: Receiver;
beforeEach(async () => {
  rx = await startReceiver();
});
afterEach(async () => rx.close());

const hook = (h: FakeCore, extra: Record<string, unknown> = {}) =>
  h.call('notify.channels.save', { kind: 'webhook', name: 'Team hook', url: rx.url, secret: 'hush-123', ...extra });

describeCommand('notify.channels.save', () => {
  it('adds a webhook with its secret sealed on disk and masked on the wire; the mask saved back keeps it', async () => {
    const h = core();
    const c = await hook(h);
    expect(c).toMatchObject({ kind: 'webhook', name: 'Team hook', secret: SECRET_MASK, preset: 'json', allowHttp: false });
    const onDisk = readFileSync(join(h.dataDir, 'notify', 'channels.json'), 'utf8');
    expect(onDisk).not.toContain('hush-123');
    expect(onDisk).toContain('sealed:v1:');
    if (c.kind !== 'webhook') throw new Error('a webhook was saved');
    await h.call('notify.channels.save', { ...c, name: 'Renamed', secret: SECRET_MASK });
    const d = await h.call('notify.test', { id: c.id });
    const got = rx.requests[0]!;
    expect(got.headers['x-jobdeck-signature']).toBe(signature('hush-123', got.body));
    expect(d.channelName).toBe('Renamed');
  });

  it('refuses plain http off loopback, mail without TLS off loopback, and a bad address, in the user\'s words', async () => {
    const h = core();
    expect((await h.fail('notify.channels.save', { kind: 'webhook', name: 'x', url: 'http://example.com/h' })).message).toMatch(/plain http to example.com: use https, or tick "Allow plain http"/);
    expect(await h.call('notify.channels.save', { kind: 'webhook', name: 'x', url: 'http://example.com/h', allowHttp: true })).toMatchObject({ allowHttp: true });
    expect((await h.fail('notify.channels.save', { kind: 'mail', name: 'm', host: 'smtp.example.com', security: 'none', from: 'a@b.c', to: ['d@e.f'] })).message).toMatch(/choose TLS or STARTTLS/);
    const bad = await h.fail('notify.channels.save', { kind: 'mail', name: 'm', host: 'smtp.example.com', from: 'nobody', to: ['d@e.f'] });
    expect(bad.code).toBe('VALIDATION');
    const mail = await h.call('notify.channels.save', { kind: 'mail', name: 'Ops mail', host: 'smtp.example.com', port: 465, security: 'tls', user: 'ops', password: 'pw', from: 'jobdeck@example.com', to: ['ops@example.com'] });
    expect(mail.kind === 'mail' && mail.password).toBe(SECRET_MASK);
  });
});

describeCommand('notify.channels.list', () => {
  it('lists the channels, secrets masked, and they survive a restart', async () => {
    const h = core();
    const c = await hook(h);
    expect(await h.call('notify.channels.list', {})).toEqual([c]);
  });
});

describeCommand('notify.channels.remove', () => {
  it('removes a channel; an unknown one is not found; desktop is built in', async () => {
    const h = core();
    const c = await hook(h);
    await h.call('notify.channels.remove', { id: c.id });
    expect(await h.call('notify.channels.list', {})).toEqual([]);
    expect((await h.fail('notify.channels.remove', { id: c.id })).code).toBe('NOT_FOUND');
    expect((await h.fail('notify.channels.remove', { id: 'desktop' })).code).toBe('VALIDATION');
  });
});

describeCommand('notify.test', () => {
  it('sends once now and answers with the delivery: delivered 200, or failed and why', async () => {
    const h = core();
    const c = await hook(h);
    const ok = await h.call('notify.test', { id: c.id });
    expect(deliveryText(ok)).toBe('delivered 200');
    expect(JSON.parse(rx.requests[0]!.body)).toMatchObject({ version: 1, event: 'test', summary: 'Test notification from Jobdeck to Team hook' });
    rx.answers = [500];
    const bad = await h.call('notify.test', { id: c.id });
    expect(bad.state).toBe('failed');
    expect(deliveryText(bad)).toBe('failed: HTTP 500 Internal Server Error');
    expect((await h.fail('notify.test', { id: 'nope' })).code).toBe('NOT_FOUND');
  });
});

describeCommand('notify.deliveries', () => {
  it('a template whose rule is failure-after-the-last-retry: a job failing three times notifies once, after the last', async () => {
    const h = core();
    const c = await hook(h);
    const t = await h.call('templates.save', {
      spec: {
        name: 'nt-retry',
        image: 'busybox',
        command: 'false',
        retry: { limit: 2, backoffInitialSeconds: 1 },
        notifications: { rules: [{ id: 'fail-last', on: 'failure', attempts: 'last', channels: [c.id] }] },
      },
    });
    const job = await h.call('jobs.create', { templateId: t.id });
    for (let i = 1; i <= 3; i++) {
      await h.until(`attempt ${i}`, () => h.engines.runs(job.id).length === i);
      await h.finish(job.id, { reason: 'Error', exitCode: 1 });
      expect(await h.call('notify.deliveries', { jobId: job.id })).toHaveLength(i < 3 ? 0 : 1);
      h.clock.advance(10_000);
    }
    await rx.waitFor(1);
    await h.until('delivered', async () => (await h.call('notify.deliveries', { jobId: job.id }))[0]?.state === 'delivered');
    const [d] = await h.call('notify.deliveries', { jobId: job.id });
    expect(d).toMatchObject({ channelId: c.id, ruleId: 'fail-last', event: 'failure', attempts: [{ attempt: 1, ok: true, statusCode: 200 }] });
    expect(JSON.parse(rx.requests[0]!.body)).toMatchObject({ event: 'failure', job: { id: job.id, status: 'failed', exitCode: 1, attempt: 3, template: 'nt-retry' } });
    expect(rx.requests).toHaveLength(1);
    expect((await h.call('notify.deliveries', { channelId: c.id })).map((x: Delivery) => x.key)).toEqual([d!.key]);
    expect(h.events.some((e) => e.name === 'notify.delivery' && e.payload.key === d!.key && e.payload.state === 'delivered')).toBe(true);
  });

  it('the default rules send to the desktop as the old settings did: failures, and successes unless muted', async () => {
    const h = core();
    await h.call('settings.update', { notifications: { muteSuccess: true } });
    const ok = await h.call('jobs.create', { spec: { name: 'nt-quiet', image: 'busybox' } });
    await h.until('runs', () => h.engines.runs(ok.id).length === 1);
    await h.finish(ok.id, { reason: 'Completed', exitCode: 0 });
    const bad = await h.call('jobs.create', { spec: { name: 'nt-loud', image: 'busybox' } });
    await h.until('runs', () => h.engines.runs(bad.id).length === 1);
    await h.finish(bad.id, { reason: 'Error', exitCode: 2 });
    const notices = h.events.flatMap((e) => (e.name === 'notify.desktop' ? [e.payload] : []));
    expect(notices.map((n) => [n.title, n.jobId])).toEqual([['nt-loud failed', bad.id]]);
    expect(await h.call('notify.deliveries', {})).toEqual([]);
  });
});
