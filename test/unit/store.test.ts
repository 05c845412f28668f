import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { JobStore } from '../../src/main/core/store/jobStore';
import { MIGRATIONS, NewerSchemaError } from '../../src/main/core/store/schema';
import { type FileWriter } from '../../src/main/core/store/writes';
import { type StoreProblem } from '../../src/main/core/store/files';
import type { Job } from '../../src/shared/job';
import { JobFilter } from '../../src/shared/query';
import { spec, storedJob } from '../support/fakes';
import { fakeStoreTime, passTime, watchedWriter } from '../support/storeTime';
import { tempDirs } from '../support/tmp';

const tmp = tempDirs('jobdeck-store-');
const readJson = <T>(file: string) => JSON.parse(readFileSync(file, 'utf8')) as T;

const job = storedJob;
const done = (i: number, over: Partial<Job> = {}) =>
  job({ status: 'completed', reason: 'Completed', finishedAt: new Date(Date.UTC(2026, 0, 2, 0, 0, i)).toISOString(), ...over });

describe('store: persistence', () => {
  it('keeps templates, jobs, settings, seq, cron runs and the instance id across a reopen', async () => {
    const dir = tmp();
    const a = await JobStore.open({ dataDir: dir });
    const j = job();
    a.putJob(j);
    a.updateSettings({ concurrency: 7 });
    a.putTemplate({ ...spec({ name: 'kept' }), id: 't1', createdAt: 'x', updatedAt: 'y' });
    expect([a.nextSeq(), a.nextSeq()]).toEqual([1, 2]);
    a.setCronLastRun('t1', '2026-01-01T00:00:00.000Z');
    const id = a.instanceId;
    await a.close();
    const b = await JobStore.open({ dataDir: dir });
    expect(b.getJob(j.id)).toEqual(j);
    expect(b.settings().concurrency).toBe(7);
    expect(b.settings().stopGraceSeconds).toBe(10); // defaults kept beside the patch
    expect(b.getTemplate('t1')?.name).toBe('kept');
    expect(b.instanceId).toBe(id);
    expect(b.nextSeq()).toBe(3);
    expect(b.cronLastRun('t1')).toBe('2026-01-01T00:00:00.000Z');
    expect(b.deleteTemplate('t1')).toBe(true);
    expect(b.deleteTemplate('t1')).toBe(false);
    await b.close();
  });

  it('writes a fresh store at once, so the instance id is the same even if the app never changes anything', async () => {
    const dir = tmp();
    const a = await JobStore.open({ dataDir: dir });
    const id = a.instanceId;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    // No close: as after a crash.
    const b = await JobStore.open({ dataDir: dir });
    expect(b.instanceId).toBe(id);
  });

  it('coalesces a burst of 1,000 changes into at most 2 whole-file writes', async () => {
    fakeStoreTime();
    const writer = watchedWriter();
    const s = await JobStore.open({ dataDir: tmp(), writeDelayMs: 50, writer });
    const before = s.writes;
    for (let i = 0; i < 1000; i++) s.putJob(job());
    await passTime(writer, 200);
    expect(s.writes - before).toBeGreaterThanOrEqual(1);
    expect(s.writes - before).toBeLessThanOrEqual(2);
    await s.close();
  });

  it('writes at most once per writeDelayMs under a steady stream of changes', async () => {
    fakeStoreTime();
    const writer = watchedWriter();
    const s = await JobStore.open({ dataDir: tmp(), writeDelayMs: 40, writer });
    const before = s.writes;
    const start = Date.now();
    while (Date.now() - start < 400) {
      s.putJob(job());
      await passTime(writer, 2, 1);
    }
    await s.close();
    const elapsed = Date.now() - start;
    expect(s.writes - before).toBeLessThanOrEqual(Math.ceil(elapsed / 40) + 1);
  });

  it('writes atomically through a temp file and rename: the file always parses, no temp file is left', async () => {
    const dir = tmp();
    fakeStoreTime();
    const s = await JobStore.open({ dataDir: dir, writeDelayMs: 1 });
    for (let i = 0; i < 50; i++) {
      s.putJob(job());
      // The write this starts is not waited for: the file is read wherever that write has got to.
      await vi.advanceTimersByTimeAsync(2);
      await new Promise((r) => setImmediate(r));
      expect(() => JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'))).not.toThrow();
    }
    await s.close();
    expect(readdirSync(dir).sort()).toEqual(['state.json']);
  });

  it('parses every object on load: defaults are filled in', async () => {
    const dir = tmp();
    const a = await JobStore.open({ dataDir: dir });
    const j = job();
    a.putJob(j);
    await a.close();
    const raw = readJson<{ jobs: Record<string, unknown>[] }>(join(dir, 'state.json'));
    delete raw.jobs[0]!.failures; // a field with a default, as an older writer might have left it out
    writeFileSync(join(dir, 'state.json'), JSON.stringify(raw));
    const b = await JobStore.open({ dataDir: dir });
    expect(b.getJob(j.id)?.failures).toBe(0);
  });

  it('refuses to store an invalid object (it would cost the whole file at the next start)', async () => {
    const s = await JobStore.open({ dataDir: tmp() });
    expect(() => s.putJob({ ...job(), priority: 9 })).toThrow(/invalid job/);
    expect(() => s.putTemplate({ ...spec({ name: 'x' }), id: '', createdAt: 'x', updatedAt: 'y' })).toThrow(/invalid template/);
  });
});

describe('store: hot file and history', () => {
  it('keeps the hot file small: old finished jobs move to history.json in batches, active jobs never do', async () => {
    const dir = tmp();
    const s = await JobStore.open({ dataDir: dir, recentFinished: 10 });
    s.putJob(job({ status: 'running' }));
    for (let i = 0; i < 20; i++) s.putJob(done(i));
    await s.flush();
    // Up to twice the window stays hot, so history is not rewritten for every finished job.
    expect(existsSync(join(dir, 'history.json'))).toBe(false);
    const w = s.writes;
    s.putJob(done(20)); // the 21st finished: spill down to 10
    await s.flush();
    expect(s.writes - w).toBe(2);
    const hot = readJson<{ jobs: Job[] }>(join(dir, 'state.json'));
    const cold = readJson<{ jobs: Job[] }>(join(dir, 'history.json'));
    expect(hot.jobs).toHaveLength(11);
    expect(hot.jobs.some((j) => j.status === 'running')).toBe(true);
    expect(cold.jobs).toHaveLength(11);
    // The oldest by finishedAt went cold.
    expect(Math.max(...cold.jobs.map((j) => Date.parse(j.finishedAt!)))).toBeLessThan(
      Math.min(...hot.jobs.filter((j) => j.finishedAt).map((j) => Date.parse(j.finishedAt!))),
    );
    // A change to a hot job rewrites only state.json.
    const w2 = s.writes;
    s.putJob({ ...hot.jobs[0]!, message: 'touched' });
    await s.flush();
    expect(s.writes - w2).toBe(1);
    await s.close();
    const again = await JobStore.open({ dataDir: dir, recentFinished: 10 });
    expect([...again.allJobs()]).toHaveLength(22);
    expect(again.activeJobs()).toHaveLength(1);
  });

  it('updates, retries and removals of history jobs land in history.json', async () => {
    const dir = tmp();
    const s = await JobStore.open({ dataDir: dir, recentFinished: 2 });
    const jobs = Array.from({ length: 5 }, (_, i) => done(i));
    for (const j of jobs) s.putJob(j);
    await s.flush();
    const oldest = jobs[0]!;
    expect(readJson<{ jobs: Job[] }>(join(dir, 'history.json')).jobs.map((j) => j.id)).toContain(oldest.id);
    s.putJob({ ...oldest, message: 'note' });
    s.removeJobs([jobs[1]!.id]);
    await s.flush();
    const cold = readJson<{ jobs: Job[] }>(join(dir, 'history.json')).jobs;
    expect(cold.find((j) => j.id === oldest.id)?.message).toBe('note');
    expect(cold.some((j) => j.id === jobs[1]!.id)).toBe(false);
    // A retry brings it back to the hot file.
    s.putJob({ ...oldest, status: 'pending', finishedAt: undefined });
    await s.close();
    expect(readJson<{ jobs: Job[] }>(join(dir, 'history.json')).jobs.some((j) => j.id === oldest.id)).toBe(false);
    const again = await JobStore.open({ dataDir: dir, recentFinished: 2 });
    expect(again.activeJobs().map((j) => j.id)).toEqual([oldest.id]);
    expect([...again.allJobs()]).toHaveLength(4);
  });

  it('a job found in both files (a crash between the two writes) is read once, the hot copy winning', async () => {
    const dir = tmp();
    const a = await JobStore.open({ dataDir: dir });
    const j = done(1);
    a.putJob(j);
    await a.close();
    writeFileSync(join(dir, 'history.json'), JSON.stringify({ schemaVersion: 1, jobs: [{ ...j, message: 'old copy' }] }));
    const b = await JobStore.open({ dataDir: dir });
    expect([...b.allJobs()]).toHaveLength(1);
    expect(b.getJob(j.id)?.message).toBeUndefined();
    await b.close();
    expect(readJson<{ jobs: Job[] }>(join(dir, 'history.json')).jobs).toEqual([]);
  });
});

describe('store: a damaged file is set aside, never wiped', () => {
  it.each([
    ['truncated', (good: string) => good.slice(0, Math.floor(good.length / 2))],
    ['empty', () => ''],
    ['garbage', () => '\u0000\u0001binary garbage'],
    ['null', () => 'null'],
    ['an array', () => '[]'],
    ['wrong schema', () => JSON.stringify({ schemaVersion: 1, jobs: 'not a list' })],
    ['no version', (good: string) => JSON.stringify({ ...(JSON.parse(good) as object), schemaVersion: undefined })],
  ])('%s state.json: quarantined under a name that says so; the store starts empty and says so', async (_name, damage) => {
    const dir = tmp();
    const a = await JobStore.open({ dataDir: dir });
    a.putJob(job());
    const id = a.instanceId;
    await a.close();
    const bad = damage(readFileSync(join(dir, 'state.json'), 'utf8'));
    writeFileSync(join(dir, 'state.json'), bad);
    const problems: StoreProblem[] = [];
    const b = await JobStore.open({ dataDir: dir, onError: (p) => problems.push(p) });
    expect([...b.allJobs()]).toHaveLength(0);
    expect(b.instanceId).not.toBe(id);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.file).toMatch(/state\.corrupt-[0-9TZ-]+\.json$/);
    expect(problems[0]!.message).toContain(`moved to ${problems[0]!.file}`);
    expect(readFileSync(problems[0]!.file!, 'utf8')).toBe(bad);
    expect(b.problems).toEqual(problems);
    // The fresh file is written at once and reads back cleanly.
    expect(readJson<{ schemaVersion: number }>(join(dir, 'state.json')).schemaVersion).toBe(1);
    await b.close();
    const problems2: StoreProblem[] = [];
    await JobStore.open({ dataDir: dir, onError: (p) => problems2.push(p) });
    expect(problems2).toEqual([]);
  });

  it('a damaged history.json is set aside on its own; the hot file is kept', async () => {
    const dir = tmp();
    const a = await JobStore.open({ dataDir: dir, recentFinished: 1 });
    const active = job({ status: 'running' });
    a.putJob(active);
    for (let i = 0; i < 3; i++) a.putJob(done(i));
    await a.close();
    writeFileSync(join(dir, 'history.json'), '{"schemaVersion":1,"jobs":[{"id":');
    const problems: StoreProblem[] = [];
    const b = await JobStore.open({ dataDir: dir, recentFinished: 1, onError: (p) => problems.push(p) });
    expect(problems.map((p) => p.file)).toEqual([expect.stringMatching(/history\.corrupt-.*\.json$/)]);
    expect(b.getJob(active.id)?.status).toBe('running');
    expect([...b.allJobs()]).toHaveLength(2);
  });

  it('two quarantines of the same name never overwrite each other', async () => {
    const dir = tmp();
    const moved: string[] = [];
    for (let i = 0; i < 3; i++) {
      writeFileSync(join(dir, 'state.json'), `garbage ${i}`);
      await JobStore.open({ dataDir: dir, onError: (p) => moved.push(p.file!) });
    }
    expect(new Set(moved).size).toBe(3);
    expect(moved.map((f) => readFileSync(f, 'utf8')).sort()).toEqual(['garbage 0', 'garbage 1', 'garbage 2']);
  });

  it.each(['state.json', 'history.json'])('refuses a %s from a newer Jobdeck with a clear error and leaves both files untouched', async (name) => {
    const dir = tmp();
    const a = await JobStore.open({ dataDir: dir });
    a.putJob(job());
    await a.close();
    const future = JSON.stringify({ schemaVersion: 99, whatever: true });
    writeFileSync(join(dir, name), future);
    const before = readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]);
    const opening = JobStore.open({ dataDir: dir });
    await expect(opening).rejects.toThrow(NewerSchemaError);
    await expect(opening).rejects.toThrow(/newer Jobdeck \(schema version 99; this one reads up to 1\)/);
    expect(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')])).toEqual(before);
  });

  it('applies migrations from an older schema version on load', async () => {
    const dir = tmp();
    const a = await JobStore.open({ dataDir: dir });
    const j = job();
    a.putJob(j);
    await a.close();
    // A pretend version 0 that called the job list `items`.
    const v1 = readJson<Record<string, unknown>>(join(dir, 'state.json'));
    const { jobs, ...rest } = v1;
    writeFileSync(join(dir, 'state.json'), JSON.stringify({ ...rest, schemaVersion: 0, items: jobs }));
    MIGRATIONS[0] = ({ items, ...raw }) => ({ ...raw, jobs: items });
    try {
      const b = await JobStore.open({ dataDir: dir });
      expect(b.getJob(j.id)).toEqual(j);
      await b.close();
      // Written back at once in the new shape; the old file is kept beside it.
      expect(readJson<{ schemaVersion: number }>(join(dir, 'state.json')).schemaVersion).toBe(1);
      expect(readJson<{ schemaVersion: number }>(join(dir, 'state.v0.backup.json')).schemaVersion).toBe(0);
    } finally {
      delete MIGRATIONS[0];
    }
  });

  it('a version with no migration path is quarantined, not guessed at', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'state.json'), JSON.stringify({ schemaVersion: 0 }));
    const problems: StoreProblem[] = [];
    await JobStore.open({ dataDir: dir, onError: (p) => problems.push(p) });
    expect(problems[0]?.message).toMatch(/could not be migrated/);
  });
});

