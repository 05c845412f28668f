import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JobStore, NewerSchemaError, type StoreProblem } from '../../src/main/core/store';
import type { Job } from '../../src/shared/job';
import { JobFilter } from '../../src/shared/query';
import { spec } from '../support/fakes';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'jobdeck-store-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

let n = 0;
function job(over: Partial<Job> = {}): Job {
  n++;
  return {
    id: `job-${n}`,
    templateName: over.templateName ?? 'tpl',
    spec: spec({ name: over.templateName ?? 'tpl' }),
    status: 'pending',
    priority: 3,
    seq: n,
    origin: 'manual',
    dependsOn: [],
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    failures: 0,
    succeededIndexes: [],
    attempts: [],
    ...over,
  };
}

describe('store: persistence', () => {
  it('keeps templates, jobs, settings and the instance id across a reopen', async () => {
    const dir = tmp();
    const a = await JobStore.open({ dataDir: dir });
    const j = job();
    a.putJob(j);
    a.updateSettings({ concurrency: 7 });
    a.putTemplate({ ...spec({ name: 'kept' }), id: 't1', createdAt: 'x', updatedAt: 'y' });
    const id = a.instanceId;
    await a.close();
    const b = await JobStore.open({ dataDir: dir });
    expect(b.getJob(j.id)).toEqual(j);
    expect(b.settings().concurrency).toBe(7);
    expect(b.getTemplate('t1')?.name).toBe('kept');
    expect(b.instanceId).toBe(id);
  });

  it('coalesces a burst of 1,000 changes into at most 2 whole-file writes', async () => {
    const s = await JobStore.open({ dataDir: tmp(), writeDelayMs: 50 });
    for (let i = 0; i < 1000; i++) s.putJob(job());
    await new Promise((r) => setTimeout(r, 200));
    expect(s.writes).toBeGreaterThanOrEqual(1);
    expect(s.writes).toBeLessThanOrEqual(2);
    await s.close();
  });

  it('writes atomically: no temp file is left and the file always parses', async () => {
    const dir = tmp();
    const s = await JobStore.open({ dataDir: dir, writeDelayMs: 1 });
    s.putJob(job());
    await s.flush();
    for (let i = 0; i < 50; i++) {
      s.putJob(job());
      await new Promise((r) => setTimeout(r, 2));
      const text = readFileSync(join(dir, 'state.json'), 'utf8');
      expect(() => JSON.parse(text)).not.toThrow();
    }
    await s.close();
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('moves old finished jobs to history.json and keeps the hot file small', async () => {
    const dir = tmp();
    const s = await JobStore.open({ dataDir: dir, recentFinished: 10 });
    for (let i = 0; i < 30; i++) s.putJob(job({ status: 'completed', finishedAt: new Date(Date.UTC(2026, 0, 1, 1, 0, i)).toISOString() }));
    s.putJob(job({ status: 'running' }));
    await s.close();
    const hot = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as { jobs: Job[] };
    const cold = JSON.parse(readFileSync(join(dir, 'history.json'), 'utf8')) as { jobs: Job[] };
    expect(hot.jobs).toHaveLength(11);
    expect(cold.jobs).toHaveLength(20);
    const again = await JobStore.open({ dataDir: dir, recentFinished: 10 });
    expect([...again.allJobs()]).toHaveLength(31);
    expect(again.activeJobs()).toHaveLength(1);
  });
});

describe('store: a damaged file is set aside, never wiped', () => {
  it.each([
    ['truncated', (good: string) => good.slice(0, Math.floor(good.length / 2))],
    ['empty', () => ''],
    ['garbage', () => '\u0000\u0001binary garbage'],
    ['wrong shape', () => JSON.stringify({ schemaVersion: 1, jobs: 'not a list' })],
  ])('%s state.json: quarantined under a name that says so, the store starts empty and says so', async (_name, damage) => {
    const dir = tmp();
    const a = await JobStore.open({ dataDir: dir });
    a.putJob(job());
    await a.close();
    const good = readFileSync(join(dir, 'state.json'), 'utf8');
    const bad = damage(good);
    writeFileSync(join(dir, 'state.json'), bad);
    const problems: StoreProblem[] = [];
    const b = await JobStore.open({ dataDir: dir, onError: (p) => problems.push(p) });
    expect([...b.allJobs()]).toHaveLength(0);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.file).toMatch(/state\.corrupt-.*\.json$/);
    expect(problems[0]!.message).toMatch(/moved to/);
    expect(readFileSync(problems[0]!.file!, 'utf8')).toBe(bad);
    expect(b.problems).toEqual(problems);
  });

  it('refuses a file from a newer Jobdeck and leaves it untouched', async () => {
    const dir = tmp();
    const future = JSON.stringify({ schemaVersion: 99, whatever: true });
    writeFileSync(join(dir, 'state.json'), future);
    await expect(JobStore.open({ dataDir: dir })).rejects.toThrow(NewerSchemaError);
    expect(readFileSync(join(dir, 'state.json'), 'utf8')).toBe(future);
  });

  it('keeps running when a write fails, reports it, leaves the last good file, and saves once it can', async () => {
    const dir = tmp();
    const problems: StoreProblem[] = [];
    const s = await JobStore.open({ dataDir: dir, writeDelayMs: 1, onError: (p) => problems.push(p) });
    const first = job();
    s.putJob(first);
    await s.flush();
    const lastGood = readFileSync(join(dir, 'state.json'), 'utf8');
    // steno writes `.state.json.tmp` then renames it: a directory there makes the write fail.
    mkdirSync(join(dir, '.state.json.tmp'));
    const second = job();
    s.putJob(second);
    await s.flush();
    expect(problems.at(-1)?.message).toMatch(/could not save the store/);
    expect(readFileSync(join(dir, 'state.json'), 'utf8')).toBe(lastGood);
    expect(s.getJob(second.id)).toBeDefined();
    rmSync(join(dir, '.state.json.tmp'), { recursive: true });
    s.putJob({ ...second, priority: 1 });
    await s.flush();
    const reopened = await JobStore.open({ dataDir: dir });
    expect(reopened.getJob(second.id)?.priority).toBe(1);
  });
});

describe('store: queries', () => {
  it('filters by status, template, engine, time and text; sorts; pages', async () => {
    const s = await JobStore.open({ dataDir: tmp() });
    const mk = (i: number, over: Partial<Job>) =>
      job({
        createdAt: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
        startedAt: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
        finishedAt: new Date(Date.UTC(2026, 0, 1 + i) + i * 1000).toISOString(),
        ...over,
      });
    const jobs = [
      mk(1, { status: 'completed', templateName: 'alpha', templateId: 'ta' }),
      mk(2, { status: 'failed', templateName: 'beta', message: 'disk full', attempts: [{ number: 1, index: 0, engineId: 'podman', status: 'failed', createdAt: 'x', logBytes: 0, logTruncated: false, artifacts: [] }] }),
      mk(3, { status: 'completed', templateName: 'alpha', templateId: 'ta' }),
      mk(4, { status: 'cancelled', templateName: 'gamma' }),
    ];
    for (const j of jobs) s.putJob(j);
    const q = (f: Partial<JobFilter>) => s.listJobs(JobFilter.parse(f));
    expect(q({ status: ['completed'] }).items.map((j) => j.id)).toEqual([jobs[2]!.id, jobs[0]!.id]);
    expect(q({ templateId: 'ta', order: 'asc' }).items.map((j) => j.id)).toEqual([jobs[0]!.id, jobs[2]!.id]);
    expect(q({ engineId: 'podman' }).items.map((j) => j.id)).toEqual([jobs[1]!.id]);
    expect(q({ text: 'DISK' }).items.map((j) => j.id)).toEqual([jobs[1]!.id]);
    expect(q({ from: '2026-01-03T00:00:00Z', to: '2026-01-04T23:00:00Z' }).total).toBe(2);
    expect(q({ sort: 'duration', order: 'desc' }).items[0]!.id).toBe(jobs[3]!.id);
    const page = q({ limit: 2, offset: 2, order: 'asc' });
    expect(page).toMatchObject({ total: 4 });
    expect(page.items.map((j) => j.id)).toEqual([jobs[2]!.id, jobs[3]!.id]);
  });
});
