import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JobStore, type StoreOptions } from '../../src/main/core/store/jobStore';
import { lowdbWriter, type FileWriter } from '../../src/main/core/store/writes';
import type { Job, JobStatus } from '../../src/shared/job';
import { spec } from '../support/fakes';
import { tempDirs } from '../support/tmp';

// Tries hard to lose a job: random sequences of what the app does to the store (create, status
// changes, finishes that move jobs to history, retries that bring them back, removals, retention,
// restarts, restarts from the older file layout, crashes, the background check), at a few thousand
// jobs, with small hot sets and small history files so that every path (spill, split, departure,
// rewrite of an older file) is taken often. After every reopen exactly the expected ids exist,
// each with its latest version.

const tmp = tempDirs('jobdeck-store-integrity-');
const T0 = Date.UTC(2026, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString();
const turn = () => new Promise<void>((r) => setImmediate(r));

const SPEC = spec({ name: 'integrity' });
let made = 0;
function newJob(): Job {
  made++;
  return {
    id: `ij-${made.toString(36)}`,
    templateName: `integrity-${made % 7}`,
    spec: SPEC,
    status: 'pending',
    priority: 1 + (made % 5),
    seq: made,
    origin: 'manual',
    dependsOn: [],
    createdAt: iso(T0 + made * 1000),
    failures: 0,
    succeededIndexes: [],
    attempts: [],
  };
}

const TERMINAL: JobStatus[] = ['completed', 'failed', 'cancelled'];
const finishedAs = (j: Job, status: JobStatus, at: number, version: number): Job => ({
  ...j,
  status,
  reason: status === 'completed' ? 'Completed' : status === 'failed' ? 'Error' : 'Cancelled',
  finishedAt: iso(at),
  message: `v${version}`,
});

type Step =
  | { kind: 'create'; n: number }
  | { kind: 'run'; pick: number; n: number }
  | { kind: 'finish'; pick: number; n: number; status: number }
  | { kind: 'retry'; pick: number; n: number }
  | { kind: 'touch'; pick: number; n: number }
  | { kind: 'remove'; pick: number; n: number }
  | { kind: 'retention'; keep: number }
  | { kind: 'yield'; n: number }
  | { kind: 'persist' }
  | { kind: 'flush' }
  | { kind: 'checked' }
  | { kind: 'reopen' }
  | { kind: 'legacy' }
  | { kind: 'crash' }
  | { kind: 'historyFails'; on: boolean };

const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('create' as const), n: fc.integer({ min: 1, max: 400 }) }), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('run' as const), pick: fc.nat(), n: fc.integer({ min: 1, max: 200 }) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('finish' as const), pick: fc.nat(), n: fc.integer({ min: 1, max: 400 }), status: fc.nat(2) }), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('retry' as const), pick: fc.nat(), n: fc.integer({ min: 1, max: 60 }) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('touch' as const), pick: fc.nat(), n: fc.integer({ min: 1, max: 60 }) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('remove' as const), pick: fc.nat(), n: fc.integer({ min: 1, max: 100 }) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('retention' as const), keep: fc.integer({ min: 0, max: 3000 }) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('yield' as const), n: fc.integer({ min: 1, max: 20 }) }), weight: 4 },
  { arbitrary: fc.constant({ kind: 'persist' as const }), weight: 2 },
  { arbitrary: fc.constant({ kind: 'flush' as const }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'checked' as const }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'reopen' as const }), weight: 2 },
  { arbitrary: fc.constant({ kind: 'legacy' as const }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'crash' as const }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('historyFails' as const), on: fc.boolean() }), weight: 1 },
);

const storeFiles = (dir: string) => readdirSync(dir).filter((f) => /^history(-[0-9]+)?\.json$/.test(f));

/** The data dir as a Jobdeck from before one-record-a-line left it: all history in one compact history.json. */
function toOlderLayout(dir: string): void {
  const all: unknown[] = [];
  for (const f of storeFiles(dir)) {
    all.push(...(JSON.parse(readFileSync(join(dir, f), 'utf8')) as { jobs: unknown[] }).jobs);
    rmSync(join(dir, f));
  }
  writeFileSync(join(dir, 'history.json'), JSON.stringify({ schemaVersion: 1, jobs: all }));
}