describe('store: a failed write', () => {
  async function failAndRecover(dir: string, s: JobStore, problems: StoreProblem[], breakIt: () => void, fixIt: () => void) {
    const first = job();
    s.putJob(first);
    await s.flush();
    const lastGood = readFileSync(join(dir, 'state.json'), 'utf8');
    breakIt();
    const second = job();
    s.putJob(second);
    await s.flush();
    expect(problems.at(-1)?.message).toMatch(/could not save the store \(.*state\.json\): .+ Changes are kept in memory/);
    expect(readFileSync(join(dir, 'state.json'), 'utf8')).toBe(lastGood);
    expect(s.getJob(second.id)).toBeDefined();
    fixIt();
    s.putJob({ ...first, priority: 1 }); // the next change retries, with everything
    await s.flush();
    const reopened = await JobStore.open({ dataDir: dir });
    expect(reopened.getJob(second.id)).toBeDefined();
    expect(reopened.getJob(first.id)?.priority).toBe(1);
  }

  it('(the temp file cannot be made) is reported; memory and the last good file stay; the next change saves', async () => {
    const dir = tmp();
    const problems: StoreProblem[] = [];
    const s = await JobStore.open({ dataDir: dir, writeDelayMs: 1, onError: (p) => problems.push(p) });
    // steno writes `.state.json.tmp` and renames it: a directory there makes the write fail.
    const blocker = join(dir, '.state.json.tmp');
    await failAndRecover(dir, s, problems, () => mkdirSync(blocker), () => rmSync(blocker, { recursive: true }));
  });

  it('(the disk is full) through an injected writer', async () => {
    const dir = tmp();
    const problems: StoreProblem[] = [];
    let full = false;
    const real = await JobStore.open({ dataDir: dir }); // makes the first file
    await real.close();
    const { writeFileSync: write } = await import('node:fs');
    const writer: FileWriter = {
      async write(file, data) {
        if (full) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        write(file, JSON.stringify(data));
      },
    };
    const s = await JobStore.open({ dataDir: dir, writeDelayMs: 1, writer, onError: (p) => problems.push(p) });
    await failAndRecover(dir, s, problems, () => (full = true), () => (full = false));
    expect(problems.at(-2)?.message ?? problems.at(-1)?.message).toMatch(/ENOSPC/);
  });

  it('(the target path is a directory) is reported once per attempt, never thrown', async () => {
    const dir = tmp();
    const problems: StoreProblem[] = [];
    rmSync(dir, { recursive: true });
    mkdirSync(join(dir, 'history.json'), { recursive: true }); // unreadable history: refuse, clearly
    await expect(JobStore.open({ dataDir: dir })).rejects.toThrow(/history\.json could not be read/);
    rmSync(join(dir, 'history.json'), { recursive: true });
    const s = await JobStore.open({ dataDir: dir, writeDelayMs: 1, recentFinished: 1, onError: (p) => problems.push(p) });
    mkdirSync(join(dir, 'history.json'));
    for (let i = 0; i < 3; i++) s.putJob(done(i));
    await s.flush(); // steno retries the rename for about a second before giving up
    expect(problems).toHaveLength(1);
    expect(problems[0]!.file).toBe(join(dir, 'history.json'));
    expect([...s.allJobs()]).toHaveLength(3);
  }, 10_000);
});

