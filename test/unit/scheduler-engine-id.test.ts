// A template may name one engine by id (engineId; a remote one, say), not only a kind: the job runs there
// and nowhere else, and waits for that engine when it is down.
import { describe, expect, it } from 'vitest';
import { TemplateSpecChecked } from '../../src/shared/template';
import { FakeExecutor, harness } from '../support/fakes';

describe('scheduler: one engine by id', () => {
  it('runs on the engine named, not on another of its kind; waits for it while it is down', () => {
    const h = harness({ concurrency: 4 });
    const remote = new FakeExecutor('remote-a');
    h.engines.push({ id: 'remote-a', kind: 'docker', available: false, executor: remote });
    const j = h.add({ engineId: 'remote-a' });
    expect(h.liveRuns(j.id)).toHaveLength(0);
    expect(h.jobs.get(j.id)).toMatchObject({ status: 'pending', waitingFor: 'engine remote-a' });
    h.engines[2]!.available = true;
    h.scheduler.pump();
    expect(remote.runs.map((r) => r.req.jobId)).toEqual([j.id]);
    // A kind still means any engine of that kind.
    const k = h.add({ engine: 'docker' });
    expect(h.liveRuns(k.id)).toHaveLength(1);
  });

  it('the schema takes an engine id and refuses what cannot be one, in words', () => {
    expect(TemplateSpecChecked.safeParse({ name: 'e', image: 'busybox', engineId: 'remote-a' }).success).toBe(true);
    const bad = TemplateSpecChecked.safeParse({ name: 'e', image: 'busybox', engineId: 'Remote A' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.message).toBe('Engine id uses lowercase letters, digits and dashes, as engines.list shows it');
    // An id is not a kind: `engine` stays any, docker or podman.
    expect(TemplateSpecChecked.safeParse({ name: 'e', image: 'busybox', engine: 'remote-a' }).success).toBe(false);
  });
});
