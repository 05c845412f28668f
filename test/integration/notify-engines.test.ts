// Issue 13 on both real engines: real jobs, a real HTTP receiver and a real SMTP server on
// loopback. One failing job with two retries fans out to five channels, each receiver behaving
// differently (fine, 500 then 200, never answering, down then up, mail); a late job; and the
// headless host SIGKILLed with three deliveries in its outbox.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobdeck, type Jobdeck } from '../../src/main/core/jobdeck';
import { signature } from '../../src/main/core/notify/webhook';
import { commands, type AppEvent, type CommandArgs, type CommandName, type CommandOutput } from '../../src/shared/ipc';
import type { Job } from '../../src/shared/job';
import type { Delivery, NotifyPayload } from '../../src/shared/notify';
import { allRemoved } from '../support/core';
import { clientFor, engineTargets, ensureTestImage, leftovers, TEST_IMAGE, type EngineTarget } from '../support/engines';
import { startHost } from '../support/hostProcess';
import { startReceiver, type Receiver } from '../support/notifyReceiver';

const targets = await engineTargets();

interface Core {
  core: Jobdeck;
  instanceId: string;
  call<C extends CommandName>(command: C, input: unknown): Promise<CommandOutput<C>>;
  /** Resolves once `ok` holds, looked at again on every event the core sends. */
  until<T>(what: string, ok: () => Promise<T | undefined>, timeoutMs?: number): Promise<T>;
}

/** The core on one engine with the outbox's backoff cut to 0.2–1 s. */
async function startCore(target: EngineTarget, dataDir: string): Promise<Core> {
  const instanceId = `notify-${Math.random().toString(36).slice(2, 10)}`;
  const core = await createJobdeck({
    dataDir,
    instanceId,
    env: {},
    socketCandidates: [`${target.kind}=${target.host}`],
    engineProbeIntervalMs: 500,
    notify: { backoff: { baseMs: 200, capMs: 1000, maxAttempts: 30 } },
  });
  const wakers = new Set<() => void>();
  core.onEvent('test', (_e: AppEvent) => {
    for (const w of [...wakers]) w();
  });
  const call = async <C extends CommandName>(command: C, input: unknown): Promise<CommandOutput<C>> => {
    const handler = core.handlers[command] as (a: CommandArgs<C>, ctx: { clientId: string }) => Promise<CommandOutput<C>>;
    return handler(commands[command].input.parse(input) as CommandArgs<C>, { clientId: 'test' });
  };
  const until = async <T,>(what: string, ok: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let woken = false;
      const wake = () => void (woken = true);
      wakers.add(wake);
      const v = await ok();
      if (v !== undefined) {
        wakers.delete(wake);
        return v;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      if (!woken)
        await new Promise<void>((resolve) => {
          const done = () => (wakers.delete(done), clearTimeout(t), resolve());
          // A receiver's request is not a core event: look again at least every 100 ms.
          const t = setTimeout(done, Math.min(100, Math.max(0, deadline - Date.now())));
          wakers.add(done);
        });
      wakers.delete(wake);
    }
  };
  return { core, instanceId, call, until };
}

interface Mail {
  subject: string;
  text: string;
  messageId: string;
}

async function startSmtp(): Promise<{ port: number; mails: Mail[]; close(): Promise<void> }> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const [folded = '', ...body] = raw.split('\r\n\r\n');
        const head = folded.replace(/\r\n[ \t]+/g, ' ');
        mails.push({ subject: /^Subject: (.*)$/im.exec(head)?.[1] ?? '', text: body.join('\r\n\r\n').replace(/\r\n/g, '\n'), messageId: /^Message-ID: (.*)$/im.exec(head)?.[1] ?? '' });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A loopback port where nothing listens (yet). */
async function freePort(): Promise<number> {
  const r = await startReceiver();
  await r.close();
  return r.port;
}

const failing = (name: string, engine: string, rules: unknown[]) => ({
  name,
  image: TEST_IMAGE,
  network: 'none',
  pullPolicy: 'Never',
  engine,
  command: 'for i in $(seq 1 30); do echo "line $i"; done; exit 3',
  retry: { limit: 2, backoffInitialSeconds: 0 },
  notifications: { rules },
});