/** Every job the store holds after a reopen: exactly `model`'s ids, each as its latest version. */
async function expectExactly(store: JobStore, model: Map<string, Job>, when: string): Promise<void> {
  expect(store.problems.map((p) => p.message), when).toEqual([]);
  const seen = new Map<string, Job>();
  for (const j of store.allJobs()) {
    expect(seen.has(j.id), `${when}: ${j.id} twice`).toBe(false);
    seen.set(j.id, j);
  }
  const missing = [...model.keys()].filter((id) => !seen.has(id));
  const extra = [...seen.keys()].filter((id) => !model.has(id));
  expect({ missing: missing.slice(0, 5), missingCount: missing.length, extra: extra.slice(0, 5) }, when).toEqual({ missing: [], missingCount: 0, extra: [] });
  const stale = [...model.values()].filter((j) => {
    const s = seen.get(j.id)!;
    return s.status !== j.status || s.message !== j.message || s.attempts.length !== j.attempts.length;
  });
  expect(stale.slice(0, 3).map((j) => [j.id, j.status, j.message, seen.get(j.id)!.status, seen.get(j.id)!.message]), `${when}: stale`).toEqual([]);
  // The listing agrees with the ids (the indexes hold every row once).
  expect(store.listJobs({ sort: 'createdAt', order: 'desc', offset: 0, limit: 1 }).total, when).toBe(model.size);
}

const OPTS = { recentFinished: 25, historyFileJobs: 120, writeDelayMs: 0, minWriteGapMs: 0, maxWriteDelayMs: 5, historyMaxDelayMs: 20 } satisfies Omit<StoreOptions, 'dataDir'>;

async function run(steps: Step[]): Promise<void> {
  const dir = tmp();
  // History files may fail to be written (a full disk that state.json's smaller writes still fit).
  let historyFails = false;
  const failing = (): FileWriter => {
    const real = lowdbWriter();
    return {
      write: (file, data) => (historyFails && !file.endsWith('state.json') ? Promise.reject(new Error('ENOSPC: no space left on device')) : real.write(file, data)),
      append: (file, text) => real.append!(file, text),
    };
  };
  const open = (dataDir = dir) => JobStore.open({ dataDir, ...OPTS, writer: failing() });
  let store = await open();
  const model = new Map<string, Job>();
  let version = 0;
  let clock = T0 + 10_000_000;
  const pickOf = (pick: number, n: number, where: (j: Job) => boolean): Job[] => {
    const all = [...model.values()].filter(where);
    if (all.length === 0) return [];
    const out: Job[] = [];
    for (let i = 0; i < Math.min(n, all.length); i++) out.push(all[(pick + i * 7919) % all.length]!);
    return [...new Map(out.map((j) => [j.id, j])).values()];
  };
  const put = (j: Job) => {
    store.putJob(j);
    model.set(j.id, j);
  };
  try {
    for (const [i, s] of steps.entries()) {
      const when = `after step ${i} (${s.kind})`;
      switch (s.kind) {
        case 'create':
          for (let k = 0; k < s.n; k++) put(newJob());
          break;
        case 'run':
          for (const j of pickOf(s.pick, s.n, (j) => j.status === 'pending')) put({ ...j, status: 'running', startedAt: iso((clock += 10)) });
          break;
        case 'finish':
          for (const j of pickOf(s.pick, s.n, (j) => j.status === 'pending' || j.status === 'running')) put(finishedAs(j, TERMINAL[s.status]!, (clock += 10), ++version));
          break;
        case 'retry':
          // A finished job (hot or long in history) goes back to pending with a new attempt coming.
          for (const j of pickOf(s.pick, s.n, (j) => TERMINAL.includes(j.status))) {
            const { finishedAt: _f, reason: _r, ...rest } = j;
            put({ ...rest, status: 'pending', message: `v${++version}`, attempts: [...j.attempts, { number: j.attempts.length + 1, index: 0, engineId: 'docker', status: 'failed', createdAt: iso(clock), logBytes: 0, logTruncated: false, artifacts: [] }] });
          }
          break;
        case 'touch':
          // A finished job changed where it is (its message), without leaving history.
          for (const j of pickOf(s.pick, s.n, (j) => TERMINAL.includes(j.status))) put({ ...j, message: `v${++version}` });
          break;
        case 'remove': {
          const gone = pickOf(s.pick, s.n, () => true).map((j) => j.id);
          expect(store.removeJobs(gone), when).toBe(gone.length);
          for (const id of gone) model.delete(id);
          break;
        }
        case 'retention': {
          // As retention.run does: the oldest finished beyond `keep` go.
          const finished = [...store.allJobs()].filter((j) => TERMINAL.includes(j.status)).sort((a, b) => (b.finishedAt ?? '').localeCompare(a.finishedAt ?? ''));
          const gone = finished.slice(s.keep).map((j) => j.id);
          expect(store.removeJobs(gone), when).toBe(gone.length);
          for (const id of gone) model.delete(id);
          break;
        }
        case 'historyFails':
          historyFails = s.on;
          break;
        case 'yield':
          for (let k = 0; k < s.n; k++) await turn();
          break;
        case 'persist':
          await store.persist();
          break;
        case 'flush':
          await store.flush();
          break;
        case 'checked':
          await store.whenChecked();
          break;
        case 'reopen':
        case 'legacy':
          historyFails = false;
          await store.close();
          if (s.kind === 'legacy') toOlderLayout(dir);
          store = await open();
          await expectExactly(store, model, when);
          break;
        case 'crash': {
          // What is on disk once every change is (persist), opened as after a crash: no close.
          await store.persist();
          const copy = tmp();
          cpSync(dir, copy, { recursive: true, filter: (src) => !basename(src).startsWith('.') });
          const crashed = await open(copy);
          await expectExactly(crashed, model, when);
          await crashed.close();
          break;
        }
      }
    }
    historyFails = false;
    await store.close();
    store = await open();
    await expectExactly(store, model, 'at the end');
  } finally {
    await store.close();
  }

}

