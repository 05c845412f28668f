import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobStore } from '../../src/main/core/store/jobStore';
import { readStoreDir } from '../../src/main/core/store/load';
import { indexFile } from '../../src/main/core/store/summaryIndex';
import type { Attempt, Job, JobStatus } from '../../src/shared/job';
import { JobFilter, type JobFilterInput } from '../../src/shared/query';
import { storedJob } from '../support/fakes';
import { tempDirs } from '../support/tmp';

// The summary index beside each history file (summaryIndex.ts): an open through it gives the
// store exactly what reading the records gives, and an index that does not describe its file
// (stale, swapped, damaged, missing) is only ignored. The jobs' messages are not all ASCII, so
// that the newlines an index names (in bytes) are checked against a file where bytes and characters differ.

const tmp = tempDirs('jobdeck-summary-index-');
const OPTS = { recentFinished: 2, historyFileJobs: 7 };

const historyFiles = (dir: string) => readdirSync(dir).filter((f) => /^history(-\d+)?\.json$/.test(f));
const indexes = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.index.json'));

function attempt(n: number, engineId: string, exitCode: number | null | undefined): Attempt {
  return { number: n, index: 0, engineId, status: 'failed', createdAt: '2026-01-01T00:00:00.000Z', logBytes: 0, logTruncated: false, artifacts: [], ...(exitCode !== undefined ? { exitCode } : {}) };
}

/** Finished jobs unlike each other in every field the indexes read. */
function variedJobs(count: number): Job[] {
  const statuses: JobStatus[] = ['completed', 'failed', 'cancelled'];
  return Array.from({ length: count }, (_, i) => {
    const code = i % 5 === 0 ? undefined : i % 5 === 1 ? null : i % 7;
    const engines = i % 4 === 0 ? [] : i % 4 === 1 ? [attempt(1, 'docker', code)] : [attempt(1, 'docker', 1), attempt(2, i % 3 ? 'podman' : 'docker', code)];
    const j = storedJob({
      status: statuses[i % 3]!,
      templateName: `tpl-${i % 4}`,
      ...(i % 6 ? { templateId: `t-${i % 4}` } : {}),
      origin: (['manual', 'schedule', 'retry', 'clone', 'import'] as const)[i % 5]!,
      ...(code !== undefined ? { exitCode: code } : {}),
      ...(i % 9 ? { message: `step ${i} said Ü ✓` } : {}),
      attempts: engines,
    });
    return i % 8 === 0 ? j : { ...j, finishedAt: new Date(Date.parse(j.createdAt) + (i % 11) * 60_000).toISOString() };
  });
}

/** What a user can see of a store: every job, and pages over the filters and sorts the indexes serve. */
async function seen(dir: string) {
  const s = await JobStore.open({ dataDir: dir, ...OPTS });
  const queries: JobFilterInput[] = [
    {},
    { status: ['failed'] },
    { status: ['cancelled', 'completed'], templateId: 't-1' },
    { templateName: 'tpl-2', order: 'asc' },
    { engineId: 'podman' },
    { exitCode: 0 },
    { origin: ['retry', 'import'] },
    { text: 'ü ✓' },
    { sort: 'finishedAt', order: 'asc' },
    { sort: 'exitCode' },
    { sort: 'templateName' },
    { from: '2026-01-01T00:00:20.000Z', to: '2026-01-01T00:01:00.000Z' },
    { finishedFrom: '2026-01-01T00:05:00.000Z' },
  ];
  const pages = queries.map((q) => s.listJobs(JobFilter.parse({ limit: 500, ...q })));
  const all = [...s.allJobs()].sort((a, b) => a.seq - b.seq);
  const names = s.jobTemplateNames();
  const problems = s.problems.map((p) => p.message);
  await s.close();
  return { pages, all, names, problems };
}

async function seeded(count = 40): Promise<{ dir: string; jobs: Job[] }> {
  const dir = tmp();
  const s = await JobStore.open({ dataDir: dir, ...OPTS });
  const jobs = variedJobs(count);
  for (const j of jobs) s.putJob(j);
  await s.close();
  return { dir, jobs };
}

const usedIndex = (dir: string) => readStoreDir(dir).history.filter((h) => h.indexed).length;

