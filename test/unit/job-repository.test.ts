import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobRepository } from '../../src/main/core/store/repository';
import { JobStore } from '../../src/main/core/store/jobStore';
import { jobHandlers } from '../../src/main/core/service/jobHandlers';
import { SECRET_MASK } from '../../src/shared/ipc';
import type { Job } from '../../src/shared/job';
import { JobFilter } from '../../src/shared/query';
import { harness, spec, storedJob } from '../support/fakes';
import { templateCore } from '../support/templateCore';
import { tempDirs } from '../support/tmp';

const tmp = tempDirs('jobdeck-repo-');

const attempt = { number: 1, index: 0, engineId: 'docker', status: 'running' as const, createdAt: '2026-01-01T00:00:00.000Z', logBytes: 0, logTruncated: false, artifacts: [] };

/** Assigns through a reference the store handed out, as code that edits a job in place would. */
function mutate(job: Job): void {
  (job as { priority: number }).priority = 1;
  (job.attempts[0] as { logBytes: number }).logBytes = 999;
}

describe('store: stored jobs cannot be changed from outside', () => {
  it('hands out frozen jobs (get, active, list, all) and freezes what it is given', async () => {
    const store = await JobStore.open({ dataDir: tmp() });
    const given = storedJob({ status: 'running', priority: 3, attempts: [attempt] });
    store.putJob(given);
    const handedOut = [given, store.getJob(given.id)!, store.activeJobs()[0]!, store.listJobs(JobFilter.parse({})).items[0]!, [...store.allJobs()][0]!];
    for (const j of handedOut) expect(() => mutate(j)).toThrow(TypeError);
    expect(store.getJob(given.id)?.priority).toBe(3);
    expect(store.getJob(given.id)?.attempts[0]?.logBytes).toBe(0);
    await store.close();
  });

  it('freezes jobs read back from disk too', async () => {
    const dir = tmp();
    const a = await JobStore.open({ dataDir: dir });
    const j = storedJob({ status: 'running', attempts: [attempt] });
    a.putJob(j);
    await a.close();
    const b = await JobStore.open({ dataDir: dir });
    expect(() => mutate(b.activeJobs()[0]!)).toThrow(TypeError);
    expect(b.getJob(j.id)?.attempts[0]?.logBytes).toBe(0);
    await b.close();
  });
});

describe('repository: one method persists, announces and wakes', () => {
  async function setup() {
    const store = await JobStore.open({ dataDir: tmp() });
    const announced: Job[] = [];
    let wakes = 0;
    const repo = new JobRepository(store, { announce: (j) => announced.push(j), wake: () => wakes++ });
    return { store, repo, announced, wakes: () => wakes };
  }

  it('saves, announces once and wakes; quiet skips the event, wake:false the wake', async () => {
    const { store, repo, announced, wakes } = await setup();
    const saved = repo.save(storedJob());
    expect(store.getJob(saved.id)).toBe(saved);
    expect(Object.isFrozen(saved)).toBe(true);
    expect(announced).toEqual([saved]);
    expect(wakes()).toBe(1);
    repo.save({ ...saved, priority: 1 }, { quiet: true, wake: false });
    expect(announced).toHaveLength(1);
    expect(wakes()).toBe(1);
    expect(store.getJob(saved.id)?.priority).toBe(1);
    await store.persist();
    await store.close();
  });

  it('update applies a change to the stored job and saves the result', async () => {
    const { store, repo, announced } = await setup();
    const j = repo.save(storedJob({ priority: 4 }));
    const next = repo.update(j.id, (cur) => ({ ...cur, priority: cur.priority - 1 }));
    expect(next?.priority).toBe(3);
    expect(store.getJob(j.id)?.priority).toBe(3);
    expect(announced.map((x) => x.priority)).toEqual([4, 3]);
    expect(repo.update('nope', (cur) => cur)).toBeUndefined();
    await store.close();
  });

  it('refuses an invalid job before anything is announced', async () => {
    const { store, repo, announced, wakes } = await setup();
    expect(() => repo.save({ ...storedJob(), priority: 9 })).toThrow(/refusing an invalid job/);
    expect(announced).toEqual([]);
    expect(wakes()).toBe(0);
    await store.close();
  });
});

describe('scheduler: the log size of a running attempt', () => {
  it('is saved as a new record, never written into the job object the repo handed out', async () => {
    const h = harness();
    const j = h.add();
    const run = h.liveRuns(j.id)[0]!;
    const before = h.job(j.id);
    expect(before.attempts[0]?.logBytes).toBe(0);
    run.sink.log('stdout', 'hello\n', new Date(h.clock.now()).toISOString());
    expect(before.attempts[0]?.logBytes).toBe(0);
    expect(h.job(j.id).attempts[0]?.logBytes).toBe(6);
    // At most once a second: the next chunk within the second is not saved yet…
    run.sink.log('stdout', 'more\n', new Date(h.clock.now()).toISOString());
    expect(h.job(j.id).attempts[0]?.logBytes).toBe(6);
    // …and the attempt's end records the final size.
    await h.finish(j.id, { reason: 'Completed' });
    expect(h.job(j.id).attempts[0]?.logBytes).toBe(11);
  });
});

describe('handlers: jobs are written through the repository', () => {
  it('jobs.create and jobs.reorder each announce the job once, secrets masked', async () => {
    const tc = await templateCore();
    try {
      tc.ctx.store.updateSettings({ queuePaused: true });
      const env = [{ name: 'TOKEN', value: 's3cr3t-value', secret: true }];
      const a = await tc.call('jobs.create', { spec: spec({ name: 'repo-a', env }) });
      const b = await tc.call('jobs.create', { spec: spec({ name: 'repo-b' }) });
      const updates = () => tc.events.filter((e) => e.name === 'job.updated').map((e) => e.payload as Job);
      expect(updates().map((j) => j.id)).toEqual([a.id, b.id]);
      expect(updates()[0]?.spec.env[0]?.value).toBe(SECRET_MASK);
      const moved = await jobHandlers(tc.ctx)['jobs.reorder']({ id: a.id, priority: 3, beforeId: b.id }, { clientId: 'test' });
      expect(updates().map((j) => j.id)).toEqual([a.id, b.id, a.id]);
      expect(updates()[2]?.seq).toBeLessThan(b.seq);
      expect(moved.spec.env[0]?.value).toBe(SECRET_MASK);
      expect(tc.ctx.store.getJob(a.id)?.seq).toBe(moved.seq);
    } finally {
      tc.ctx.store.updateSettings({ queuePaused: false });
      await tc.close();
    }
  });

  it('nothing outside the store calls putJob (the repository is the one writer)', () => {
    const root = join(__dirname, '../../src');
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.tsx?$/.test(name) && !p.includes(join('main', 'core', 'store')) && readFileSync(p, 'utf8').includes('.putJob(')) offenders.push(p);
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
  });
});