describe.each(targets)('notifications on $kind', (target) => {
  const skip = Boolean(target.missing);
  let dataDir: string;
  let c: Core;
  const receivers: Receiver[] = [];
  let smtp: Awaited<ReturnType<typeof startSmtp>>;

  beforeAll(async () => {
    if (skip) return;
    await ensureTestImage(clientFor(target.host));
    dataDir = mkdtempSync(join(tmpdir(), 'jobdeck-notify-it-'));
    c = await startCore(target, dataDir);
    smtp = await startSmtp();
  }, 300_000);
  afterAll(async () => {
    if (skip) return;
    await allRemoved(c.core);
    const left = await leftovers(clientFor(target.host), c.instanceId);
    await c.core.close({ stopRunning: true });
    await Promise.all([...receivers.map((r) => r.close()), smtp.close()]);
    rmSync(dataDir, { recursive: true, force: true });
    expect(left, 'containers left behind').toEqual([]);
  });

  it.skipIf(skip)('a job failing with two retries notifies once, after the last: signed, 500 then 200, a receiver that never answers, one down then up, and mail', async () => {
    const fine = await startReceiver();
    const flaky = await startReceiver();
    const hanging = await startReceiver();
    receivers.push(fine, flaky, hanging);
    flaky.answers = [500, 500];
    hanging.answers = ['hang'];
    const downPort = await freePort();
    const save = (x: Record<string, unknown>) => c.call('notify.channels.save', x);
    const chFine = await save({ kind: 'webhook', name: 'fine', url: fine.url, secret: 'the-secret' });
    const chFlaky = await save({ kind: 'webhook', name: 'flaky', url: flaky.url });
    const chHang = await save({ kind: 'webhook', name: 'hang', url: hanging.url, timeoutMs: 500 });
    const chDown = await save({ kind: 'webhook', name: 'down', url: `http://127.0.0.1:${downPort}/hook` });
    const chMail = await save({ kind: 'mail', name: 'mail', host: '127.0.0.1', port: smtp.port, security: 'none', from: 'jobdeck@example.com', to: ['ops@example.com'] });
    const t = await c.call('templates.save', { spec: failing(`nt-${target.kind}-retry`, target.kind, [{ id: 'fail-last', on: 'failure', attempts: 'last', channels: [chFine.id, chFlaky.id, chHang.id, chDown.id, chMail.id] }]) });
    const job = await c.call('jobs.create', { templateId: t.id });
    const deliveries = () => c.call('notify.deliveries', { jobId: job.id });
    // Before the job ends for good, nothing is queued (each failed attempt is not news to this rule).
    const ended = await c.until('the job fails for good', async () => {
      const j = await c.call('jobs.get', { id: job.id });
      if (j.status !== 'failed') {
        expect(await deliveries()).toEqual([]);
        return undefined;
      }
      return j;
    });
    expect(ended.attempts).toHaveLength(3);
    const byChannel = async (id: string) => (await deliveries()).find((d) => d.channelId === id);
    // The down receiver: refused at least twice, then it comes up on its port.
    await c.until('two refused tries', async () => ((await byChannel(chDown.id))?.attempts.length ?? 0) >= 2 || undefined);
    const down = await startReceiver(downPort);
    receivers.push(down);
    const all = await c.until('every channel delivered', async () => {
      const ds = await deliveries();
      return ds.length === 5 && ds.every((d) => d.state === 'delivered') ? ds : undefined;
    });
    const d = (id: string) => all.find((x) => x.channelId === id)!;
    // The signature checks out with the secret; the body is the documented payload.
    const got = fine.requests[0]!;
    expect(fine.requests).toHaveLength(1);
    expect(got.headers['x-jobdeck-signature']).toBe(signature('the-secret', got.body));
    const body = JSON.parse(got.body) as NotifyPayload;
    expect(body).toMatchObject({ event: 'failure', ruleId: 'fail-last', job: { id: job.id, status: 'failed', exitCode: 3, exitMeaning: expect.any(String), attempt: 3, template: t.name, engine: target.kind, link: `jobdeck://job/${job.id}` } });
    expect(got.headers['idempotency-key']).toBe(body.idempotencyKey);
    // 500, 500, then 200: the same key on every try, one accepted.
    expect(flaky.requests.map((r) => r.headers['idempotency-key'])).toEqual(Array(3).fill(d(chFlaky.id).key));
    expect(flaky.acceptedKeys()).toEqual([d(chFlaky.id).key]);
    expect(d(chFlaky.id).attempts.map((a) => a.statusCode)).toEqual([500, 500, 200]);
    // Never answered: timed out, then tried again.
    expect(d(chHang.id).attempts[0]).toMatchObject({ ok: false, error: 'no answer within 500 ms' });
    expect(d(chHang.id).attempts.at(-1)).toMatchObject({ ok: true, statusCode: 200 });
    expect(new Set(hanging.requests.map((r) => r.headers['idempotency-key']))).toEqual(new Set([d(chHang.id).key]));
    // Down, then up: refused tries, then delivered once.
    expect(d(chDown.id).attempts.slice(0, 2).every((a) => a.error?.includes('refused'))).toBe(true);
    expect(down.requests.map((r) => r.headers['idempotency-key'])).toEqual([d(chDown.id).key]);
    // Mail: once, the facts and the log's last 20 lines.
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.subject).toBe(`[Jobdeck] ${body.summary}`);
    expect(body.summary).toMatch(new RegExp(`^${t.name} failed: exit code 3, Error \\(.+\\)$`));
    expect(smtp.mails[0]!.text).toContain('Last 20 lines of the log:\n  line 11\n');
    expect(smtp.mails[0]!.text).toContain('  line 30\n');
    expect(smtp.mails[0]!.text).not.toContain('  line 10\n');
    expect(smtp.mails[0]!.messageId).toBe(`<${d(chMail.id).key}@jobdeck>`);
  }, 180_000);

  it.skipIf(skip)('a late job notifies once, while it is still running', async () => {
    const rx = await startReceiver();
    receivers.push(rx);
    const ch = await c.call('notify.channels.save', { kind: 'webhook', name: 'late', url: rx.url });
    const t = await c.call('templates.save', {
      spec: { name: `nt-${target.kind}-late`, image: TEST_IMAGE, network: 'none', pullPolicy: 'Never', engine: target.kind, command: 'sleep 4', notifications: { rules: [{ id: 'late', on: 'late', afterSeconds: 1, channels: [ch.id] }] } },
    });
    const job = await c.call('jobs.create', { templateId: t.id });
    const [req] = await rx.waitFor(1, 60_000);
    const atReceipt = await c.call('jobs.get', { id: job.id });
    expect(atReceipt.status).toBe('running');
    expect(JSON.parse(req!.body)).toMatchObject({ event: 'late', job: { id: job.id, status: 'running' } });
    const done: Job = await c.until('the job ends', async () => {
      const j = await c.call('jobs.get', { id: job.id });
      return j.status === 'completed' ? j : undefined;
    });
    expect(done.status).toBe('completed');
    expect(rx.requests).toHaveLength(1);
    expect((await c.call('notify.deliveries', { jobId: job.id })).map((x: Delivery) => x.event)).toEqual(['late']);
  }, 120_000);
});

