import { describe, expect, it } from 'vitest';
import { OutageSweeps } from '../../src/main/core/outageSweeps';

// An engine back after an outage takes no new attempt until its lost attempts' containers are
// gone (CI saw a retry complete on Podman while the sweep was still removing the lost container,
// and the container outlive the job); a sweep that could not look is tried again at the next probe.
describe('outage sweeps', () => {
  const setup = (results: boolean[]) => {
    const calls: string[] = [];
    const pending: ((ok: boolean) => void)[] = [];
    const swept: string[] = [];
    const sweeps = new OutageSweeps(
      (id) => {
        calls.push(id);
        return new Promise<boolean>((resolve) => pending.push(resolve));
      },
      (id) => swept.push(id),
    );
    const finish = async () => {
      pending.shift()!(results.shift()!);
      await new Promise((r) => setImmediate(r));
    };
    return { sweeps, calls, swept, finish };
  };

  it('holds the engine until the sweep has removed what was lost, then lets it take work', async () => {
    const t = setup([true]);
    t.sweeps.back('podman');
    expect(t.sweeps.holds('podman')).toBe(true);
    expect(t.sweeps.holds('docker')).toBe(false);
    // A probe meanwhile starts no second sweep.
    t.sweeps.back('podman');
    expect(t.calls).toEqual(['podman']);
    await t.finish();
    expect(t.sweeps.holds('podman')).toBe(false);
    expect(t.swept).toEqual(['podman']);
  });

  it('a probe that came while a sweep that could not look was running: it looks again at once', async () => {
    const t = setup([false, true]);
    t.sweeps.back('podman');
    t.sweeps.back('podman');
    expect(t.calls).toEqual(['podman']);
    await t.finish();
    expect(t.calls).toEqual(['podman', 'podman']);
    await t.finish();
    expect(t.sweeps.holds('podman')).toBe(false);
    expect(t.swept).toEqual(['podman']);
  });

  it('keeps holding when the sweep could not look, and sweeps again at the next probe', async () => {
    const t = setup([false, true]);
    t.sweeps.back('podman');
    await t.finish();
    expect(t.sweeps.holds('podman')).toBe(true);
    expect(t.swept).toEqual([]);
    t.sweeps.back('podman');
    expect(t.calls).toEqual(['podman', 'podman']);
    await t.finish();
    expect(t.sweeps.holds('podman')).toBe(false);
    expect(t.swept).toEqual(['podman']);
  });
});
