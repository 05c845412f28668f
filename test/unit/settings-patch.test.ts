import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { applyPatch, patchOf } from '../../src/shared/patch';
import { Settings, SettingsPatch } from '../../src/shared/settings';
import { startCore, type TestCore } from '../support/core';

describe('patchOf / applyPatch', () => {
  const S = z
    .object({
      n: z.number().default(4),
      tags: z.array(z.string()).default(['a']),
      nested: z.object({ on: z.boolean().default(true), off: z.boolean().default(false) }).strict().default({ on: true, off: false }),
      days: z.number().optional(),
    })
    .strict();
  const P = patchOf(S);

  it('brings back no default for a key left out, at any depth', () => {
    expect(P.parse({})).toEqual({});
    expect(P.parse({ nested: { off: true } })).toEqual({ nested: { off: true } });
  });

  it('keeps the object strict', () => {
    expect(P.safeParse({ nope: 1 }).success).toBe(false);
    expect(P.safeParse({ nested: { nope: 1 } }).success).toBe(false);
  });

  it('merges nested objects, replaces arrays whole, and null removes an optional key', () => {
    const base = S.parse({ tags: ['x', 'y'], days: 3 });
    expect(applyPatch(S, base, P.parse({ nested: { off: true } }))).toEqual({ ...base, nested: { on: true, off: true } });
    expect(applyPatch(S, base, P.parse({ tags: ['z'] })).tags).toEqual(['z']);
    expect(applyPatch(S, base, P.parse({ days: null }))).not.toHaveProperty('days');
    // null is only for keys that may be absent: a defaulted key cannot be removed.
    expect(P.safeParse({ n: null }).success).toBe(false);
  });

  it('SettingsPatch of an empty object is empty (no defaults)', () => {
    expect(SettingsPatch.parse({})).toEqual({});
    expect(Settings.parse({})).toMatchObject({ queuePaused: false, engines: [] });
  });
});

// Through the real core and its handlers (no engine answers here: the socket does not exist).
describe('settings.update through the core', () => {
  let t: TestCore | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('changes only the keys it names: engines and a paused queue survive a save', async () => {
    t = await startCore({ kind: 'docker', host: 'unix:///tmp/jobdeck-no-engine-here.sock' });
    await t.call('engines.add', { id: 'remote-a', kind: 'docker', host: 'tcp://127.0.0.1:1' });
    await t.call('queue.pause', {});
    const next = await t.call('settings.update', { concurrency: 2 });
    expect(next.concurrency).toBe(2);
    expect(next.engines.map((e) => e.id)).toEqual(['remote-a']);
    expect(next.queuePaused).toBe(true);
    expect((await t.call('queue.state', {})).paused).toBe(true);

    await t.call('settings.update', { notifications: { enabled: false } });
    const nested = await t.call('settings.update', { notifications: { muteSuccess: true } });
    expect(nested.notifications).toEqual({ enabled: false, muteSuccess: true });
    expect(nested.engines).toHaveLength(1);
  });

  it('clears an optional value with null and keeps its siblings', async () => {
    t = await startCore({ kind: 'docker', host: 'unix:///tmp/jobdeck-no-engine-here.sock' });
    await t.call('settings.update', { retention: { days: 7, statuses: ['failed'] } });
    const cleared = await t.call('settings.update', { retention: { days: null } });
    expect(cleared.retention).toEqual({ statuses: ['failed'] });
  });
});
