import { appendFileSync, cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobStore } from '../../src/main/core/store/jobStore';
import { NewerSchemaError } from '../../src/main/core/store/schema';
import { type FileWriter } from '../../src/main/core/store/writes';
import { type StoreProblem } from '../../src/main/core/store/files';
import type { Job } from '../../src/shared/job';
import { spec, storedJob } from '../support/fakes';
import { fakeStoreTime, passTime, watchedWriter } from '../support/storeTime';
import { tempDirs } from '../support/tmp';

// The change journal: while changes keep coming, they reach the disk as appended lines within
// writeDelayMs, and state.json is rewritten only now and then; a crash replays the journal.

const tmp = tempDirs('jobdeck-store-journal-');
const journals = (dir: string) => readdirSync(dir).filter((f) => /^journal-\d+\.jsonl$/.test(f));
/** The data dir as a crash would leave it now: copied synchronously, without the temp files. */
function crashCopy(dir: string): string {
  const copy = tmp();
  cpSync(dir, copy, { recursive: true, filter: (src) => !basename(src).startsWith('.') });
  return copy;
}

const job = storedJob;

describe('store: the change journal', () => {
  it('under a steady stream of changes, each reaches the disk in the journal soon, while state.json is not rewritten', async () => {
    const dir = tmp();
    fakeStoreTime();
    const writer = watchedWriter();
    const s = await JobStore.open({ dataDir: dir, writer, writeDelayMs: 20, minWriteGapMs: 10_000, maxWriteDelayMs: 10_000 });
    const jobs = Array.from({ length: 20 }, () => job());
    for (const j of jobs) s.putJob(j);
    await s.flush();
    const writes = s.writes;
    let k = 0;
    const changeOf = (j: Job | undefined) => Number(/change (\d+)/.exec(j?.message ?? '')?.[1] ?? -1);
    /** A change every 2 ms (of the fake clock) for `ms`. */
    const stream = async (ms: number) => {
      for (let t = 0; t < ms; t += 2) {
        const j = jobs[k++ % jobs.length]!;
        s.putJob({ ...s.getJob(j.id)!, status: k % 2 ? 'running' : 'pending', message: `change ${k}` });
        await passTime(writer, 2, 2);
      }
    };
    await stream(400);
    // What memory holds now must be on disk soon after (writeDelayMs), while the changes keep coming.
    const then = new Map(jobs.map((j) => [j.id, changeOf(s.getJob(j.id))]));
    await stream(100);
    const copy = crashCopy(dir);
    expect(s.writes - writes).toBe(0);
    expect(s.appends).toBeGreaterThan(5);
    expect(journals(copy).length).toBeGreaterThan(0);
    const replayed = await JobStore.open({ dataDir: copy });
    for (const j of jobs) expect(changeOf(replayed.getJob(j.id))).toBeGreaterThanOrEqual(then.get(j.id)!);
    expect(replayed.problems).toEqual([]);
    // Replayed changes are written into state.json at open, and the journals go.
    expect(journals(copy)).toEqual([]);
    await s.close();
    expect(journals(dir)).toEqual([]);
    const last = await JobStore.open({ dataDir: dir });
    for (const j of jobs) expect(last.getJob(j.id)).toEqual(s.getJob(j.id));
  });

  it('persist() puts every change on disk at once with a journal append, not a whole-file write', async () => {
    const dir = tmp();
    const s = await JobStore.open({ dataDir: dir, writeDelayMs: 10_000, minWriteGapMs: 10_000, maxWriteDelayMs: 10_000 });
    const writes = s.writes;
    const a = job();
    s.putJob(a);
    await s.persist();
    expect(s.writes).toBe(writes);
    expect(s.appends).toBeGreaterThan(0);
    const after = await JobStore.open({ dataDir: crashCopy(dir) });
    expect(after.getJob(a.id)).toEqual(a);
    await after.close();
    await s.close();
  });

  it('at rest a change is written into state.json, not the journal', async () => {
    const dir = tmp();
    fakeStoreTime();
    const writer = watchedWriter();
    const s = await JobStore.open({ dataDir: dir, writer, writeDelayMs: 10, minWriteGapMs: 0 });
    const j = job();
    s.putJob(j);
    await passTime(writer, 80);
    expect(s.appends).toBe(0);
    expect(journals(dir)).toEqual([]);
    expect(readFileSync(join(dir, 'state.json'), 'utf8')).toContain(j.id);
  });

  it('replays every kind of change: jobs put and removed, templates put and deleted, settings, meta', async () => {
    const dir = tmp();
    fakeStoreTime();
    const writer = watchedWriter();
    const s = await JobStore.open({ dataDir: dir, writer, writeDelayMs: 5, minWriteGapMs: 60_000, maxWriteDelayMs: 60_000 });
    await passTime(writer, 10);
    const [a, b] = [job(), job()];
    s.putJob(a);
    s.putJob(b);
    s.removeJobs([a.id]);
    s.putTemplate({ ...spec({ name: 'kept' }), id: 't1', createdAt: 'x', updatedAt: 'y' });
    s.putTemplate({ ...spec({ name: 'gone' }), id: 't2', createdAt: 'x', updatedAt: 'y' });
    s.deleteTemplate('t2');
    s.updateSettings({ concurrency: 9 });
    const seq = s.nextSeq();
    s.setCronLastRun('t1', '2026-02-02T00:00:00.000Z');
    await passTime(writer, 60);
    expect(s.appends).toBeGreaterThan(0);
    const r = await JobStore.open({ dataDir: crashCopy(dir) });
    expect(r.getJob(a.id)).toBeUndefined();
    expect(r.getJob(b.id)).toEqual(b);
    expect(r.listTemplates().map((t) => t.id)).toEqual(['t1']);
    expect(r.settings().concurrency).toBe(9);
    expect(r.nextSeq()).toBe(seq + 1);
    expect(r.cronLastRun('t1')).toBe('2026-02-02T00:00:00.000Z');
  });

  it('a last line cut short (a crash during an append) is left out, silently', async () => {
    const dir = tmp();
    await (await JobStore.open({ dataDir: dir })).close();
    const j = job();
    writeFileSync(join(dir, 'journal-1.jsonl'), `{"schemaVersion":1}\n${JSON.stringify({ job: j })}\n{"job":{"id":"half`);
    const problems: StoreProblem[] = [];
    const s = await JobStore.open({ dataDir: dir, onError: (p) => problems.push(p) });
    expect(problems).toEqual([]);
    expect(s.getJob(j.id)).toEqual(j);
    expect(journals(dir)).toEqual([]);
  });

  it('a damaged journal: the changes before the damage are kept, the file is set aside and reported, later journals still replayed', async () => {
    const dir = tmp();
    await (await JobStore.open({ dataDir: dir })).close();
    const [a, b, c] = [job(), job(), job()];
    const damaged = `{"schemaVersion":1}\n${JSON.stringify({ job: a })}\nnot json at all\n${JSON.stringify({ job: b })}\n`;
    writeFileSync(join(dir, 'journal-1.jsonl'), damaged);
    writeFileSync(join(dir, 'journal-2.jsonl'), `{"schemaVersion":1}\n${JSON.stringify({ job: c })}\n`);
    const problems: StoreProblem[] = [];
    const s = await JobStore.open({ dataDir: dir, onError: (p) => problems.push(p) });
    expect(s.getJob(a.id)).toEqual(a);
    expect(s.getJob(b.id)).toBeUndefined();
    expect(s.getJob(c.id)).toEqual(c);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/journal-1\.jsonl could not be read to the end: line 3 is not valid JSON .*The 1 changes before that were kept/);
    expect(problems[0]!.file).toMatch(/journal-1\.corrupt-[0-9TZ-]+\.jsonl$/);
    expect(readFileSync(problems[0]!.file!, 'utf8')).toBe(damaged);
    expect(journals(dir)).toEqual([]);
  });

  it('a change that does not pass the schema marks the journal damaged', async () => {
    const dir = tmp();
    await (await JobStore.open({ dataDir: dir })).close();
    writeFileSync(join(dir, 'journal-1.jsonl'), `{"schemaVersion":1}\n${JSON.stringify({ job: { ...job(), priority: 42 } })}\n`);
    const problems: StoreProblem[] = [];
    await JobStore.open({ dataDir: dir, onError: (p) => problems.push(p) });
    expect(problems[0]?.message).toMatch(/change 1 could not be applied \(store: refusing an invalid job .*priority/);
  });

  it('a journal from a newer Jobdeck: refused with a clear error, nothing touched', async () => {
    const dir = tmp();
    await (await JobStore.open({ dataDir: dir })).close();
    writeFileSync(join(dir, 'journal-3.jsonl'), '{"schemaVersion":99}\n{"whatever":1}\n');
    const before = readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]);
    await expect(JobStore.open({ dataDir: dir })).rejects.toThrow(NewerSchemaError);
    expect(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')])).toEqual(before);
  });

  it('when state.json cannot be written, the changes it would have saved go to the journal', async () => {
    const dir = tmp();
    await (await JobStore.open({ dataDir: dir })).close();
    let full = false;
    const writer: FileWriter = {
      async write(file, data) {
        if (full) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        writeFileSync(file, JSON.stringify(data));
      },
      append: (file, text) => appendFile(file, text, 'utf8'),
    };
    const problems: StoreProblem[] = [];
    const s = await JobStore.open({ dataDir: dir, writer, writeDelayMs: 5, onError: (p) => problems.push(p) });
    full = true;
    const j = job();
    s.putJob(j);
    await s.flush();
    expect(problems.at(-1)?.message).toMatch(/ENOSPC/);
    expect(journals(dir).length).toBe(1);
    const r = await JobStore.open({ dataDir: crashCopy(dir) });
    expect(r.getJob(j.id)).toEqual(j);
  });

  it('a write that keeps failing is tried again on the next change, not in a loop', async () => {
    const dir = tmp();
    await (await JobStore.open({ dataDir: dir })).close();
    let failing = false;
    fakeStoreTime();
    const writer = watchedWriter({
      async write(file, data) {
        if (failing) throw new Error('EROFS: read-only file system');
        writeFileSync(file, JSON.stringify(data));
      },
    });
    const problems: StoreProblem[] = [];
    const s = await JobStore.open({ dataDir: dir, writer, writeDelayMs: 5, minWriteGapMs: 0, onError: (p) => problems.push(p) });
    failing = true;
    s.putJob(job());
    await passTime(writer, 150);
    expect(problems).toHaveLength(1);
    s.putJob(job());
    await passTime(writer, 150);
    expect(problems).toHaveLength(2);
    failing = false;
    s.putJob(job());
    await passTime(writer, 100);
    expect(problems).toHaveLength(2);
    expect((await JobStore.open({ dataDir: dir })).activeJobs()).toHaveLength(3);
  });

  it('an append that fails is reported once, and state.json is written at once instead', async () => {
    const dir = tmp();
    let failing = true;
    const problems: StoreProblem[] = [];
    fakeStoreTime();
    const writer = watchedWriter({
      async write(file, data) {
        writeFileSync(file, JSON.stringify(data));
      },
      async append(file, text) {
        if (failing) throw new Error('EIO: i/o error, write');
        appendFileSync(file, text);
      },
    });
    const s = await JobStore.open({ dataDir: dir, writer, writeDelayMs: 5, minWriteGapMs: 60_000, maxWriteDelayMs: 60_000, onError: (p) => problems.push(p) });
    await passTime(writer, 10);
    const writes = s.writes;
    const j = job();
    s.putJob(j);
    await passTime(writer, 60);
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/could not save the store \(.*journal-\d+\.jsonl\): EIO/)]);
    // state.json is written at once instead, with the change.
    expect(s.writes - writes).toBe(1);
    expect((await JobStore.open({ dataDir: crashCopy(dir) })).getJob(j.id)).toEqual(j);
    failing = false;
    await s.close();
    expect(existsSync(join(dir, 'state.json'))).toBe(true);
    expect((await JobStore.open({ dataDir: dir })).getJob(j.id)).toEqual(j);
  });
});
