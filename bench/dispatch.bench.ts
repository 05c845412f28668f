import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { startCore } from '../test/support/core';
import { clientFor, engineTargets, ensureTestImage, TEST_IMAGE } from '../test/support/engines';
import { report, SMOKE, type Figure } from './report';
import { countApiCalls, type ApiCalls } from './support/apiCalls';
import type { Job } from '../src/shared/job';

/** The counts of several rounds as one. */
function sumCalls(rounds: ApiCalls[]): ApiCalls {
  const byKind: Record<string, number> = {};
  const spent: Record<string, number> = {};
  let total = 0;
  for (const r of rounds) {
    total += r.total;
    for (const [k, n] of Object.entries(r.byKind)) {
      byKind[k] = (byKind[k] ?? 0) + n;
      spent[k] = (spent[k] ?? 0) + n * (r.meanMs[k] ?? 0);
    }
  }
  const meanMs = Object.fromEntries(Object.entries(spent).map(([k, ms]) => [k, Math.round((ms / byKind[k]!) * 10) / 10]));
  return { total, byKind, meanMs };
}

// Dispatch: N jobs running `true` at concurrency 4 through Jobdeck's scheduler, against a bare
// dockerode loop (create, start, wait, remove) and `docker run --rm` via xargs -P4, in ROUNDS
// rounds of N / ROUNDS jobs each, the three taking turns to go first (a busy spell of the shared
// machine then falls on all three alike), times summed over the rounds.
const N = SMOKE ? 12 : 200;
const ROUNDS = SMOKE ? 1 : 4;
const PER_ROUND = N / ROUNDS;
const CONCURRENCY = 4;

async function pool<T>(count: number, width: number, task: (i: number) => Promise<T>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

async function bareLoop(docker: Docker, n: number): Promise<number> {
  const t0 = performance.now();
  await pool(n, CONCURRENCY, async () => {
    const c = await docker.createContainer({ Image: TEST_IMAGE, Cmd: ['true'], HostConfig: { NetworkMode: 'none', Init: true } });
    await c.start();
    await c.wait();
    await c.remove({ force: true });
  });
  return performance.now() - t0;
}

function cliLoop(cli: string, env: NodeJS.ProcessEnv, n: number): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const seq = Array.from({ length: n }, (_, i) => String(i)).join('\n');
    const p = spawn('sh', ['-c', `xargs -P${CONCURRENCY} -I{} ${cli} run --rm --init --network none ${TEST_IMAGE} true`], {
      env,
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    p.on('exit', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`${cli} run loop exited ${code}`))));
    p.stdin.end(`${seq}\n`);
  });
}

const targets = (await engineTargets()).filter((t) => !t.missing);

describe('bench: dispatch', () => {
  it.each(targets)('$kind: Jobdeck against a bare dockerode loop and the CLI', async (target) => {
    const docker = clientFor(target.host);
    await ensureTestImage(docker);
    const figures: Figure[] = [];
    // Engine health probes as often as the app makes them, not as often as the tests do.
    const core = await startCore(target, { engineProbeIntervalMs: 5000 });
    await core.call('settings.update', { concurrency: CONCURRENCY });
    const env =
      target.kind === 'docker'
        ? { ...process.env, DOCKER_HOST: target.host }
        : { ...process.env, CONTAINER_HOST: target.host, CONTAINERS_CONF: process.env.CONTAINERS_CONF ?? '/tmp/jobdeck-engines/containers.conf' };
    const cliName = target.kind === 'docker' ? 'docker' : 'podman --remote';
    let bare = 0;
    let jobdeck = 0;
    let cli = 0;
    const bareCalls: ApiCalls[] = [];
    const jobdeckCalls: ApiCalls[] = [];
    const jobs: Job[] = [];
    const loops: Record<'bare' | 'jobdeck' | 'cli', () => Promise<void>> = {
      bare: async () => {
        const c = countApiCalls();
        bare += await bareLoop(docker, PER_ROUND);
        bareCalls.push(c.stop());
      },
      jobdeck: async () => {
        const c = countApiCalls();
        const t0 = performance.now();
        const ids = [];
        for (let i = 0; i < PER_ROUND; i++) {
          ids.push((await core.call('jobs.create', { spec: { name: 'bench', image: TEST_IMAGE, command: ['true'], network: 'none', pullPolicy: 'Never' } })).id);
        }
        jobs.push(...(await Promise.all(ids.map((id) => core.waitFor(id, undefined, 600_000)))));
        jobdeck += performance.now() - t0;
        jobdeckCalls.push(c.stop());
      },
      cli: async () => {
        cli += await cliLoop(cliName, env, PER_ROUND).catch(() => NaN);
      },
    };
    const order = ['bare', 'jobdeck', 'cli'] as const;
    const loads: string[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      for (let k = 0; k < order.length; k++) await loops[order[(r + k) % order.length]!]();
      loads.push(loadavg()[0]!.toFixed(1));
    }
    await core.close();
    const count = sumCalls(jobdeckCalls);
    const bareCount = sumCalls(bareCalls);
    // Where the time goes per job: each kind of call, how many and how long on average.
    console.log(
      `${target.kind} API calls for ${N} jobs (load average after each round: ${loads.join(', ')}): Jobdeck ${JSON.stringify(count.byKind)}, mean ms ${JSON.stringify(count.meanMs)}; ` +
        `bare loop ${JSON.stringify(bareCount.byKind)}, mean ms ${JSON.stringify(bareCount.meanMs)}`,
    );
    expect(jobs.every((j) => j.status === 'completed')).toBe(true);
    const perJob = (ms: number) => ms / N;
    figures.push({
      bench: 'dispatch',
      engine: target.kind,
      name: `${N} × true through Jobdeck`,
      value: perJob(jobdeck),
      unit: 'ms/job',
      baseline: { name: 'bare dockerode loop', value: perJob(bare) },
      ratio: jobdeck / bare,
      target: '≤ 1.05 × bare loop',
      met: jobdeck / bare <= 1.05,
    });
    // Round trips per job: what the wall clock of a loaded machine hides.
    figures.push({
      bench: 'dispatch',
      engine: target.kind,
      name: 'engine API calls per job (health probes and the engine’s one event stream apart)',
      value: count.total / N,
      unit: 'calls/job',
      baseline: { name: 'bare dockerode loop', value: bareCount.total / N },
      ratio: count.total / bareCount.total,
      target: '≤ the bare loop + 1 (the attach before the start)',
      met: count.total / N <= bareCount.total / N + 1,
    });
    if (Number.isFinite(cli)) {
      figures.push({
        bench: 'dispatch',
        engine: target.kind,
        name: `${N} × true through Jobdeck`,
        value: perJob(jobdeck),
        unit: 'ms/job',
        baseline: { name: `${target.kind} run --rm, xargs -P${CONCURRENCY}`, value: perJob(cli) },
        ratio: jobdeck / cli,
        target: '< 1.00 × CLI',
        met: jobdeck < cli,
      });
    }
    report(`dispatch-${target.kind}`, figures);
  });
});