describe('the outbox across a SIGKILL', () => {
  const docker = targets.find((t) => t.kind === 'docker' && !t.missing) ?? targets.find((t) => !t.missing);
  it.skipIf(!docker)('three deliveries in the outbox when the host is killed: all delivered after the restart, once each', async () => {
    const target = docker!;
    await ensureTestImage(clientFor(target.host));
    const dataDir = mkdtempSync(join(tmpdir(), 'jobdeck-notify-kill-'));
    const port = await freePort();
    let host = await startHost(dataDir, {}, 180_000);
    let rx: Receiver | undefined;
    try {
      const ch = await host.call('notify.channels.save', { kind: 'webhook', name: 'after', url: `http://127.0.0.1:${port}/hook` });
      const t = await host.call('templates.save', {
        spec: { name: 'nt-kill', image: TEST_IMAGE, network: 'none', pullPolicy: 'Never', engine: target.kind, command: 'exit 5', notifications: { rules: [{ id: 'fail', on: 'failure', channels: [ch.id] }] } },
      });
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await host.call('jobs.create', { templateId: t.id })).id);
      // Three deliveries queued, each refused once at least (the receiver is not up).
      for (const deadline = Date.now() + 90_000; ; ) {
        const ds = (await host.call('notify.deliveries', {})) as Delivery[];
        if (ds.length === 3 && ds.every((d) => d.state === 'pending' && d.attempts.length >= 1)) break;
        if (Date.now() > deadline) throw new Error(`deliveries: ${JSON.stringify(ds.map((d) => [d.state, d.attempts.length]))}`);
        await host.nextEvent(1000);
      }
      expect(await host.kill('SIGKILL')).toBe('SIGKILL');
      rx = await startReceiver(port);
      const restart = Date.now();
      host = await startHost(dataDir, {}, 180_000);
      console.log(`notify kill test: the host started again in ${Date.now() - restart} ms`);
      await rx.waitFor(3, 60_000);
      const ds = await (async () => {
        for (const deadline = Date.now() + 30_000; ; ) {
          const got = (await host.call('notify.deliveries', {})) as Delivery[];
          if (got.every((d) => d.state === 'delivered')) return got;
          if (Date.now() > deadline) throw new Error('not all delivered');
          await host.nextEvent(500);
        }
      })();
      expect(ds.map((d) => d.jobId).sort()).toEqual([...ids].sort());
      expect(rx.requests.map((r) => r.headers['idempotency-key']).sort()).toEqual(ds.map((d) => d.key).sort());
      expect(rx.duplicates()).toEqual([]);
    } finally {
      await host.kill('SIGTERM');
      await rx?.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 600_000);
});
