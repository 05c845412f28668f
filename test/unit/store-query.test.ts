import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JobStore } from '../../src/main/core/store/jobStore';
import { time } from '../../src/main/core/store/query';
import { isTerminal, type Job, type JobStatus } from '../../src/shared/job';
import { jobSpan, ranMs } from '../../src/shared/jobNumbers';
import { JobFilter, type JobFilterInput } from '../../src/shared/query';
import { spec } from '../support/fakes';

// Pages come from orders the store keeps up to date on every change (no sort per query): checked
// here against a plain filter-and-sort over the same jobs, through puts, in-place changes,
// removals and a reopen.

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'jobdeck-store-query-'));
  dirs.push(d);
  return d;
};

/** A small deterministic generator, so that a failure can be replayed. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const STATUSES: JobStatus[] = ['pending', 'running', 'completed', 'failed', 'cancelled'];
const T0 = Date.UTC(2026, 0, 1);

function randomJob(r: () => number, seq: number): Job {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const status = pick(STATUSES);
  const created = T0 + Math.floor(r() * 50) * 60_000; // many ties on createdAt
  const started = status === 'pending' ? undefined : created + Math.floor(r() * 10) * 1000;
  const finished = started !== undefined && status !== 'running' && r() < 0.9 ? started + Math.floor(r() * 20) * 1000 : undefined;
  const t = Math.floor(r() * 4);
  return {
    id: `job-${seq}-${Math.floor(r() * 1e6).toString(36)}`,
    ...(r() < 0.8 ? { templateId: `t${t}` } : {}),
    templateName: `Template ${t}`,
    spec: spec({ name: `Template ${t}`, image: pick(['alpine', 'Busybox:1', 'registry/App']), command: pick(['true', 'echo Hello', ['sh', '-c', 'exit 3']]) }),
    status,
    ...(status === 'failed' && r() < 0.7 ? { message: pick(['Disk full', 'OOM', 'exit code 3']) } : {}),
    priority: 1 + Math.floor(r() * 5),
    seq,
    origin: 'manual',
    dependsOn: [],
    createdAt: new Date(created).toISOString(),
    ...(started !== undefined ? { startedAt: new Date(started).toISOString() } : {}),
    ...(finished !== undefined ? { finishedAt: new Date(finished).toISOString() } : {}),
    failures: 0,
    succeededIndexes: [],
    attempts: started === undefined ? [] : [{ number: 1, index: 0, engineId: pick(['docker', 'podman']), status: 'running', createdAt: new Date(created).toISOString(), logBytes: 0, logTruncated: false, artifacts: [] }],
  };
}

/** The plain reading of a filter: what the store's pages must equal. */
function reference(jobs: Job[], f: JobFilter): { total: number; ids: string[] } {
  const text = f.text?.trim().toLowerCase();
  const from = f.from ? Date.parse(f.from) : undefined;
  const to = f.to ? Date.parse(f.to) : undefined;
  const matched = jobs.filter((j) => {
    if (f.status && !f.status.includes(j.status)) return false;
    if (f.templateId !== undefined && j.templateId !== f.templateId) return false;
    if (f.templateName !== undefined && j.templateName !== f.templateName) return false;
    if (f.engineId !== undefined && !j.attempts.some((a) => a.engineId === f.engineId)) return false;
    const c = Date.parse(j.createdAt);
    if (from !== undefined && !(c >= from)) return false;
    if (to !== undefined && !(c <= to)) return false;
    if (text) {
      const cmd = j.spec.command === undefined ? '' : typeof j.spec.command === 'string' ? j.spec.command : j.spec.command.join(' ');
      if (!`${j.id} ${j.templateName} ${j.spec.image} ${cmd} ${j.message ?? ''}`.toLowerCase().includes(text)) return false;
    }
    return true;
  });
  const key = (j: Job): number => {
    if (f.sort === 'priority') return j.priority;
    if (f.sort === 'finishedAt') return j.finishedAt ? Date.parse(j.finishedAt) : -Infinity;
    // The duration the row shows: the latest run over its attempts' stamps.
    if (f.sort === 'duration') {
      if (!isTerminal(j.status)) return -1;
      return ranMs(jobSpan(j)) ?? (j.startedAt && j.finishedAt ? Date.parse(j.finishedAt) - Date.parse(j.startedAt) : -1);
    }
    if (f.sort === 'startedAt') return j.startedAt ? Date.parse(j.startedAt) : -Infinity;
    if (f.sort === 'status') return ['pending', 'running', 'completed', 'failed', 'cancelled'].indexOf(j.status);
    if (f.sort === 'exitCode') return typeof j.exitCode === 'number' ? j.exitCode : -Infinity;
    return Date.parse(j.createdAt);
  };
  const dir = f.order === 'asc' ? 1 : -1;
  if (f.sort === 'templateName') matched.sort((a, b) => (a.templateName.localeCompare(b.templateName) || a.seq - b.seq) * dir);
  else matched.sort((a, b) => (key(a) - key(b) || a.seq - b.seq) * dir);
  return { total: matched.length, ids: matched.slice(f.offset, f.offset + f.limit).map((j) => j.id) };
}