describe('store integrity: no job lost or duplicated', () => {
  it('random sequences of creates, finishes, retries, removals, retention, restarts, older layouts and crashes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 10, maxLength: 60 }), (steps) => run(steps)),
      { numRuns: Number(process.env.STORE_INTEGRITY_RUNS ?? 25), endOnFailure: true },
    );
  }, 600_000);
});



/** The real writer, with a hook after each whole-file write and a way to fail or hold one. */
class CrashWriter implements FileWriter {
  private readonly real = lowdbWriter();
  fail: (file: string) => boolean = () => false;
  hold: ((file: string) => Promise<void> | undefined) | undefined;
  afterWrite: ((file: string) => void) | undefined;
  async write(file: string, data: unknown): Promise<void> {
    const held = this.hold?.(file);
    if (held) await held;
    if (this.fail(file)) throw new Error('ENOSPC: no space left on device');
    await this.real.write(file, data);
    this.afterWrite?.(file);
  }
  append(file: string, text: string): Promise<void> {
    return this.real.append!(file, text);
  }
}

const copyDir = (dir: string): string => {
  const to = tmp();
  cpSync(dir, to, { recursive: true, filter: (src) => !basename(src).startsWith('.') });
  return to;
};

describe('store integrity: the order of writes', () => {
  const finished = (over: Partial<Job> = {}): Job => {
    const j = newJob();
    return { ...finishedAs(j, 'failed', T0 + j.seq * 1000, 0), ...over };
  };

  it('a job retried out of one history file and spilled into another is not its older copy after a crash (it failed before: the first file still held it)', async () => {
    const dir = tmp();
    const writer = new CrashWriter();
    const opts = { dataDir: dir, recentFinished: 1, historyFileJobs: 2, writer };
    const store = await JobStore.open(opts);
    // history.json takes a and j; the hot set keeps the newest.
    const [a, j, b, c] = [finished(), finished(), finished(), finished()];
    for (const x of [a, j, b, c]) store.putJob(x);
    await store.flush();
    expect(JSON.parse(readFileSync(join(dir, 'history.json'), 'utf8')).jobs.map((x: Job) => x.id)).toContain(j.id);
    // From now on history.json cannot be written (a full disk, or a crash before its turn).
    writer.fail = (file) => file.endsWith('history.json');
    const retried: Job = { ...j, status: 'pending', message: 'retried' };
    store.putJob(retried);
    const latest: Job = { ...finishedAs(retried, 'completed', T0 + 10_000_000, 1), message: 'latest' };
    store.putJob(latest);
    // Enough finish after it that it spills into history-1.json (or later).
    for (let i = 0; i < 4; i++) store.putJob(finished({ finishedAt: iso(T0 + 20_000_000 + i) }));
    await store.flush();
    await store.flush();
    const crashed = await JobStore.open({ dataDir: copyDir(dir) });
    expect(crashed.getJob(j.id)?.message).toBe('latest');
    expect(crashed.getJob(j.id)?.status).toBe('completed');
    await crashed.close();
    writer.fail = () => false;
    await store.close();
    const again = await JobStore.open({ dataDir: dir });
    expect(again.getJob(j.id)?.message).toBe('latest');
    await again.close();
  });

  it('a history file a job leaves while an earlier one is being written waits for state.json (it failed before: the job was in no file)', async () => {
    const dir = tmp();
    const writer = new CrashWriter();
    const opts = { dataDir: dir, recentFinished: 1, historyFileJobs: 2, writeDelayMs: 10_000, maxWriteDelayMs: 10_000, writer };
    const store = await JobStore.open(opts);
    const jobs = Array.from({ length: 6 }, () => finished());
    for (const x of jobs) store.putJob(x);
    await store.flush();
    const inSecond = (JSON.parse(readFileSync(join(dir, 'history-1.json'), 'utf8')) as { jobs: Job[] }).jobs.map((x) => x.id);
    const j = jobs.find((x) => inSecond.includes(x.id))!;
    // Both history files dirty: one more job each (touched where they are).
    const inFirst = jobs.find((x) => !inSecond.includes(x.id) && store.getJob(x.id) && JSON.parse(readFileSync(join(dir, 'history.json'), 'utf8')).jobs.some((y: Job) => y.id === x.id))!;
    store.putJob({ ...inFirst, message: 'touched' });
    store.putJob({ ...store.getJob(inSecond.find((id) => id !== j.id) ?? j.id)!, message: 'touched' });
    // history.json's write is held; meanwhile j is retried out of history-1.json.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    writer.hold = (file) => (file.endsWith('history.json') ? gate : undefined);
    const images: string[] = [];
    writer.afterWrite = (file) => {
      if (file.endsWith('history-1.json')) images.push(copyDir(dir));
    };
    const flushing = store.flush();
    await turn();
    store.putJob({ ...j, status: 'pending', message: 'retried' });
    writer.hold = undefined;
    release();
    await flushing;
    await store.flush();
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) {
      // A crash right after that file was written.
      const crashed = await JobStore.open({ dataDir: image });
      expect(crashed.getJob(j.id)?.message).toBe('retried');
      await crashed.close();
    }
    await store.close();
  });
});