describe('store: the summary index of each history file', () => {
  it('each history file written gets one, and an open through them sees exactly what reading the records sees', async () => {
    const { dir, jobs } = await seeded();
    const files = historyFiles(dir);
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) expect(existsSync(indexFile(join(dir, f)))).toBe(true);
    expect(usedIndex(dir)).toBe(files.length);
    const through = await seen(dir);
    expect(through.all).toEqual([...jobs].sort((a, b) => a.seq - b.seq));
    expect(through.problems).toEqual([]);
    // The same files without their indexes.
    for (const f of indexes(dir)) rmSync(join(dir, f));
    expect(usedIndex(dir)).toBe(0);
    expect(await seen(dir)).toEqual(through);
  });

  it('an index that does not describe its file is ignored: swapped, stale after a crash, damaged, or the wrong shape', async () => {
    const { dir } = await seeded();
    const [a, b] = historyFiles(dir).map((f) => indexFile(join(dir, f)));
    const expected = await seen(dir);
    // Swapped: each well formed, each of another file.
    const ta = readFileSync(a!, 'utf8');
    writeFileSync(a!, readFileSync(b!, 'utf8'));
    writeFileSync(b!, ta);
    const total = historyFiles(dir).length;
    expect(usedIndex(dir)).toBe(total - 2);
    expect(await seen(dir)).toEqual(expected);

    // Stale: the file rewritten since (a crash before its index was), the old index put back.
    const { dir: d2, jobs } = await seeded();
    const first = join(d2, 'history.json');
    const oldIndex = readFileSync(indexFile(first), 'utf8');
    const s = await JobStore.open({ dataDir: d2, ...OPTS });
    const cold = JSON.parse(readFileSync(first, 'utf8')) as { jobs: Job[] };
    s.putJob({ ...cold.jobs[0]!, status: 'failed', exitCode: 9, message: 'changed by hand' });
    s.removeJobs([cold.jobs[1]!.id]);
    await s.close();
    writeFileSync(indexFile(first), oldIndex);
    const after = await seen(d2);
    expect(after.all.find((j) => j.id === cold.jobs[0]!.id)).toMatchObject({ status: 'failed', exitCode: 9 });
    expect(after.all).toHaveLength(jobs.length - 1);
    for (const f of indexes(d2)) rmSync(join(d2, f));
    expect(await seen(d2)).toEqual(after);

    // Damaged or of another shape: not JSON, a column short, a string out of the table, an unknown status.
    const { dir: d3 } = await seeded();
    const base = await seen(d3);
    const idx = historyFiles(d3).map((f) => indexFile(join(d3, f)));
    type Index = { count: number; strings: string[]; columns: Record<string, string> };
    const read = (f: string) => JSON.parse(readFileSync(f, 'utf8')) as Index;
    const column = (x: Index, name: string, edit: (a: Int32Array | Uint32Array) => void, Kind: typeof Int32Array | typeof Uint32Array = Int32Array) => {
      const bytes = Buffer.from(x.columns[name]!, 'base64');
      const a = new Kind(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
      edit(a);
      return { ...x, columns: { ...x.columns, [name]: Buffer.from(a.buffer).toString('base64') } };
    };
    writeFileSync(idx[0]!, '{"format":1,"schemaVersion":1,"si');
    const short = read(idx[1]!);
    writeFileSync(idx[1]!, JSON.stringify({ ...short, columns: { ...short.columns, seq: Buffer.from(short.columns.seq!, 'base64').subarray(8).toString('base64') } }));
    writeFileSync(idx[2]!, JSON.stringify(column(read(idx[2]!), 'templateName', (a) => a.fill(999))));
    const other = read(idx[3]!);
    writeFileSync(idx[3]!, JSON.stringify({ ...other, strings: other.strings.map((x) => (x === 'failed' || x === 'completed' ? 'running' : x)) }));
    writeFileSync(idx[4]!, JSON.stringify(column(read(idx[4]!), 'newlines', (a) => (a[1] = a[1]! + 1), Uint32Array)));
    expect(usedIndex(d3)).toBe(idx.length - 5);
    expect(await seen(d3)).toEqual(base);
  });

  it('a data dir from before summary indexes opens as before and gets them once the background check is done', async () => {
    const { dir } = await seeded();
    for (const f of indexes(dir)) rmSync(join(dir, f));
    const expected = await seen(dir);
    const s = await JobStore.open({ dataDir: dir, ...OPTS });
    await s.whenIndexed();
    await s.close();
    expect(indexes(dir).sort()).toEqual(historyFiles(dir).map((f) => f.replace(/\.json$/, '.index.json')).sort());
    expect(usedIndex(dir)).toBe(historyFiles(dir).length);
    expect(await seen(dir)).toEqual(expected);
  });

  it('an index that cannot be written costs nothing but speed: the history file is saved and nothing is reported', async () => {
    const { dir } = await seeded();
    const first = join(dir, 'history.json');
    // A directory where the index goes: its rename fails as on a full or read-only disk.
    rmSync(indexFile(first));
    mkdirSync(indexFile(first));
    writeFileSync(join(indexFile(first), 'x'), '');
    const s = await JobStore.open({ dataDir: dir, ...OPTS });
    const cold = JSON.parse(readFileSync(first, 'utf8')) as { jobs: Job[] };
    s.putJob({ ...cold.jobs[0]!, message: 'kept' });
    await s.close();
    expect(s.problems).toEqual([]);
    expect((JSON.parse(readFileSync(first, 'utf8')) as { jobs: Job[] }).jobs[0]!.message).toBe('kept');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const after = await seen(dir);
    expect(after.problems).toEqual([]);
    expect(after.all.find((j) => j.id === cold.jobs[0]!.id)!.message).toBe('kept');
  });

  it('an emptied history file goes with its index', async () => {
    const { dir } = await seeded();
    const last = historyFiles(dir).sort((a, b) => Number(/\d+/.exec(a)?.[0] ?? 0) - Number(/\d+/.exec(b)?.[0] ?? 0)).at(-1)!;
    expect(last).not.toBe('history.json');
    const ids = (JSON.parse(readFileSync(join(dir, last), 'utf8')) as { jobs: Job[] }).jobs.map((j) => j.id);
    const s = await JobStore.open({ dataDir: dir, ...OPTS });
    s.removeJobs(ids);
    await s.close();
    expect(existsSync(join(dir, last))).toBe(false);
    expect(existsSync(indexFile(join(dir, last)))).toBe(false);
  });
});
