import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobStore } from '../../src/main/core/store/jobStore';
import { type FileWriter } from '../../src/main/core/store/writes';
import { type StoreProblem } from '../../src/main/core/store/files';
import type { Job } from '../../src/shared/job';
import { spec, storedJob } from '../support/fakes';
import { tempDirs } from '../support/tmp';

// History at scale: history split over files of a bounded size, and history records checked
// cheaply at open and in full when first read (or by the background check soon after).

const tmp = tempDirs('jobdeck-store-history-');
const readJson = <T>(file: string) => JSON.parse(readFileSync(file, 'utf8')) as T;
/** history.json, history-1.json, history-2.json, … in that order. */
const historyFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => /^history(-\d+)?\.json$/.test(f))
    .sort((a, b) => Number(/\d+/.exec(a)?.[0] ?? 0) - Number(/\d+/.exec(b)?.[0] ?? 0));

/** A finished job, a day after its creation. */
function done(over: Partial<Job> = {}): Job {
  const j = storedJob({ status: 'completed', reason: 'Completed', ...over });
  return { finishedAt: new Date(Date.parse(j.createdAt) + 86_400_000).toISOString(), ...j, ...over };
}

/** A store whose history.json holds `jobs` (one of them possibly bad), as a previous run left it. */
async function withHistory(jobs: unknown[]): Promise<string> {
  const dir = tmp();
  const s = await JobStore.open({ dataDir: dir });
  await s.close();
  writeFileSync(join(dir, 'history.json'), JSON.stringify({ schemaVersion: 1, jobs }));
  return dir;
}

