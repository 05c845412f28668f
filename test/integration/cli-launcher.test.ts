// The real CLI through bin/jobdeck, the shell launcher, as a PATH runs it, with NODE_EXTRA_CA_CERTS
// naming a file that is not there: each Node that reads the variable says so on stderr at its
// start, so its warnings count the Nodes that had the certificates. A command the running app
// answers starts none; one that runs a core of its own (or `serve`'s host) starts exactly one, and
// its exit code, Ctrl-C and TERM go through as they do without the launcher.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LockHolder } from '../../src/shared/dataDir';
import { Job } from '../../src/shared/job';
import { JobPage } from '../../src/shared/query';
import { engineTargets } from '../support/engines';
import { buildIfNeeded } from '../support/headlessHost';
import { templateFile } from '../support/templateFile';
import { fileTempDirs } from '../support/tmp';
import { startHost } from '../support/hostProcess';

const LAUNCHER = join(process.cwd(), 'bin/jobdeck');
const CERTS = '/nonexistent/jobdeck-test-extra-ca.pem';
const readCerts = (stderr: string) => stderr.split('\n').filter((l) => l.includes(`Ignoring extra certs from \`${CERTS}\``)).length;
const engine = (await engineTargets()).find((t) => !t.missing)?.kind;

const tmp = fileTempDirs('jobdeck-launch-');

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `bin/jobdeck --data-dir DIR …args` on pipes (no terminal); `until` waits for its output. */
function launch(dataDir: string, args: string[], env: Record<string, string> = {}) {
  const e: NodeJS.ProcessEnv = { ...process.env, NODE_EXTRA_CA_CERTS: CERTS, ...env };
  for (const k of ['DOCKER_HOST', 'CONTAINER_HOST', 'JOBDECK_DATA_DIR', 'JOBDECK_NODE_EXTRA_CA_CERTS']) delete e[k];
  const child = spawn(LAUNCHER, ['--data-dir', dataDir, ...args], { env: e, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: (() => void)[] = [];
  const seen = () => waiters.splice(0).forEach((w) => w());
  child.stdout.on('data', (c: Buffer) => ((stdout += c.toString()), seen()));
  child.stderr.on('data', (c: Buffer) => ((stderr += c.toString()), seen()));
  const ended = new Promise<Ended>((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  const until = (re: RegExp): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const all = stdout + stderr;
        const m = re.exec(all);
        if (m) return resolve(m[1] ?? m[0]);
        if (child.exitCode !== null || child.signalCode !== null) return reject(new Error(`ended before ${re}: ${all}`));
        waiters.push(check);
      };
      void ended.then(check);
      check();
    });
  return { child, ended, until };
}

const run = (dataDir: string, args: string[], env?: Record<string, string>) => launch(dataDir, args, env).ended;

describe('bin/jobdeck with NODE_EXTRA_CA_CERTS set', () => {
  it('a command the running app answers starts no Node that reads the certificates', { timeout: 120_000 }, async () => {
    const dataDir = tmp('jobdeck-launch-app-');
    const host = await startHost(dataDir);
    try {
      const r = await run(dataDir, ['--json', 'jobs', 'list']);
      expect(r.code, r.stderr).toBe(0);
      expect(JobPage.parse(JSON.parse(r.stdout)).items).toEqual([]);
      expect(readCerts(r.stderr)).toBe(0);
    } finally {
      await host.kill('SIGTERM');
    }
  });

  it('with no app, the command runs again in a Node that has them, once, for its core of its own', { timeout: 120_000 }, async () => {
    const dataDir = tmp('jobdeck-launch-local-');
    const r = await run(dataDir, ['--json', 'jobs', 'list'], { JOBDECK_DEBUG: '1' });
    expect(r.code, r.stderr).toBe(0);
    expect(JobPage.parse(JSON.parse(r.stdout)).items).toEqual([]);
    expect(readCerts(r.stderr)).toBe(1);
    expect(r.stderr).toContain(`running again with NODE_EXTRA_CA_CERTS=${CERTS}`);
    expect(r.stderr.match(/\] core open/g)).toHaveLength(1);
    expect(existsSync(join(dataDir, 'jobdeck.lock'))).toBe(false);
  });

  describe.skipIf(!engine)('a job run by a core of its own', () => {
    it('run --wait exits with the job\'s code', { timeout: 120_000 }, async () => {
      const dataDir = tmp('jobdeck-launch-code-');
      const files = tmp('jobdeck-launch-files-');
      const r = await run(dataDir, ['run', templateFile(files, 'launch-exit-3', 'echo local; exit 3'), '--follow', '--engine', engine!]);
      expect([r.code, r.stdout], r.stderr).toEqual([3, 'local\n']);
      expect(readCerts(r.stderr)).toBe(1);
    });

    it('Ctrl-C sent to the command (no terminal) reaches the run: --cancel-on-interrupt cancels the job, exit 130', { timeout: 120_000 }, async () => {
      const dataDir = tmp('jobdeck-launch-int-');
      const files = tmp('jobdeck-launch-files-');
      const cmd = launch(dataDir, ['run', templateFile(files, 'launch-int', 'echo started; sleep 60'), '--follow', '--engine', engine!, '--cancel-on-interrupt']);
      const id = await cmd.until(/job ([0-9a-f-]{36}) \(launch-int\)/);
      await cmd.until(/started\n/);
      cmd.child.kill('SIGINT');
      const r = await cmd.ended;
      expect(r.code, r.stderr).toBe(130);
      const after = await run(dataDir, ['--json', 'show', id]);
      expect(Job.parse(JSON.parse(after.stdout)).status).toBe('cancelled');
    });

    it('Ctrl-C on a terminal reaches the run once: it asks, and "y" cancels the job (exit 130)', { timeout: 120_000 }, async () => {
      const dataDir = tmp('jobdeck-launch-tty-');
      const files = tmp('jobdeck-launch-files-');
      // util-linux `script` gives the command a terminal; writing ^C to it is a Ctrl-C, sent to
      // the terminal's whole process group: the launcher's Node and the one it started.
      const words = [LAUNCHER, '--data-dir', dataDir, 'run', templateFile(files, 'launch-tty', 'echo started; sleep 60'), '--follow', '--engine', engine!];
      const env: NodeJS.ProcessEnv = { ...process.env, NODE_EXTRA_CA_CERTS: CERTS, NO_COLOR: '1' };
      for (const k of ['DOCKER_HOST', 'CONTAINER_HOST', 'JOBDECK_DATA_DIR']) delete env[k];
      const child = spawn('script', ['-qefc', words.map((w) => `'${w}'`).join(' '), '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
      let seen = '';
      const waiters: (() => void)[] = [];
      child.stdout.on('data', (c: Buffer) => ((seen += c.toString()), waiters.splice(0).forEach((w) => w())));
      const ended = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
      const until = (re: RegExp) => new Promise<void>((resolve) => {
        const check = () => (re.test(seen) ? resolve() : void waiters.push(check));
        check();
      });
      await until(/started/);
      const id = /job ([0-9a-f-]{36})/.exec(seen)![1]!;
      child.stdin.write('\x03');
      await until(/Cancel job [0-9a-f]{8} \(launch-tty\)\? \[y\/N\]/);
      child.stdin.write('y\r');
      expect(await ended, seen).toBe(130);
      expect(seen.match(/Cancel job/g)).toHaveLength(1);
      const after = await run(dataDir, ['--json', 'show', id]);
      expect(Job.parse(JSON.parse(after.stdout)).status).toBe('cancelled');
    });

    it('TERM sent to the command ends the run too, and the command ends by TERM', { timeout: 120_000 }, async () => {
      const dataDir = tmp('jobdeck-launch-term-');
      const files = tmp('jobdeck-launch-files-');
      const cmd = launch(dataDir, ['run', templateFile(files, 'launch-term', 'echo started; sleep 60'), '--follow', '--engine', engine!]);
      const id = await cmd.until(/job ([0-9a-f-]{36}) \(launch-term\)/);
      await cmd.until(/started\n/);
      const holder = LockHolder.parse(JSON.parse(readFileSync(join(dataDir, 'jobdeck.lock'), 'utf8')));
      expect(holder.pid).not.toBe(cmd.child.pid);
      cmd.child.kill('SIGTERM');
      const r = await cmd.ended;
      expect([r.code, r.signal]).toEqual([null, 'SIGTERM']);
      // The core's process got it: it is gone, and the next command (a core of its own again) cancels the job it left.
      expect(() => process.kill(holder.pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
      const cancelled = await run(dataDir, ['cancel', id]);
      expect(cancelled.code, cancelled.stderr).toBe(0);
    });
  });

  it('serve runs the headless host in a Node that has them; Ctrl-C stops it', { timeout: 400_000 }, async () => {
    buildIfNeeded(process.cwd());
    const dataDir = tmp('jobdeck-launch-serve-');
    const serve = launch(dataDir, ['serve', '--port', '0']);
    await serve.until(/Jobdeck headless: http:\/\/127\.0\.0\.1:\d+\//);
    serve.child.kill('SIGINT');
    const r = await serve.ended;
    expect(r.code, r.stderr).toBe(0);
    expect(readCerts(r.stderr)).toBe(1);
  });
});