describe('store: queries', () => {
  const attempt = (engineId: string) => ({ number: 1, index: 0, engineId, status: 'failed' as const, createdAt: 'x', logBytes: 0, logTruncated: false, artifacts: [] });

  it('filters by status, template, engine, time and text; sorts (duration too); pages', async () => {
    const s = await JobStore.open({ dataDir: tmp() });
    const mk = (i: number, over: Partial<Job>) =>
      job({
        createdAt: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
        startedAt: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
        finishedAt: new Date(Date.UTC(2026, 0, 1 + i) + (10 - i) * 1000).toISOString(),
        ...over,
      });
    const jobs = [
      mk(1, { status: 'completed', templateName: 'alpha', templateId: 'ta' }),
      mk(2, { status: 'failed', templateName: 'beta', message: 'disk full', attempts: [attempt('docker'), { ...attempt('podman'), number: 2 }] }),
      mk(3, { status: 'completed', templateName: 'alpha', templateId: 'ta', spec: spec({ name: 'alpha', image: 'registry/ImageX:1' }) }),
      mk(4, { status: 'running', templateName: 'gamma', finishedAt: undefined }),
    ];
    for (const j of jobs) s.putJob(j);
    const ids = (f: Partial<JobFilter>) => s.listJobs(JobFilter.parse(f)).items.map((j) => j.id);
    const [a, b, c, d] = jobs.map((j) => j.id);
    expect(ids({ status: ['completed'] })).toEqual([c, a]);
    expect(ids({ status: ['completed', 'running'], order: 'asc' })).toEqual([a, c, d]);
    expect(ids({ templateId: 'ta', order: 'asc' })).toEqual([a, c]);
    expect(ids({ templateName: 'gamma' })).toEqual([d]);
    expect(ids({ engineId: 'podman' })).toEqual([b]); // any attempt's engine
    expect(ids({ engineId: 'docker' })).toEqual([b]);
    expect(ids({ text: 'DISK' })).toEqual([b]);
    expect(ids({ text: 'imagex' })).toEqual([c]);
    expect(ids({ text: jobs[3]!.id })).toEqual([d]);
    expect(ids({ from: '2026-01-03T00:00:00Z', to: '2026-01-04T23:00:00+02:00' })).toEqual([c, b]);
    expect(ids({ from: '2026-01-04T00:00:00.001Z' })).toEqual([d]);
    expect(ids({ sort: 'duration', order: 'desc' })).toEqual([a, b, c, d]); // 9 s, 8 s, 7 s, unfinished
    expect(ids({ sort: 'finishedAt', order: 'asc' })).toEqual([d, a, b, c]);
    expect(ids({ sort: 'priority', order: 'asc' })).toEqual([a, b, c, d]); // ties in FIFO order
    const page = s.listJobs(JobFilter.parse({ limit: 2, offset: 2, order: 'asc' }));
    expect(page.total).toBe(4);
    expect(page.items.map((j) => j.id)).toEqual([c, d]);
    expect(s.activeJobs().map((j) => j.id)).toEqual([d]);
    expect(s.removeJobs([a!, 'nope', a!])).toBe(1);
    expect(s.listJobs(JobFilter.parse({})).total).toBe(3);
  });
});