describe('store: history in files of a bounded size', () => {
  it('spills into history.json, history-1.json, … of at most historyFileJobs each; a reopen reads them all', async () => {
    const dir = tmp();
    const s = await JobStore.open({ dataDir: dir, recentFinished: 2, historyFileJobs: 3 });
    const jobs = Array.from({ length: 12 }, () => done());
    for (const j of jobs) s.putJob(j);
    await s.close();
    const files = historyFiles(dir);
    expect(files.length).toBeGreaterThanOrEqual(3);
    let cold = 0;
    for (const f of files) {
      const k = readJson<{ jobs: Job[] }>(join(dir, f)).jobs.length;
      expect(k).toBeLessThanOrEqual(3);
      cold += k;
    }
    expect(cold + readJson<{ jobs: Job[] }>(join(dir, 'state.json')).jobs.length).toBe(12);
    const again = await JobStore.open({ dataDir: dir, recentFinished: 2, historyFileJobs: 3 });
    for (const j of jobs) expect(again.getJob(j.id)).toEqual(j);
    // Emptied history files other than history.json are removed.
    const inLast = readJson<{ jobs: Job[] }>(join(dir, files.at(-1)!)).jobs.map((j) => j.id);
    again.removeJobs(inLast);
    await again.close();
    expect(historyFiles(dir)).not.toContain(files.at(-1));
    expect([...(await JobStore.open({ dataDir: dir })).allJobs()]).toHaveLength(12 - inLast.length);
  });

  it('only the history file that changed is rewritten', async () => {
    const dir = tmp();
    const s = await JobStore.open({ dataDir: dir, recentFinished: 1, historyFileJobs: 2 });
    const jobs = Array.from({ length: 8 }, () => done());
    for (const j of jobs) s.putJob(j);
    await s.flush();
    const first = readJson<{ jobs: Job[] }>(join(dir, 'history.json')).jobs[0]!;
    const w = s.writes;
    s.putJob({ ...first, message: 'noted' });
    await s.flush();
    expect(s.writes - w).toBe(2); // history.json and state.json, not the others
    expect(readJson<{ jobs: Job[] }>(join(dir, 'history.json')).jobs[0]!.message).toBe('noted');
  });

  it('a history.json over the limit (from before it) is split after open, every job kept', async () => {
    const jobs = Array.from({ length: 7 }, () => done());
    const dir = await withHistory(jobs);
    const s = await JobStore.open({ dataDir: dir, historyFileJobs: 3 });
    await s.close();
    expect(historyFiles(dir)).toEqual(['history.json', 'history-1.json', 'history-2.json']);
    const again = await JobStore.open({ dataDir: dir, historyFileJobs: 3 });
    expect([...again.allJobs()].map((j) => j.id).sort()).toEqual(jobs.map((j) => j.id).sort());
  });

  it('a job found in two history files (a crash during a split) is read once', async () => {
    const j = done();
    const dir = await withHistory([j]);
    writeFileSync(join(dir, 'history-1.json'), JSON.stringify({ schemaVersion: 1, jobs: [j, done()] }));
    const s = await JobStore.open({ dataDir: dir });
    expect([...s.allJobs()]).toHaveLength(2);
    await s.close();
    const ids = historyFiles(dir).flatMap((f) => readJson<{ jobs: Job[] }>(join(dir, f)).jobs.map((x) => x.id));
    expect(ids.filter((id) => id === j.id)).toHaveLength(1);
  });

  it('a job removed from history stays removed across a crash before its history file is rewritten', async () => {
    const dir = tmp();
    const jobs = Array.from({ length: 6 }, () => done());
    const seed = await JobStore.open({ dataDir: dir, recentFinished: 1 });
    for (const j of jobs) seed.putJob(j);
    await seed.close();
    const cold = readJson<{ jobs: Job[] }>(join(dir, 'history.json')).jobs.map((j) => j.id);
    expect(cold.length).toBeGreaterThan(1);
    // History files cannot be written (as when changes keep coming and history waits).
    const writer: FileWriter = {
      async write(file, data) {
        if (basename(file).startsWith('history')) throw new Error('EIO: i/o error, write');
        writeFileSync(file, JSON.stringify(data));
      },
    };
    const s = await JobStore.open({ dataDir: dir, recentFinished: 1, writer });
    expect(s.removeJobs([cold[0]!])).toBe(1);
    await s.flush();
    expect(readJson<{ jobs: Job[] }>(join(dir, 'history.json')).jobs.map((j) => j.id)).toContain(cold[0]);
    expect(readJson<{ removedFromHistory?: string[] }>(join(dir, 'state.json')).removedFromHistory).toEqual([cold[0]]);
    // A crash here, then a normal start.
    const again = await JobStore.open({ dataDir: dir, recentFinished: 1 });
    expect(again.getJob(cold[0]!)).toBeUndefined();
    expect([...again.allJobs()]).toHaveLength(5);
    await again.close();
    expect(readJson<{ jobs: Job[] }>(join(dir, 'history.json')).jobs.map((j) => j.id)).not.toContain(cold[0]);
    expect(readJson<{ removedFromHistory?: string[] }>(join(dir, 'state.json')).removedFromHistory).toBeUndefined();
  });

  it('a damaged history-<n>.json is set aside on its own; the rest is read', async () => {
    const keep = done();
    const dir = await withHistory([keep]);
    writeFileSync(join(dir, 'history-1.json'), '{"schemaVersion":1,"jobs":[{"id":');
    const problems: StoreProblem[] = [];
    const s = await JobStore.open({ dataDir: dir, onError: (p) => problems.push(p) });
    expect(problems.map((p) => p.file)).toEqual([expect.stringMatching(/history-1\.corrupt-.*\.json$/)]);
    expect(s.getJob(keep.id)).toEqual(keep);
  });
});

