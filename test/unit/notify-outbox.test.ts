// The outbox: written before the send, retried with exponential backoff on a fake clock, and
// read back after a restart; the delivery log per job and per channel.
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Delivery } from '../../src/shared/notify';
import { backoffMs, Outbox, type SendResult } from '../../src/main/core/notify/outbox';
import { FakeClock } from '../support/fakes';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jobdeck-outbox-'));
  file = join(dir, 'notify', 'outbox.jsonl');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const delivery = (key: string, extra: Partial<Delivery> = {}): Delivery => ({
  key,
  channelId: 'hook',
  channelName: 'Hook',
  channelKind: 'webhook',
  jobId: 'j1',
  ruleId: 'r1',
  event: 'failure',
  createdAt: new Date(Date.parse('2026-01-01T00:00:00Z')).toISOString(),
  state: 'pending',
  attempts: [],
  payload: { version: 1, event: 'failure', ruleId: 'r1', idempotencyKey: key, at: '2026-01-01T00:00:00.000Z', summary: 'x failed' },
  ...extra,
});

/** A receiver the test answers by hand: each call waits on the next result given. */
function scripted(results: SendResult[]) {
  const calls: { key: string; at: number }[] = [];
  return { calls, send: (clock: FakeClock) => async (d: Delivery) => (calls.push({ key: d.payload.idempotencyKey, at: clock.now() }), results.shift() ?? { ok: true, statusCode: 200 }) };
}

const settle = () => new Promise((r) => setImmediate(r));
async function advance(clock: FakeClock, ms: number) {
  clock.advance(ms);
  await settle();
}

describe('backoff', () => {
  it('doubles from the base up to the cap', () => {
    const b = { baseMs: 1000, capMs: 10_000, maxAttempts: 10 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, b))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });
});

describe('outbox', () => {
  it('writes the delivery before sending it, then its try', async () => {
    const clock = new FakeClock();
    let seenOnDisk = '';
    const box = Outbox.open({ file, clock, send: async () => ((seenOnDisk = readFileSync(file, 'utf8')), { ok: true, statusCode: 204 }) });
    box.enqueue(delivery('k1'));
    await advance(clock, 0);
    expect(seenOnDisk).toContain('"key":"k1"');
    expect(box.get('k1')).toMatchObject({ state: 'delivered', attempts: [{ attempt: 1, ok: true, statusCode: 204 }] });
    await box.close();
  });

  it('retries with exponential backoff, the same key on every try, until delivered', async () => {
    const clock = new FakeClock();
    const r = scripted([{ ok: false, statusCode: 500, error: 'HTTP 500' }, { ok: false, error: 'refused' }, { ok: false, error: 'no answer within 100 ms' }]);
    const box = Outbox.open({ file, clock, send: r.send(clock), backoff: { baseMs: 1000, capMs: 60_000, maxAttempts: 10 } });
    const t0 = clock.now();
    box.enqueue(delivery('k1'));
    await advance(clock, 0);
    await advance(clock, 999);
    expect(r.calls).toHaveLength(1);
    await advance(clock, 1);
    await advance(clock, 2000);
    await advance(clock, 4000);
    expect(r.calls.map((c) => c.at - t0)).toEqual([0, 1000, 3000, 7000]);
    expect(new Set(r.calls.map((c) => c.key))).toEqual(new Set(['k1']));
    const d = box.get('k1')!;
    expect(d.state).toBe('delivered');
    expect(d.attempts.map((a) => [a.attempt, a.ok, a.statusCode ?? a.error])).toEqual([
      [1, false, 500],
      [2, false, 'refused'],
      [3, false, 'no answer within 100 ms'],
      [4, true, 200],
    ]);
    await box.close();
  });

  it('gives up after the most tries, or at once on a permanent refusal', async () => {
    const clock = new FakeClock();
    const r = scripted([{ ok: false, error: 'a' }, { ok: false, error: 'b' }, { ok: false, statusCode: 404, error: 'HTTP 404', permanent: true }]);
    const box = Outbox.open({ file, clock, send: r.send(clock), backoff: { baseMs: 10, capMs: 10, maxAttempts: 2 } });
    box.enqueue(delivery('k1'));
    await advance(clock, 0);
    await advance(clock, 10);
    await advance(clock, 1000);
    expect(box.get('k1')).toMatchObject({ state: 'failed', attempts: [{ error: 'a' }, { error: 'b' }] });
    box.enqueue(delivery('k2'));
    await advance(clock, 0);
    expect(box.get('k2')).toMatchObject({ state: 'failed', attempts: [{ statusCode: 404 }] });
    expect(r.calls).toHaveLength(3);
    await box.close();
  });

  it('a key already queued is not queued again', async () => {
    const clock = new FakeClock();
    const r = scripted([]);
    const box = Outbox.open({ file, clock, send: r.send(clock) });
    box.enqueue(delivery('k1'));
    box.enqueue(delivery('k1'));
    await advance(clock, 0);
    box.enqueue(delivery('k1'));
    await advance(clock, 0);
    expect(r.calls).toHaveLength(1);
    await box.close();
  });

  it('after a restart sends what was pending (its tries counted), not what was delivered; a torn last line is skipped', async () => {
    const clock = new FakeClock();
    const first = scripted([{ ok: false, statusCode: 503, error: 'HTTP 503' }]);
    const box = Outbox.open({ file, clock, send: first.send(clock), backoff: { baseMs: 60_000, capMs: 60_000, maxAttempts: 10 } });
    box.enqueue(delivery('pending-1'));
    box.enqueue(delivery('done', { jobId: 'j2' }));
    await advance(clock, 0);
    // The process dies here: no close. One more delivery was being written when it did.
    appendFileSync(file, '{"op":"enqueue","delivery":{"key":"tor');
    const again = scripted([{ ok: true, statusCode: 200 }]);
    const errors: string[] = [];
    const box2 = Outbox.open({ file, clock, send: again.send(clock), onError: (m) => errors.push(m), backoff: { baseMs: 60_000, capMs: 60_000, maxAttempts: 10 } });
    expect(box2.pendingCount()).toBe(1);
    await advance(clock, 60_000);
    expect(again.calls.map((c) => c.key)).toEqual(['pending-1']);
    expect(box2.get('pending-1')!.attempts.map((a) => a.attempt)).toEqual([1, 2]);
    expect(errors).toEqual([]);
    await box.close();
    await box2.close();
    // Compacted at open: one line per delivery kept.
    const box3 = Outbox.open({ file, clock, send: scripted([]).send(clock) });
    expect(box3.list().map((d) => [d.key, d.state])).toEqual(expect.arrayContaining([['pending-1', 'delivered'], ['done', 'delivered']]));
    await box3.close();
  });

  it('lists the log per job and per channel', async () => {
    const clock = new FakeClock();
    const box = Outbox.open({ file, clock, send: scripted([]).send(clock) });
    box.enqueue(delivery('a', { jobId: 'j1', channelId: 'hook' }));
    box.enqueue(delivery('b', { jobId: 'j2', channelId: 'hook' }));
    box.enqueue(delivery('c', { jobId: 'j1', channelId: 'mail' }));
    expect(box.list({ jobId: 'j1' }).map((d) => d.key).sort()).toEqual(['a', 'c']);
    expect(box.list({ channelId: 'hook' }).map((d) => d.key).sort()).toEqual(['a', 'b']);
    await box.close();
  });
});
