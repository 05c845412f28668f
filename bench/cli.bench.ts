import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (b: Buffer) => (err += b.toString()));
    p.on('exit', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err}`))));
  });
}

function engineCli(target: EngineTarget): { cmd: string; args: string[]; env: NodeJS.ProcessEnv } {
  const args = ['run', '--rm', '--network', 'none', TEST_IMAGE, 'true'];
  return target.kind === 'docker'
    ? { cmd: 'docker', args, env: { ...process.env, DOCKER_HOST: target.host } }
    : { cmd: 'podman', args: ['--remote', ...args], env: { ...process.env, CONTAINER_HOST: target.host, CONTAINERS_CONF: process.env.CONTAINERS_CONF ?? '/tmp/jobdeck-engines/containers.conf' } };
}

const targets = (await engineTargets()).filter((t) => !t.missing);

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
    const ours = () => timed(process.execPath, [BIN, '--data-dir', dataDir, 'run', file, '--wait', '--engine', target.kind], env);
    const theirs = engineCli(target);
    const run = () => timed(theirs.cmd, theirs.args, theirs.env);
    const jobdeck: number[] = [];
    const docker: number[] = [];
    try {
      // One of each first, not counted: the image's first use, the host's first job, the CLI's build.
      await ours();
      await run();
      for (let i = 0; i < ROUNDS; i++) {
        // Alternated, so a busy moment of the machine falls on both sides alike.
        if (i % 2) docker.push(await run());
        jobdeck.push(await ours());
        if (!(i % 2)) docker.push(await run());
      }
    } finally {
      await host.kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(file, { force: true });
    }
    expect(jobdeck).toHaveLength(ROUNDS);
    const a = median(jobdeck);
    const b = median(docker);
    console.log(`${target.kind}: jobdeck run --wait ${jobdeck.map((x) => x.toFixed(0)).join(' ')} ms; ${theirs.cmd} run --rm ${docker.map((x) => x.toFixed(0)).join(' ')} ms`);
    const figures: Figure[] = [
      {
        bench: 'cli',
        engine: target.kind,
        name: `jobdeck run --wait of true, app running (median of ${ROUNDS})`,
        value: a,
        unit: 'ms',
        baseline: { name: `${theirs.cmd} run --rm of true`, value: b },
        ratio: a / b,
        target: '≤ 1.10 × run',
        met: a / b <= 1.1,
      },
    ];
    report(`cli-${target.kind}`, figures);
  });
});
