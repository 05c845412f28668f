import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientFor, engineTargets, ensureTestImage, TEST_IMAGE, type EngineTarget } from '../test/support/engines';
import { startHost } from '../test/support/hostProcess';
import { report, SMOKE, type Figure } from './report';

// `jobdeck run --wait` of `true` against `docker run --rm` (`podman --remote run --rm`) of the
// same image on the same engine, with the app (the headless host) running: each a whole command
// from spawn to exit, rounds alternated, medians as a ratio. Target ≤ 1.10.
const ROUNDS = SMOKE ? 3 : 15;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const BIN = join(process.cwd(), 'bin/jobdeck.mjs');
/** The command as a shell on Linux and macOS runs it: bin/jobdeck, linked onto PATH (README). */
const LAUNCHER = join(process.cwd(), 'bin/jobdeck');

// The command's own CPU (user + system), a figure the machine's load moves far less than the
// wall clock: through GNU time where it is installed (Debian's `time`), not counted otherwise.
const GNU_TIME = '/usr/bin/time';
const cpuFile = join(tmpdir(), `jobdeck-bench-cli-${process.pid}.time`);

interface Timed {
  wallMs: number;
  cpuMs?: number;
}

function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Timed> {
  const withTime = existsSync(GNU_TIME);
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const p = withTime ? spawn(GNU_TIME, ['-f', '%U %S', '-o', cpuFile, cmd, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] }) : spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (b: Buffer) => (err += b.toString()));
    p.on('exit', (code) => {
      const wallMs = performance.now() - t0;
      if (code !== 0) return reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err}`));
      if (!withTime) return resolve({ wallMs });
      const [user, sys] = readFileSync(cpuFile, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
      resolve({ wallMs, cpuMs: ((user ?? 0) + (sys ?? 0)) * 1000 });
    });
  });
}

function engineCli(target: EngineTarget): { cmd: string; args: string[]; env: NodeJS.ProcessEnv } {
  const args = ['run', '--rm', '--network', 'none', TEST_IMAGE, 'true'];
  return target.kind === 'docker'
    ? { cmd: 'docker', args, env: { ...process.env, DOCKER_HOST: target.host } }
    : { cmd: 'podman', args: ['--remote', ...args], env: { ...process.env, CONTAINER_HOST: target.host, CONTAINERS_CONF: process.env.CONTAINERS_CONF ?? '/tmp/jobdeck-engines/containers.conf' } };
}

const targets = (await engineTargets()).filter((t) => !t.missing);

/**
 * NODE_EXTRA_CA_CERTS, where the machine sets it (this build machine does:
 * /etc/ssl/certs/ca-certificates.crt), makes Node 20 read and parse that bundle at every start,
 * before any code of ours runs: about 60 ms of CPU, more than Node's own start costs without it.
 * The launcher moves it aside (src/cli/extraCerts.ts); the figure against the target is the
 * launcher's, with the environment as it is. Where the variable is set, `node bin/jobdeck.mjs`
 * (the entry `npx jobdeck` starts, whose Node reads the bundle) is timed in the same rounds too.
 */
const EXTRA_CERTS = process.env.NODE_EXTRA_CA_CERTS;
/**
 * BENCH_CLI_BASELINE=path/to/jobdeck.mjs: another build of the CLI (an earlier commit's, built
 * apart) timed in the same rounds, for a pass's before and after measured side by side.
 */
const EARLIER = process.env.BENCH_CLI_BASELINE;

describe('bench: jobdeck run --wait against docker run --rm', () => {
  it.each(targets)('$kind: a whole `jobdeck run --wait` of true, with the app running', async (target) => {
    await ensureTestImage(clientFor(target.host));
    const dataDir = mkdtempSync(join(tmpdir(), 'bench-cli-'));
    const file = join(dataDir, '..', `${dataDir.split('/').pop()}-true.yaml`);
    writeFileSync(file, `apiVersion: jobdeck/v1\nkind: Template\nname: bench-cli-true\nimage: ${TEST_IMAGE}\npullPolicy: Never\nnetwork: none\ncommand: ["true"]\n`);
    const host = await startHost(dataDir);
    const env = { ...process.env };
    delete env.DOCKER_HOST;
    delete env.CONTAINER_HOST;
    const args = [BIN, '--data-dir', dataDir, 'run', file, '--wait', '--engine', target.kind];
    const ours = () => timed(LAUNCHER, args.slice(1), env);
    const oursDirect = () => timed(process.execPath, args, env);
    const earlierRun = (bin: string) => timed(process.execPath, [bin, ...args.slice(1)], env);
    const theirs = engineCli(target);
    const run = () => timed(theirs.cmd, theirs.args, theirs.env);
    const jobdeck: Timed[] = [];
    const docker: Timed[] = [];
    const direct: Timed[] = [];
    const earlier: Timed[] = [];
    try {
      // One of each first, not counted: the image's first use, the host's first job, the CLI's build.
      await ours();
      await run();
      if (EARLIER) await earlierRun(EARLIER);
      // Each command in turn, the order turned by one each round: a busy moment of the machine
      // falls on all alike, and none always follows the engine's own cleanup of the one before.
      const sides: [Timed[], () => Promise<Timed>][] = [
        [jobdeck, ours],
        [docker, run],
        ...(EXTRA_CERTS ? [[direct, oursDirect] as [Timed[], () => Promise<Timed>]] : []),
        ...(EARLIER ? [[earlier, () => earlierRun(EARLIER)] as [Timed[], () => Promise<Timed>]] : []),
      ];
      for (let i = 0; i < ROUNDS; i++) {
        for (let k = 0; k < sides.length; k++) {
          const [into, cmd] = sides[(i + k) % sides.length]!;
          into.push(await cmd());
        }
      }
    } finally {
      await host.kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(file, { force: true });
    }
    rmSync(cpuFile, { force: true });
    expect(jobdeck).toHaveLength(ROUNDS);
    const a = median(jobdeck.map((t) => t.wallMs));
    const b = median(docker.map((t) => t.wallMs));
    const load = loadavg().map((l) => l.toFixed(1)).join(' ');
    const list = (ts: Timed[]) => ts.map((x) => x.wallMs.toFixed(0)).join(' ');
    console.log(`${target.kind} (load average ${load}): jobdeck run --wait ${list(jobdeck)} ms; ${theirs.cmd} run --rm ${list(docker)} ms${direct.length ? `; node bin/jobdeck.mjs ${list(direct)} ms` : ''}${earlier.length ? `; the earlier build ${list(earlier)} ms` : ''}`);
    const figures: Figure[] = [
      {
        bench: 'cli',
        engine: target.kind,
        name: `jobdeck run --wait of true (bin/jobdeck), app running (median of ${ROUNDS})`,
        value: a,
        unit: 'ms',
        baseline: { name: `${theirs.cmd} run --rm of true`, value: b },
        ratio: a / b,
        target: '≤ 1.10 × run',
        met: a / b <= 1.1,
      },
    ];
    const cpu = (ts: Timed[]) => (ts.length && ts.every((t) => t.cpuMs !== undefined) ? median(ts.map((t) => t.cpuMs!)) : undefined);
    if (direct.length) {
      const c = median(direct.map((t) => t.wallMs));
      figures.push({
        bench: 'cli',
        engine: target.kind,
        name: `the same through node bin/jobdeck.mjs, as npx jobdeck starts it (its Node reads NODE_EXTRA_CA_CERTS=${EXTRA_CERTS}), same rounds`,
        value: c,
        unit: 'ms',
        baseline: { name: `${theirs.cmd} run --rm of true`, value: b },
        ratio: c / b,
        target: 'printed: the entry npx starts, no target',
        met: true,
      });
    }
    const [ca, cb] = [cpu(jobdeck), cpu(docker)];
    const cc = cpu(direct);
    if (earlier.length) {
      const e = median(earlier.map((t) => t.wallMs));
      const ce = cpu(earlier);
      figures.push({
        bench: 'cli',
        engine: target.kind,
        name: `the earlier build (${EARLIER}), same rounds${ce !== undefined ? `; its CPU ${ce.toFixed(0)} ms` : ''}`,
        value: e,
        unit: 'ms',
        baseline: { name: `${theirs.cmd} run --rm of true`, value: b },
        ratio: e / b,
        target: 'printed: before and after, no target',
        met: true,
      });
    }
    if (ca !== undefined && cb !== undefined) {
      // Where a run's own share goes, whatever the load: starting Node and the CLI, the socket.
      figures.push({
        bench: 'cli',
        engine: target.kind,
        name: `the same: the command's own CPU, user + system (median of ${ROUNDS})`,
        value: ca,
        unit: 'ms',
        baseline: { name: `${theirs.cmd} run --rm`, value: cb },
        ratio: ca / cb,
        target: 'printed: load-free, no target',
        met: true,
      });
      if (cc !== undefined) {
        figures.push({
          bench: 'cli',
          engine: target.kind,
          name: `the command's own CPU through node bin/jobdeck.mjs (median of ${ROUNDS})`,
          value: cc,
          unit: 'ms',
          baseline: { name: `${theirs.cmd} run --rm`, value: cb },
          ratio: cc / cb,
          target: 'printed: load-free, no target',
          met: true,
        });
      }
    }
    report(`cli-${target.kind}`, figures);
  });
});
