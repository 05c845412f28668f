// Issue 4, reliability 3, through the whole app: the data directory becomes read-only, then the
// disk fills up, while jobs run. Real faults: the data dir is a small tmpfs of its own, remounted
// read-only or filled to ENOSPC (root is needed; chmod would not stop root).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEvent } from '../../src/shared/ipc';
import { startCore, type TestCore } from '../support/core';
import { clientFor, engineTargets, ensureTestImage, TEST_IMAGE } from '../support/engines';

const target = (await engineTargets()).find((t) => !t.missing);
const isRoot = process.getuid?.() === 0;
const why = !target ? 'no engine answers' : !isRoot ? 'needs root to mount a tmpfs' : undefined;

const spec = (name: string) => ({ name, image: TEST_IMAGE, network: 'none', pullPolicy: 'Never', command: `echo ${name}` });
const storeErrors = (events: AppEvent[]) =>
  events.filter((e): e is Extract<AppEvent, { name: 'store.error' }> => e.name === 'store.error').map((e) => e.payload.message);

describe.skipIf(Boolean(why))(`store faults through the app${why ? ` (skipped: ${why})` : ''}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobdeck-fault-'));
  let t: TestCore;
  const state = () => readFileSync(join(dir, 'state.json'), 'utf8');
  const mount = (...opts: string[]) => execFileSync('mount', ['-t', 'tmpfs', '-o', opts.join(','), 'tmpfs', dir]);
  const remount = (mode: 'ro' | 'rw') => execFileSync('mount', ['-o', `remount,${mode}`, dir]);

  beforeAll(async () => {
    await ensureTestImage(clientFor(target!.host));
    mount('size=4m', 'mode=0755');
    t = await startCore(target!, { dataDir: dir });
  });
  afterAll(async () => {
    try {
      remount('rw');
    } catch {
      // already rw
    }
    await t?.core.close({ stopRunning: true });
    execFileSync('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a read-only data dir: the job still runs and is shown, the store and log errors are said, the last good file stays, and it saves once writable', async () => {
    const first = await t.call('jobs.create', { spec: spec('before') });
    await t.waitFor(first.id);
    await t.core.handlers['settings.get']({}, { clientId: 'test' });
    await t.core.flush(); // everything so far on disk
    const good = state();
    expect(JSON.parse(good).jobs.map((j: { id: string }) => j.id)).toContain(first.id);

    remount('ro');
    let job;
    try {
      const errorsBefore = storeErrors(t.events).length;
      job = await t.call('jobs.create', { spec: spec('during-ro') });
      const done = await t.waitFor(job.id);
      expect(done).toMatchObject({ status: 'completed', exitCode: 0 });
      await t.core.flush(); // resolves once the write has failed and been reported
      const said = () => storeErrors(t.events).slice(errorsBefore).join('\n');
      expect(said()).toMatch(/could not save the store .*EROFS/);
      await expect.poll(said).toMatch(/could not write the log of job .*The job runs on/);
      expect(state(), 'the last good file is untouched').toBe(good);
      expect((await t.call('jobs.get', { id: job.id })).status).toBe('completed');
    } finally {
      remount('rw');
    }
    await t.call('settings.update', { concurrency: 3 }); // the next change writes everything kept in memory
    await expect.poll(() => JSON.parse(state()).jobs.map((j: { id: string }) => j.id)).toEqual(expect.arrayContaining([first.id, job.id]));
  });

  it('a full disk: the app keeps running and says so; the last good file parses as it was; freeing space saves everything', async () => {
    await t.core.flush();
    const good = state();
    const filler = join(dir, 'filler');
    // Fill the tmpfs to the last byte (ENOSPC ends the write).
    try {
      writeFileSync(filler, Buffer.alloc(8 * 1024 * 1024));
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
    }
    const errorsBefore = storeErrors(t.events).length;
    const job = await t.call('jobs.create', { spec: spec('during-full') });
    const done = await t.waitFor(job.id);
    expect(done.status).toBe('completed');
    await t.core.flush(); // resolves once the write has failed and been reported
    const said = storeErrors(t.events).slice(errorsBefore);
    expect(said.join('\n')).toMatch(/could not save the store .*ENOSPC/);
    expect(state(), 'the last good file is untouched').toBe(good);
    expect(() => JSON.parse(state())).not.toThrow();

    rmSync(filler);
    await t.call('settings.update', { concurrency: 4 }); // the next change writes everything kept in memory
    await expect.poll(() => JSON.parse(state()).jobs.map((j: { id: string }) => j.id)).toContain(job.id);
  });
});