function randomFilter(r: () => number): JobFilter {
  const f: JobFilterInput = {
    sort: (['createdAt', 'finishedAt', 'priority', 'duration', 'startedAt', 'status', 'templateName', 'exitCode'] as const)[Math.floor(r() * 8)]!,
    order: r() < 0.5 ? 'asc' : 'desc',
    offset: Math.floor(r() * 40),
    limit: 1 + Math.floor(r() * 30),
  };
  if (r() < 0.4) f.status = STATUSES.filter(() => r() < 0.4);
  if (r() < 0.2) f.templateId = `t${Math.floor(r() * 4)}`;
  if (r() < 0.15) f.templateName = `Template ${Math.floor(r() * 4)}`;
  if (r() < 0.15) f.engineId = r() < 0.5 ? 'docker' : 'podman';
  if (r() < 0.2) f.from = new Date(T0 + Math.floor(r() * 50) * 60_000).toISOString();
  if (r() < 0.2) f.to = new Date(T0 + Math.floor(r() * 50) * 60_000).toISOString();
  if (r() < 0.3) f.text = ['hello', 'BUSY', 'disk', 'template 2', 'job-1', ' oom '][Math.floor(r() * 6)]!;
  return JobFilter.parse(f);
}

describe('store: pages against a plain filter and sort', () => {
  it.each([1, 2, 3])('random jobs, changes and filters agree (seed %i)', async (seed) => {
    const r = rng(seed);
    const dir = tmp();
    const s = await JobStore.open({ dataDir: dir, recentFinished: 10, historyFileJobs: 25 });
    let seq = 0;
    const jobs = new Map<string, Job>();
    for (let i = 0; i < 150; i++) {
      const j = randomJob(r, ++seq);
      s.putJob(j);
      jobs.set(j.id, j);
    }
    const check = (store: JobStore, rounds: number) => {
      for (let q = 0; q < rounds; q++) {
        const f = randomFilter(r);
        const page = store.listJobs(f);
        const want = reference([...jobs.values()], f);
        expect({ total: page.total, ids: page.items.map((j) => j.id) }, JSON.stringify(f)).toEqual(want);
      }
    };
    check(s, 60);
    for (let round = 0; round < 5; round++) {
      const ids = [...jobs.keys()];
      for (let c = 0; c < 40; c++) {
        const id = ids[Math.floor(r() * ids.length)]!;
        const cur = jobs.get(id);
        if (!cur) continue;
        const x = r();
        if (x < 0.15) {
          s.removeJobs([id]);
          jobs.delete(id);
        } else if (x < 0.35) {
          // A changed copy of the stored job, then put (stored jobs are frozen: the repository's way).
          const live = { ...s.getJob(id)! };
          live.status = 'failed';
          live.message = 'Disk full again';
          live.finishedAt = new Date(T0 + Math.floor(r() * 100) * 1000).toISOString();
          live.startedAt ??= live.createdAt;
          s.putJob(live);
          jobs.set(id, live);
        } else {
          const next = { ...randomJob(r, cur.seq), id };
          s.putJob(next);
          jobs.set(id, next);
        }
      }
      for (let i = 0; i < 10; i++) {
        const j = randomJob(r, ++seq);
        s.putJob(j);
        jobs.set(j.id, j);
      }
      check(s, 40);
    }
    await s.close();
    const again = await JobStore.open({ dataDir: dir, recentFinished: 10, historyFileJobs: 25 });
    check(again, 60);
    await again.whenChecked();
    check(again, 30);
  });
});

describe('store: reading stored times', () => {
  it('reads the times Jobdeck writes exactly as Date.parse does, and falls back to it for any other form', () => {
    const r = rng(7);
    for (let i = 0; i < 2000; i++) {
      const iso = new Date(Math.floor(r() * 4e12)).toISOString();
      expect(time(iso)).toBe(Date.parse(iso));
    }
    for (const s of ['2026-01-01T00:00:00Z', '2026-01-01T02:00:00+02:00', '2026-01-01', '2026-13-01T00:00:00.000Z', '2026-01-01T00:00:00.000X', 'not a time', '']) {
      const p = Date.parse(s);
      expect(time(s), s).toBe(Number.isNaN(p) ? -Infinity : p);
    }
    expect(time(undefined)).toBe(-Infinity);
  });
});
