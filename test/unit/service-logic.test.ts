import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/main/ipc/dispatch';
import { keyFileCodec, maskEnv, sealEnv, unsealEnv } from '../../src/main/core/secrets';
import { computeStats } from '../../src/main/core/service/stats';
import { AppError } from '../../src/shared/errors';
import { SECRET_MASK, type Handlers } from '../../src/shared/ipc';
import type { Job } from '../../src/shared/job';
import { spec } from '../support/fakes';

describe('secrets', () => {
  const codec = keyFileCodec(mkdtempSync(join(tmpdir(), 'jobdeck-secret-')));
  it('seals secret values for the file, unseals them for the container, masks them outside', () => {
    const sealed = sealEnv([{ name: 'T', value: 'pw', secret: true }, { name: 'P', value: 'plain', secret: false }], codec);
    expect(sealed[0]!.value).toMatch(/^sealed:v1:/);
    expect(JSON.stringify(sealed)).not.toContain('"pw"');
    expect(unsealEnv(sealed, codec)).toEqual(['T=pw', 'P=plain']);
    expect(maskEnv(sealed)[0]!.value).toBe(SECRET_MASK);
  });

  it('keeps the stored value when the masked value comes back from the form', () => {
    const first = sealEnv([{ name: 'T', value: 'pw', secret: true }], codec);
    const again = sealEnv([{ name: 'T', value: SECRET_MASK, secret: true }], codec, first);
    expect(again[0]!.value).toBe(first[0]!.value);
  });
});

describe('stats', () => {
  const job = (i: number, status: Job['status'], ms: number, templateName = 't'): Job => ({
    id: `j${i}`,
    templateName,
    spec: spec(),
    status,
    priority: 3,
    seq: i,
    origin: 'manual',
    dependsOn: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: new Date(Date.parse('2026-01-01T00:00:00.000Z') + ms).toISOString(),
    failures: 0,
    succeededIndexes: [],
    // Durations come from the attempts' stamps (shared/jobNumbers.ts), as on the job page.
    attempts: [
      {
        number: 1,
        index: 0,
        engineId: 'docker',
        status: status === 'completed' ? 'succeeded' : 'failed',
        createdAt: '2026-01-01T00:00:00.000Z',
        startedAt: '2026-01-01T00:00:00.000Z',
        finishedAt: new Date(Date.parse('2026-01-01T00:00:00.000Z') + ms).toISOString(),
        logBytes: 0,
        logTruncated: false,
        artifacts: [],
      },
    ],
    ...(status === 'failed' ? { reason: 'Error' as const } : {}),
  });

  it('counts by status, success rate, mean and p95 duration, per template', () => {
    const jobs = [
      ...Array.from({ length: 19 }, (_, i) => job(i, 'completed', 1000)),
      job(19, 'failed', 21_000, 'other'),
    ];
    const s = computeStats(jobs);
    expect(s.counts).toMatchObject({ completed: 19, failed: 1 });
    expect(s.successRate).toBeCloseTo(0.95);
    expect(s.meanDurationMs).toBe(2000);
    expect(s.p95DurationMs).toBe(1000);
    expect(s.byTemplate[0]).toMatchObject({ templateName: 'other', failed: 1, successRate: 0 });
    expect(s.failuresByReason).toEqual({ Error: 1 });
  });
});

describe('command dispatcher', () => {
  const handlers = {
    'jobs.get': async ({ id }: { id: string }) => {
      if (id === 'boom') throw new Error('disk on fire');
      throw new AppError('NOT_FOUND', `no job ${id}`);
    },
  } as unknown as Handlers;
  const dispatch = createDispatcher(handlers);
  const ctx = { clientId: 'c' };

  it('refuses a command the contract does not name', async () => {
    expect(await dispatch('fs.readFile', {}, ctx)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_COMMAND' } });
    expect(await dispatch({ evil: true }, {}, ctx)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_COMMAND' } });
  });

  it('turns bad input into a typed validation error naming the field', async () => {
    const r = await dispatch('jobs.get', { id: 42 }, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION', issues: [{ path: 'id' }] } });
  });

  it('carries AppErrors across as their code, and anything else as INTERNAL', async () => {
    expect(await dispatch('jobs.get', { id: 'x' }, ctx)).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'no job x' } });
    expect(await dispatch('jobs.get', { id: 'boom' }, ctx)).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: 'disk on fire' } });
  });
});
