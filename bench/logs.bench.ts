import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import type { Job } from '../src/shared/job';
import { isTerminal } from '../src/shared/jobStates';
import { clientFor, engineTargets, ensureTestImage, TEST_IMAGE } from '../test/support/engines';
import { startHost, type HostProcess } from '../test/support/hostProcess';
import { report, SMOKE, type Figure } from './report';

// Log ingestion: one job writing SIZE bytes of numbered-width lines to stdout, through the app's
// own process (the headless host: attach, demux, JSONL + stdout.txt), against a bare attach to
// /dev/null of the same container command in a Node process of its own. Both sides run outside
// the test runner, whose process collects garbage far more often than the app's does (76 full
// collections in one 256 MiB run, none in the host's), rounds alternated, medians compared.
const SIZE = (SMOKE ? 16 : 256) * 1024 * 1024;
const ROUNDS = SMOKE ? 1 : 3;
const LINE = 64; // bytes with its newline
const LINES = SIZE / LINE;
const COMMAND = `yes ${'x'.repeat(LINE - 1)} | head -c ${SIZE}`;
const MIB = SIZE / 1024 / 1024;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const run = promisify(execFile);

/** bench/support/bareAttach.ts bundled once (dockerode stays in node_modules). */
async function bareEntry(): Promise<string> {
  const dir = join(process.cwd(), '.cache', 'jobdeck-bench');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, 'bareAttach.mjs');
  await build({ entryPoints: [join(process.cwd(), 'bench/support/bareAttach.ts')], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'error' });
  return outfile;
}

async function bareAttach(entry: string, host: string): Promise<{ ms: number; bytes: number; cpuMs: number }> {
  const { stdout } = await run(process.execPath, [entry, host, TEST_IMAGE, COMMAND], { maxBuffer: 1024 * 1024 });
  return JSON.parse(stdout) as { ms: number; bytes: number; cpuMs: number };
}

/** A process's CPU so far (user + system, ms) and resident memory (bytes), from /proc. */
function cpuOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command's name.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}
function rssOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb ?? 0) * 1024;
}

/** The job's run in the host: from its createdAt to its finishedAt, the host's CPU and memory growth over it. */
async function throughJobdeck(host: HostProcess, dataDir: string, kind: string): Promise<{ ms: number; cpuMs: number; growth: number; kept: number }> {
  const pid = host.child.pid!;
  const rss0 = rssOf(pid);
  let peak = rss0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 50);
  const cpu0 = cpuOf(pid);
  const created = await host.call('jobs.create', { spec: { name: 'logs', image: TEST_IMAGE, command: COMMAND, network: 'none', pullPolicy: 'Never', engine: kind } });
  let off = () => undefined as unknown;
  const ended = new Promise<Job>((resolve) => {
    off = host.onEvent((e) => e.name === 'job.updated' && e.payload.id === created.id && isTerminal(e.payload.status) && resolve(e.payload));
  });
  // Subscribed after the create's answer: a job that had ended by then is read instead.
  const now = await host.call('jobs.get', { id: created.id });
  const job = isTerminal(now.status) ? now : await ended;
  off();
  clearInterval(sampler);
  const cpuMs = cpuOf(pid) - cpu0;
  expect(job.status).toBe('completed');
  const kept = statSync(join(dataDir, 'artifacts', job.id, '1', 'stdout.txt')).size;
  await host.call('jobs.remove', { ids: [job.id] });
  return { ms: Date.parse(job.finishedAt!) - Date.parse(job.createdAt), cpuMs, growth: peak - rss0, kept };
}

const targets = (await engineTargets()).filter((t) => !t.missing);

describe('bench: log ingestion', () => {
  it.each(targets)('$kind: one job writing to stdout, against a bare attach', async (target) => {
    await ensureTestImage(clientFor(target.host));
    const entry = await bareEntry();
    const dataDir = mkdtempSync(join(tmpdir(), 'bench-logs-'));
    const host = await startHost(dataDir);
    const bare: Awaited<ReturnType<typeof bareAttach>>[] = [];
    const ours: Awaited<ReturnType<typeof throughJobdeck>>[] = [];
    try {
      // The default cap (64 MiB) would cut the log short; this measures taking all of it.
      await host.call('settings.update', { logCapBytes: 2 * SIZE });
      for (let i = 0; i < ROUNDS; i++) {
        // The order turned each round: neither side always follows the other's cleanup.
        const sides = [async () => bare.push(await bareAttach(entry, target.host)), async () => ours.push(await throughJobdeck(host, dataDir, target.kind))];
        for (const side of i % 2 ? sides.reverse() : sides) await side();
      }
    } finally {
      await host.kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    }
    for (const b of bare) expect(b.bytes).toBeGreaterThanOrEqual(SIZE);
    const bareMs = median(bare.map((b) => b.ms));
    const oursMs = median(ours.map((o) => o.ms));
    // What a loaded machine's wall clock hides: each process's own work per MiB.
    console.log(
      `${target.kind}: Jobdeck ${ours.map((o) => o.ms.toFixed(0)).join(' ')} ms, bare attach ${bare.map((b) => b.ms.toFixed(0)).join(' ')} ms; CPU per MiB: the app's process ${(median(ours.map((o) => o.cpuMs)) / MIB).toFixed(1)} ms, bare attach ${(median(bare.map((b) => b.cpuMs)) / MIB).toFixed(1)} ms`,
    );
    const figures: Figure[] = [
      {
        bench: 'logs',
        engine: target.kind,
        name: `${MIB} MiB of stdout through Jobdeck (the app's process; median of ${ROUNDS})`,
        value: MIB / (oursMs / 1000),
        unit: 'MiB/s',
        baseline: { name: 'bare attach to /dev/null', value: MIB / (bareMs / 1000) },
        ratio: bareMs / oursMs,
        target: '≥ 0.90 × bare attach',
        met: bareMs / oursMs >= 0.9,
      },
      {
        bench: 'logs',
        engine: target.kind,
        name: 'app process memory growth (largest of the rounds)',
        value: Math.max(...ours.map((o) => o.growth)) / 1024 / 1024,
        unit: 'MiB',
        target: `< 100 MiB for ${MIB} MiB`,
        met: ours.every((o) => o.growth < 100 * 1024 * 1024),
      },
      {
        bench: 'logs',
        engine: target.kind,
        name: `lines kept (of ${LINES}, fewest of the rounds)`,
        value: Math.min(...ours.map((o) => Math.floor(o.kept / LINE))),
        unit: 'lines',
        target: `${LINES}, none lost`,
        met: ours.every((o) => o.kept === SIZE),
      },
    ];
    report(`logs-${target.kind}`, figures);
  });
});
