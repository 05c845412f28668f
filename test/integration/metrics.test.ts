// /metrics on the headless host and `jobdeck metrics`, with real jobs on both real engines: the
// counters, histograms and gauges move with what the jobs did.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobDurationMs } from '../../src/shared/jobNumbers';
import { startHeadless, type HeadlessHost } from '../../src/main/headless/server';
import { startSocket, type SocketHost } from '../../src/main/socket/socketServer';
import { useEngineCore } from '../support/core';
import { engineTargets, TEST_IMAGE } from '../support/engines';

const targets = await engineTargets();
const TOKEN = 'metrics-it-token-0123456789abcdef';

/** One sample's value from exposition text (labels in the order prom-client prints them). */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe.each(targets)('on $kind', (target) => {
  const t = useEngineCore(target);
  let host: HeadlessHost | undefined;
  let socket: SocketHost | undefined;
  let staticDir: string | undefined;

  describe.skipIf(Boolean(target.missing))(`${target.kind} engine`, () => {
    beforeAll(async () => {
      staticDir = mkdtempSync(join(tmpdir(), 'jobdeck-metrics-it-'));
      writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Jobdeck</title>');
      host = await startHeadless({ core: t.core, staticDir, port: 0, token: TOKEN });
      socket = await startSocket({ core: t.core, dataDir: t.dataDir });
      t.core.setSocket(socket.path);
    });
    afterAll(async () => {
      await socket?.close();
      await host?.close();
      if (staticDir) rmSync(staticDir, { recursive: true, force: true });
    });

    const scrape = async () => {
      const res = await fetch(`http://127.0.0.1:${host!.port}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(200);
      return res.text();
    };
    const run = (name: string, command: string) =>
      t.call('jobs.create', { spec: { name, image: TEST_IMAGE, network: 'none', pullPolicy: 'Never', engine: target.kind, command } });

    it('counts a completed and a failed job by template, their durations, queue waits and log bytes; the engine is up', async () => {
      const ok = `mx-${target.kind}-ok`;
      const bad = `mx-${target.kind}-bad`;
      const before = await scrape();
      expect(sample(before, `jobdeck_engine_up{engine="${target.kind}",kind="${target.kind}"}`)).toBe(1);
      expect(sample(before, `jobdeck_jobs_finished_total{status="completed",template="${ok}"}`)).toBeUndefined();
      const bytesBefore = sample(before, 'jobdeck_log_bytes_written_total') ?? 0;

      const a = await run(ok, 'echo hello from metrics; sleep 1');
      const b = await run(bad, 'echo failing >&2; exit 3');
      const done = await t.waitFor(a.id);
      expect(done.status).toBe('completed');
      expect((await t.waitFor(b.id)).status).toBe('failed');
      await t.core.flush();

      const after = await scrape();
      expect(sample(after, `jobdeck_jobs_finished_total{status="completed",template="${ok}"}`)).toBe(1);
      expect(sample(after, `jobdeck_jobs_finished_total{status="failed",template="${bad}"}`)).toBe(1);
      expect(sample(after, `jobdeck_job_duration_seconds_count{status="completed",template="${ok}"}`)).toBe(1);
      // The job page's duration (Podman stamps some ends to the second: the same number, whatever it is).
      expect(sample(after, `jobdeck_job_duration_seconds_sum{status="completed",template="${ok}"}`)).toBe(jobDurationMs(done)! / 1000);
      expect(sample(after, `jobdeck_job_queue_wait_seconds_count{template="${ok}"}`)).toBe(1);
      expect(sample(after, `jobdeck_job_queue_wait_seconds_count{template="${bad}"}`)).toBe(1);
      expect(sample(after, 'jobdeck_log_bytes_written_total')).toBeGreaterThanOrEqual(bytesBefore + 'hello from metrics\n'.length + 'failing\n'.length);
      expect(sample(after, 'jobdeck_jobs_running')).toBe(0);
      expect(sample(after, 'jobdeck_jobs_pending')).toBe(0);
    });

    it('the running gauge is 1 while a job runs; `jobdeck metrics` prints the same text through the local socket', async () => {
      const job = await run(`mx-${target.kind}-slow`, 'sleep 3');
      await t.waitFor(job.id, (j) => j.status === 'running');
      expect(sample(await scrape(), 'jobdeck_jobs_running')).toBe(1);
      const env = { ...process.env };
      delete env.DOCKER_HOST;
      delete env.CONTAINER_HOST;
      const child = spawn(process.execPath, [join(process.cwd(), 'bin/jobdeck.mjs'), '--data-dir', t.dataDir, 'metrics'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
      expect(code, stderr).toBe(0);
      expect(stdout).toContain('# TYPE jobdeck_jobs_finished_total counter');
      expect(sample(stdout, `jobdeck_engine_up{engine="${target.kind}",kind="${target.kind}"}`)).toBe(1);
      expect(sample(stdout, `jobdeck_jobs_finished_total{status="completed",template="mx-${target.kind}-ok"}`)).toBe(1);
      expect((await t.waitFor(job.id)).status).toBe('completed');
    });

    it('alerts over the real probes and jobs: an engine that does not answer, and a template whose jobs fail', async () => {
      const gone = `hl-gone-${target.kind}`;
      const bad = await t.call('templates.save', { spec: { name: `mx-${target.kind}-flaky`, image: TEST_IMAGE, network: 'none', pullPolicy: 'Never', engine: target.kind, command: 'exit 4' } });
      await t.call('engines.add', { id: gone, kind: target.kind, host: `unix:///tmp/${gone}-nothing-here.sock` });
      await t.call('settings.update', {
        alerts: {
          rules: [
            { id: 'gone', kind: 'engineDown', engineId: gone, forSeconds: 1 },
            { id: 'flaky', kind: 'failureRate', templateId: bad.id, windowMinutes: 60, thresholdPercent: 50, minJobs: 2 },
          ],
        },
      });
      await expect.poll(async () => (await t.call('alerts.list', {})).active.map((a) => a.title), { timeout: 20_000 }).toEqual([`Engine ${gone} unavailable`]);
      expect(sample(await scrape(), `jobdeck_engine_up{engine="${gone}",kind="${target.kind}"}`)).toBe(0);
      for (let i = 0; i < 2; i++) {
        const j = await t.call('jobs.create', { templateId: bad.id });
        const ended = await t.waitFor(j.id, undefined, 60_000).catch(async (e: unknown) => {
          throw new Error(`${String(e)}: ${JSON.stringify(await t.call('jobs.get', { id: j.id }))}`);
        });
        expect(ended.status).toBe('failed');
      }
      await expect.poll(async () => (await t.call('alerts.list', {})).active.map((a) => a.title).sort(), { timeout: 20_000 }).toEqual([`Engine ${gone} unavailable`, `High failure rate: mx-${target.kind}-flaky`]);
      expect(sample(await scrape(), 'jobdeck_alerts_active{kind="engineDown"}')).toBe(1);
      // The rules removed: both clear, once each, and stay in the history. (The engine stays: on a
      // loaded machine engines.add/remove re-probe every engine, which took 50 s on Podman here.)
      await t.call('settings.update', { alerts: { rules: [] } });
      await expect.poll(async () => (await t.call('alerts.list', {})).active, { timeout: 20_000 }).toEqual([]);
      const history = (await t.call('alerts.list', {})).history;
      expect(history.map((a) => a.title).sort()).toEqual([`Engine ${gone} unavailable`, `High failure rate: mx-${target.kind}-flaky`]);
      expect(history.every((a) => a.clearedAt !== undefined)).toBe(true);
      // Announced as they moved: one started, then both, then (one look after the rules went) none.
      const changes = t.events.flatMap((e) => (e.name === 'alerts.changed' ? [e.payload.active.length] : []));
      expect(changes).toEqual([1, 2, 0]);
    }, 240_000);
  });
});
