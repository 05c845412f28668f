import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobStore } from '../../src/main/core/store/jobStore';
import { readHistoryLines } from '../../src/main/core/store/files';
import { historyText, lineSource, recordAt, splitLines } from '../../src/main/core/store/lines';
import { JobFilter } from '../../src/shared/query';
import type { Job } from '../../src/shared/job';
import { storedJob } from '../support/fakes';
import { tempDirs } from '../support/tmp';

// Store load (issue 9): history files one record a line, so that open keeps a row per record and
// the record's text, not 100k parsed jobs (the garbage collector copying those was most of the
// cold load); a record is parsed when first read or by the background check.

const tmp = tempDirs('jobdeck-store-lines-');
function done(n: number): Job {
  const j = storedJob({ status: n % 3 ? 'completed' : 'failed', reason: n % 3 ? 'Completed' : 'Error', exitCode: n % 3 ? 0 : 1, message: `run ${n}` });
  return { ...j, finishedAt: new Date(Date.parse(j.createdAt) + 1000).toISOString() };
}
const text = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');

async function seeded(count: number): Promise<{ dir: string; jobs: Job[] }> {
  const dir = tmp();
  const s = await JobStore.open({ dataDir: dir, recentFinished: 1, historyFileJobs: 1000 });
  const jobs = Array.from({ length: count }, (_, i) => done(i));
  for (const j of jobs) s.putJob(j);
  await s.close();
  return { dir, jobs: jobs.map((j) => s.getJob(j.id)!) };
}