describe('store: history records checked cheaply at open, in full when read', () => {
  // Passes the structural check (every field the store reads before parsing is there and of its
  // type) but not the schema: an environment variable name that is not one.
  const deepBad = () => done({ spec: { ...spec({ name: 'tpl' }), env: [{ name: '1 not a name', value: 'x', secret: false }] } });

  it('a record bad deep inside is set aside on its own when read: moved to a file, reported, the rest kept', async () => {
    const good = done();
    const bad = deepBad();
    const dir = await withHistory([good, bad]);
    const problems: StoreProblem[] = [];
    const s = await JobStore.open({ dataDir: dir, onError: (p) => problems.push(p) });
    expect(problems).toEqual([]); // not parsed yet
    expect(s.getJob(bad.id)).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(new RegExp(`job ${bad.id} in history\\.json does not match the store schema \\(spec\\.env\\.0\\.name: .*\\)\\. It was moved to`));
    expect(problems[0]!.file).toMatch(/history\.corrupt-[0-9TZ-]+\.json$/);
    // The record as it was, in a history file of its own (so it can be fixed and put back).
    expect(readJson<{ jobs: unknown[] }>(problems[0]!.file!).jobs).toEqual([JSON.parse(JSON.stringify(bad))]);
    expect(s.problems).toEqual(problems);
    expect(s.getJob(good.id)).toEqual(good);
    expect([...s.allJobs()].map((j) => j.id)).toEqual([good.id]);
    await s.close();
    expect(readJson<{ jobs: Job[] }>(join(dir, 'history.json')).jobs.map((j) => j.id)).toEqual([good.id]);
    const again: StoreProblem[] = [];
    await JobStore.open({ dataDir: dir, onError: (p) => again.push(p) }).then((x) => x.whenChecked());
    expect(again).toEqual([]);
  });

  it('the background check finds a bad record without anything reading it', async () => {
    const dir = await withHistory([done(), deepBad(), done()]);
    const problems: StoreProblem[] = [];
    const s = await JobStore.open({ dataDir: dir, onError: (p) => problems.push(p) });
    await s.whenChecked();
    expect(problems).toHaveLength(1);
    expect([...s.allJobs()]).toHaveLength(2);
  });

  it('a page that would show a bad record is counted again without it', async () => {
    const bad = deepBad();
    const dir = await withHistory([done(), bad, done()]);
    const s = await JobStore.open({ dataDir: dir });
    const page = s.listJobs({ sort: 'createdAt', order: 'asc', offset: 0, limit: 50 });
    expect(page.total).toBe(2);
    expect(page.items.map((j) => j.id)).not.toContain(bad.id);
    expect(s.problems).toHaveLength(1);
  });

  it('a record that fails the structural check costs the whole file, at open, as before', async () => {
    const dir = await withHistory([done(), { ...done(), attempts: 'none' }]);
    const problems: StoreProblem[] = [];
    const s = await JobStore.open({ dataDir: dir, onError: (p) => problems.push(p) });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/history\.json could not be read: its contents do not match the store schema \(jobs\.1\.attempts: .*\)\. It was moved to/);
    expect(problems[0]!.file).toMatch(/history\.corrupt-.*\.json$/);
    expect([...s.allJobs()]).toHaveLength(0);
    expect(readJson<{ jobs: Job[] }>(join(dir, 'history.json')).jobs).toEqual([]);
  });

  it.each([
    ['an unknown status', { status: 'finished' }],
    ['no id', { id: undefined }],
    ['a numeric createdAt', { createdAt: 5 }],
    ['a spec without image', { spec: { name: 'x' } }],
    ['an attempt without engine', { attempts: [{ number: 1 }] }],
  ])('a record with %s costs the whole file at open', async (_name, over) => {
    const dir = await withHistory([{ ...done(), ...over }]);
    const problems: StoreProblem[] = [];
    await JobStore.open({ dataDir: dir, onError: (p) => problems.push(p) });
    expect(problems.map((p) => p.file)).toEqual([expect.stringMatching(/history\.corrupt-/)]);
  });

  it('a record missing fields that have defaults is read with the defaults filled in', async () => {
    const j = done();
    const { failures: _f, succeededIndexes: _s, origin: _o, dependsOn: _d, ...old } = j;
    const dir = await withHistory([old]);
    const s = await JobStore.open({ dataDir: dir });
    expect(s.getJob(j.id)).toEqual(j);
    expect(s.problems).toEqual([]);
  });

  it('an unfinished job found in history is parsed at once and goes to the hot set', async () => {
    const j = done({ status: 'running', reason: undefined, finishedAt: undefined });
    const dir = await withHistory([j]);
    const s = await JobStore.open({ dataDir: dir });
    expect(s.activeJobs().map((x) => x.id)).toEqual([j.id]);
    await s.close();
    expect(readJson<{ jobs: Job[] }>(join(dir, 'state.json')).jobs.map((x) => x.id)).toEqual([j.id]);
    expect(readJson<{ jobs: Job[] }>(join(dir, 'history.json')).jobs).toEqual([]);
  });

  it('reads and removes unchecked records without checking them first', async () => {
    const jobs = [done(), done(), done()];
    const dir = await withHistory(jobs);
    const s = await JobStore.open({ dataDir: dir });
    expect(s.removeJobs([jobs[0]!.id])).toBe(1);
    s.putJob({ ...jobs[1]!, message: 'edited' });
    await s.whenChecked();
    await s.close();
    expect(existsSync(join(dir, 'history.json'))).toBe(true);
    const again = await JobStore.open({ dataDir: dir });
    expect([...again.allJobs()].map((j) => [j.id, j.message])).toEqual(
      expect.arrayContaining([
        [jobs[1]!.id, 'edited'],
        [jobs[2]!.id, undefined],
      ]),
    );
    expect(again.getJob(jobs[0]!.id)).toBeUndefined();
  });
});