describe("store integrity: the bench's scenario, smaller", () => {
  // bench/store.bench.ts: a store of N finished jobs and 20 active ones, opened (its history
  // records still text, the background check under way), a stream of changes (500 active jobs
  // going pending → running → 2 × progress → finished, a new job in each finished one's place,
  // so that finished jobs spill into history meanwhile), a crash image, a close and a restart:
  // every job is there after the final restart.
  const N = 20_000;
  const ACTIVE = 500;
  const UPDATES = 6_000;
  // One round in npm test (each takes several seconds); STORE_INTEGRITY_ROUNDS=3 when changing the store.
  const ROUNDS = Number(process.env.STORE_INTEGRITY_ROUNDS ?? 1);

  async function seed(dir: string): Promise<Job[]> {
    const store = await JobStore.open({ dataDir: dir });
    const jobs: Job[] = [];
    for (let i = 0; i < N; i++) {
      const j = newJob();
      jobs.push(finishedAs(j, TERMINAL[i % 3]!, T0 + j.seq * 1000 + 500, 0));
    }
    for (let i = 0; i < 20; i++) jobs.push(i % 2 ? { ...newJob(), status: 'running' } : newJob());
    for (const j of jobs) store.putJob(j);
    await store.close();
    return jobs;
  }

  for (const layout of ['one record a line', 'the older layout'] as const) {
    it(`${N.toLocaleString('en')} jobs, a stream of ${UPDATES} changes during the background check, a restart: every job there (${layout}), ${ROUNDS} time(s)`, async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const dir = tmp();
        const model = new Map((await seed(dir)).map((j) => [j.id, j]));
        if (layout === 'the older layout') toOlderLayout(dir);
        const store = await JobStore.open({ dataDir: dir });
        const active: { job: Job; step: number }[] = [];
        const put = (j: Job) => {
          store.putJob(j);
          model.set(j.id, j);
        };
        for (let i = 0; i < ACTIVE; i++) {
          const j = newJob();
          put(j);
          active.push({ job: j, step: 0 });
        }
        for (let done = 0; done < UPDATES; done++) {
          const slot = active[done % ACTIVE]!;
          const j = slot.job;
          if (slot.step === 0) put({ ...j, status: 'running', startedAt: iso(T0 + done) });
          else if (slot.step < 3) put({ ...j, message: `progress ${slot.step}` });
          else put(finishedAs(j, done % 7 ? 'completed' : 'failed', T0 + 50_000_000 + done, done));
          if (slot.step >= 3) {
            const fresh = newJob();
            put(fresh);
            active[done % ACTIVE] = { job: fresh, step: 0 };
          } else active[done % ACTIVE] = { job: model.get(j.id)!, step: slot.step + 1 };
          // Let the background check, the timers and the writes in between (about the bench's pace).
          if (done % 50 === 0) await new Promise((r) => setTimeout(r, 1));
        }
        await store.persist();
        const crashed = await JobStore.open({ dataDir: copyDir(dir) });
        await expectExactly(crashed, model, `round ${round}: crash image`);
        await crashed.close();
        await store.close();
        const again = await JobStore.open({ dataDir: dir });
        await expectExactly(again, model, `round ${round}: after the final restart`);
        await again.close();
      }
    }, 300_000);
  }
});