describe('store: history one record a line', () => {
  it('writes each history record on a line of its own, and the file is still one JSON document', async () => {
    const { dir, jobs } = await seeded(6);
    const t = text(dir, 'history.json');
    const lines = t.split('\n');
    expect(lines[0]).toBe('{"schemaVersion":1,"jobs":[');
    expect(lines.at(-1)).toBe(']}');
    const cold = (JSON.parse(t) as { jobs: Job[] }).jobs;
    expect(lines).toHaveLength(cold.length + 2);
    cold.forEach((j, i) => expect(JSON.parse(lines[i + 1]!.replace(/,$/, ''))).toEqual(j));
    expect(cold.length).toBeGreaterThan(3);
    expect(jobs.length).toBe(6);
  });

  it('a reopened store reads the same jobs from the lines: pages, filters, text search, getJob and every job', async () => {
    const { dir, jobs } = await seeded(12);
    const s = await JobStore.open({ dataDir: dir, recentFinished: 1, historyFileJobs: 1000 });
    // Before the background check: straight from the lines.
    expect(s.getJob(jobs[4]!.id)).toEqual(jobs[4]);
    const failed = s.listJobs(JobFilter.parse({ status: ['failed'], limit: 50 }));
    expect(failed.total).toBe(jobs.filter((j) => j.status === 'failed').length);
    expect(s.listJobs(JobFilter.parse({ text: 'run 7', limit: 50 })).items.map((j) => j.id)).toEqual([jobs[7]!.id]);
    expect(s.listJobs(JobFilter.parse({ exitCode: 1, limit: 50 })).total).toBe(failed.total);
    expect(s.listJobs(JobFilter.parse({ sort: 'finishedAt', order: 'asc', limit: 50 })).items.map((j) => j.id)).toEqual(jobs.map((j) => j.id));
    await s.whenChecked();
    expect([...s.allJobs()].sort((a, b) => a.seq - b.seq)).toEqual(jobs);
    expect(s.problems).toEqual([]);
    await s.close();
  });

  it('a record that fails its full check in a file of lines is set aside alone, on first read', async () => {
    const { dir, jobs } = await seeded(5);
    const cold = (JSON.parse(text(dir, 'history.json')) as { jobs: Job[] }).jobs;
    const victim = cold[1]!;
    // Well formed as far as the open looks, wrong deeper down (a retry limit of "three").
    const bad = cold.map((j) => (j.id === victim.id ? { ...j, spec: { ...j.spec, retry: { limit: 'three' } } } : j));
    writeFileSync(join(dir, 'history.json'), historyText(bad.map((j) => JSON.stringify(j))));
    const s = await JobStore.open({ dataDir: dir, recentFinished: 1 });
    expect(s.getJob(victim.id)).toBeUndefined();
    expect(s.problems.map((p) => p.message).join('\n')).toMatch(new RegExp(`job ${victim.id} in history.json does not match the store schema`));
    const other = jobs.find((j) => j.id === cold[2]!.id)!;
    expect(s.getJob(other.id)).toEqual(other);
    await s.close();
  });

  it('a history file in the older form (one line) is read as before and written again one record a line soon after', async () => {
    const { dir, jobs } = await seeded(6);
    const cold = JSON.parse(text(dir, 'history.json')) as { jobs: Job[] };
    writeFileSync(join(dir, 'history.json'), JSON.stringify(cold));
    const s = await JobStore.open({ dataDir: dir, recentFinished: 1, writeDelayMs: 5 });
    expect(s.getJob(jobs[0]!.id)).toEqual(jobs[0]);
    await expect.poll(() => text(dir, 'history.json').split('\n').length).toBe(cold.jobs.length + 2);
    expect(JSON.parse(text(dir, 'history.json'))).toEqual(cold);
    await s.close();
  });

  it('lines that only look like records (a file edited by hand) are read from the whole document', () => {
    const a = storedJob({ status: 'completed' });
    const b = storedJob({ status: 'failed' });
    // Two records, two newlines between them, but not one a line.
    const ta = JSON.stringify(a);
    const cut = ta.indexOf(',"') + 1;
    const edited = `{"schemaVersion":1,"jobs":[\n${ta.slice(0, cut)}\n${ta.slice(cut)},${JSON.stringify(b)}\n]}`;
    const src = lineSource(edited, 2)!;
    expect(src).toBeDefined();
    expect(recordAt(src, 0, a.id)).toEqual(a);
    expect(recordAt(src, 1, b.id)).toEqual(b);
    // A newline short: the records as parsed.
    const joined = `{"schemaVersion":1,"jobs":[\n${JSON.stringify(a)},${JSON.stringify(b)}\n]}`;
    expect(recordAt(lineSource(joined, 2)!, 1, b.id)).toEqual(b);
    expect(lineSource(JSON.stringify({ schemaVersion: 1, jobs: [a] }), 1)).toBeUndefined();
    expect(recordAt(lineSource(historyText([JSON.stringify(a), JSON.stringify(b)]), 2)!, 1, b.id)).toEqual(b);
  });

  it('open reads a file of lines line by line; one whose lines do not each parse as a record is read whole, as before', () => {
    const a = storedJob({ status: 'completed' });
    const b = storedJob({ status: 'failed' });
    const both = historyText([JSON.stringify(a), JSON.stringify(b)]);
    expect(splitLines(both)).toMatchObject({ count: 2 });
    const read = readHistoryLines(both)!;
    expect(read.rows!.map((r) => [r.id, r.status, r.raw])).toEqual([
      [a.id, 'completed', true],
      [b.id, 'failed', true],
    ]);
    expect(recordAt(read.rows![1]!.src!, 1, b.id)).toEqual(b);
    expect(readHistoryLines(historyText([]))!.rows).toEqual([]);
    // A record over two lines, two on one line: valid JSON, not lines of records.
    const ta = JSON.stringify(a);
    const cut = ta.indexOf(',"') + 1;
    expect(readHistoryLines(`{"schemaVersion":1,"jobs":[\n${ta.slice(0, cut)}\n${ta.slice(cut)},${JSON.stringify(b)}\n]}`)).toBeUndefined();
    expect(readHistoryLines(`{"schemaVersion":1,"jobs":[\n${ta},${JSON.stringify(b)}\n]}`)).toBeUndefined();
    // Not JSON as a whole either: a comma missing between lines, one after the last, a cut line.
    expect(splitLines(both.replace(',\n', '\n'))).toBeUndefined();
    expect(splitLines(both.replace(/\n\]\}$/, ',\n]}'))).toBeUndefined();
    expect(readHistoryLines(both.replace(ta, ta.slice(0, -5)))).toBeUndefined();
    // An unfinished job in history is parsed at once (it goes to the hot set).
    const running = storedJob({ status: 'running' });
    const mixed = readHistoryLines(historyText([JSON.stringify(a), JSON.stringify(running)]))!;
    expect(mixed.rows!.map((r) => [r.status, r.raw, r.job?.id])).toEqual([
      ['completed', true, undefined],
      ['running', false, running.id],
    ]);
    // A line that parses but is no job, in a file of lines: read whole, which sets the file aside.
    expect(readHistoryLines(historyText([JSON.stringify(a), '{"id":1}']))).toBeUndefined();
    // Another schema version: read whole (migrated, or refused if newer).
    expect(readHistoryLines(both.replace('"schemaVersion":1', '"schemaVersion":2'))).toBeUndefined();
  });

  it('a file of lines with one line damaged is still set aside whole at open, its contents kept, as before the line-by-line read', async () => {
    const { dir, jobs } = await seeded(6);
    const t = text(dir, 'history.json');
    const lines = t.split('\n');
    lines[2] = lines[2]!.slice(0, 40);
    writeFileSync(join(dir, 'history.json'), lines.join('\n'));
    const s = await JobStore.open({ dataDir: dir, recentFinished: 1 });
    const message = s.problems.map((p) => p.message).join('\n');
    expect(message).toMatch(/history\.json could not be read: it is not valid JSON/);
    const moved = s.problems[0]!.file!;
    expect(readFileSync(moved, 'utf8')).toBe(lines.join('\n'));
    // The hot jobs are all there; the file's are in the file set aside.
    expect(s.getJob(jobs[5]!.id)).toEqual(jobs[5]);
    await s.close();
  });
});
