import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { startCore } from '../test/support/core';
import { clientFor, engineTargets, ensureTestImage, TEST_IMAGE } from '../test/support/engines';
import { report, SMOKE, type Figure } from './report';

// Log ingestion: one job writing SIZE bytes of numbered-width lines to stdout, through Jobdeck
// (follow with stamps, demux, split, JSONL + stdout.txt), against a bare attach to /dev/null of
// the same container command, same engine, same minute.
const SIZE = (SMOKE ? 16 : 256) * 1024 * 1024;
const LINE = 64; // bytes with its newline
const LINES = SIZE / LINE;
const COMMAND = `yes ${'x'.repeat(LINE - 1)} | head -c ${SIZE}`;

/** CPU time of this process (every thread: the event loop, libuv's file writes, GC), in ms. */
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

async function bareAttach(docker: Docker): Promise<{ ms: number; bytes: number; cpuMs: number }> {
  const c = await docker.createContainer({ Image: TEST_IMAGE, Cmd: ['sh', '-c', COMMAND], HostConfig: { NetworkMode: 'none', Init: true } });
  try {
    const stream = (await c.attach({ stream: true, stdout: true, stderr: true })) as NodeJS.ReadableStream;
    let bytes = 0;
    const devNull = new Writable({
      write(chunk: Buffer, _enc, cb) {
        bytes += chunk.length;
        cb();
      },
    });
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const ended = new Promise<void>((resolve, reject) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', reject);
    });
    // Frames and all: the cheapest way to take every byte off the engine.
    stream.pipe(devNull);
    await c.start();
    await Promise.all([ended, c.wait()]);
    return { ms: performance.now() - t0, bytes, cpuMs: cpuMs(process.cpuUsage(cpu0)) };
  } finally {
    await c.remove({ force: true }).catch(() => undefined);
  }
}

const targets = (await engineTargets()).filter((t) => !t.missing);

describe('bench: log ingestion', () => {
  it.each(targets)('$kind: one job writing to stdout, against a bare attach', async (target) => {
    const docker = clientFor(target.host);
    await ensureTestImage(docker);
    const bare = await bareAttach(docker);
    expect(bare.bytes).toBeGreaterThanOrEqual(SIZE);

    const core = await startCore(target, { engineProbeIntervalMs: 5000 });
    // The default cap (64 MiB) would cut the log short; this measures taking all of it.
    await core.call('settings.update', { logCapBytes: 2 * SIZE });
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const created = await core.call('jobs.create', {
      spec: { name: 'logs', image: TEST_IMAGE, command: COMMAND, network: 'none', pullPolicy: 'Never', engine: target.kind },
    });
    const job = await core.waitFor(created.id, undefined, 1_800_000);
    const ms = performance.now() - t0;
    const cpu = cpuMs(process.cpuUsage(cpu0));
    clearInterval(sampler);
    const kept = statSync(join(core.dataDir, 'artifacts', job.id, '1', 'stdout.txt')).size;
    await core.close();
    expect(job.status).toBe('completed');

    const mib = SIZE / 1024 / 1024;
    // What a loaded machine's wall clock hides: this process's own work per MiB, on each side.
    console.log(`${target.kind} CPU per MiB in this process: Jobdeck ${(cpu / mib).toFixed(1)} ms, bare attach ${(bare.cpuMs / mib).toFixed(1)} ms`);
    const figures: Figure[] = [
      {
        bench: 'logs',
        engine: target.kind,
        name: `${mib} MiB of stdout through Jobdeck`,
        value: mib / (ms / 1000),
        unit: 'MiB/s',
        baseline: { name: 'bare attach to /dev/null', value: mib / (bare.ms / 1000) },
        ratio: bare.ms / ms,
        target: '≥ 0.90 × bare attach',
        met: bare.ms / ms >= 0.9,
      },
      {
        bench: 'logs',
        engine: target.kind,
        name: 'main-process memory growth',
        value: (peak - rss0) / 1024 / 1024,
        unit: 'MiB',
        target: `< 100 MiB for ${mib} MiB`,
        met: peak - rss0 < 100 * 1024 * 1024,
      },
      {
        bench: 'logs',
        engine: target.kind,
        name: `lines kept (of ${LINES})`,
        value: Math.floor(kept / LINE),
        unit: 'lines',
        target: `${LINES}, none lost`,
        met: kept === SIZE,
      },
    ];
    report(`logs-${target.kind}`, figures);
  });
});