describe('store integrity: history files edited by hand', () => {
  it('lines that only look like records (two on one line, one over two) are not written back as pieces (it failed before: the next start set the file aside)', async () => {
    const dir = tmp();
    await (await JobStore.open({ dataDir: dir })).close();
    const [a, b, c, d] = Array.from({ length: 4 }, () => {
      const j = newJob();
      return finishedAs(j, 'completed', T0 + j.seq * 1000 + 500, 0);
    });
    const split = JSON.stringify(c).replace('","', '",\n"');
    // As many newlines as this version's form has for four records, but not one record a line.
    const text = `{"schemaVersion":1,"jobs":[\n${JSON.stringify(a)},${JSON.stringify(b)},\n${split},\n${JSON.stringify(d)}\n]}`;
    expect(text.split('\n').length).toBe(6);
    writeFileSync(join(dir, 'history.json'), text);
    const store = await JobStore.open({ dataDir: dir });
    // history.json is written again (without b) before any of its records is read.
    expect(store.removeJobs([b!.id])).toBe(1);
    await store.close();
    const again = await JobStore.open({ dataDir: dir });
    expect(again.problems).toEqual([]);
    const model = new Map([a!, c!, d!].map((j) => [j.id, j]));
    await expectExactly(again, model, 'after the restart');
    await again.close();
  });
});

describe('store integrity: a history file split', () => {
  it('a job changed after its file was split, while the file split could not be written, is its latest after a crash (it failed before: its older copy won)', async () => {
    const dir = tmp();
    await (await JobStore.open({ dataDir: dir })).close();
    const jobs = Array.from({ length: 6 }, () => {
      const j = newJob();
      return finishedAs(j, 'completed', T0 + j.seq * 1000 + 500, 0);
    });
    // As an older Jobdeck left it: one history.json over the size limit.
    writeFileSync(join(dir, 'history.json'), JSON.stringify({ schemaVersion: 1, jobs }));
    const writer = new CrashWriter();
    writer.fail = (file) => file.endsWith('history.json');
    const store = await JobStore.open({ dataDir: dir, historyFileJobs: 2, writer });
    await store.flush();
    expect(storeFiles(dir).length).toBeGreaterThan(1);
    const j = jobs.at(-1)!;
    store.putJob({ ...store.getJob(j.id)!, message: 'latest' });
    await store.flush();
    await store.flush();
    const crashed = await JobStore.open({ dataDir: copyDir(dir), historyFileJobs: 2 });
    expect(crashed.getJob(j.id)?.message).toBe('latest');
    await expectExactly(crashed, new Map(jobs.map((x) => [x.id, x.id === j.id ? { ...x, message: 'latest' } : x])), 'crash image');
    await crashed.close();
    writer.fail = () => false;
    await store.close();
  });
});
