// The real `jobdeck` binary, spawned as a user runs it, against real Docker and Podman: with the
// headless host running on the data dir (reached over its local socket), and with none (the CLI
// runs the core itself, holding the data dir's lock, and leaves no lock behind).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BulkResult, CleanupPreview } from '../../src/shared/bulk';
import { LockHolder } from '../../src/shared/dataDir';
import { EngineInfo } from '../../src/shared/engine';
import { QueueState, TemplateSummary } from '../../src/shared/ipc';
import { Job } from '../../src/shared/job';
import { JobEventsFile } from '../../src/shared/jobEvents';
import { LogLinesPage } from '../../src/shared/logLines';
import { JobPage, Stats } from '../../src/shared/query';
import { DockerRunResult } from '../../src/shared/importFiles';
import { createJobdeck } from '../../src/main/core/jobdeck';
import { clientFor, engineTargets, ensureTestImage, TEST_IMAGE } from '../support/engines';
import { buildIfNeeded } from '../support/headlessHost';
import { templateFile } from '../support/templateFile';
import { fileTempDirs } from '../support/tmp';
import { startHost, type HostProcess } from '../support/hostProcess';

const targets = await engineTargets();
const BIN = join(process.cwd(), 'bin/jobdeck.mjs');
const tmp = fileTempDirs('jobdeck-cli-');

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node bin/jobdeck.mjs --data-dir DIR …args`, no terminal, no colour settings inherited. */
function jd(dataDir: string, args: string[], opts: { input?: string; env?: Record<string, string> } = {}): Promise<Ran> {
  const env = { ...process.env, ...opts.env };
  delete env.DOCKER_HOST;
  delete env.CONTAINER_HOST;
  delete env.JOBDECK_DATA_DIR;
  const child = spawn(process.execPath, [BIN, '--data-dir', dataDir, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdin.end(opts.input ?? '');
  // A command that hangs fails its test with what it printed, not with a bare timeout.
  const started = Date.now();
  const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
  return new Promise((resolve) =>
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr: signal ? `${stderr}\n(killed after ${Date.now() - started} ms: jobdeck ${args.join(' ')})` : stderr });
    }),
  );
}

/** A `jobdeck` left running, to be signalled; `ended` resolves as jd does. */
function jdRunning(dataDir: string, args: string[]): { child: ReturnType<typeof spawn>; stderrSoFar(): string; ended: Promise<Ran> } {
  const env = { ...process.env };
  delete env.DOCKER_HOST;
  delete env.CONTAINER_HOST;
  const child = spawn(process.execPath, [BIN, '--data-dir', dataDir, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return { child, stderrSoFar: () => stderr, ended: new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr }))) };
}

const json = <T extends z.ZodType>(schema: T, r: Ran): z.output<T> => {
  expect(r.code, r.stderr).toBe(0);
  return schema.parse(JSON.parse(r.stdout));
};

beforeAll(async () => {
  // Built once here, so no test pays for (or races on) the first build.
  const r = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
}, 120_000);

describe('with the app running (the headless host, over its local socket)', () => {
  let host: HostProcess;
  let dataDir: string;
  let files: string;
  beforeAll(async () => {
    for (const t of targets) if (!t.missing) await ensureTestImage(clientFor(t.host));
    dataDir = tmp();
    files = tmp('jobdeck-cli-files-');
    host = await startHost(dataDir);
    await host.call('settings.update', { concurrency: 4, stopGraceSeconds: 1 });
  });
  afterAll(async () => {
    await host?.kill('SIGTERM');
  });

  it('listens on a socket 0600 in a 0700 dir, named in the lock; another user cannot connect; a second core is refused', async () => {
    const lock = LockHolder.parse(JSON.parse(readFileSync(join(dataDir, 'jobdeck.lock'), 'utf8')));
    expect(lock.kind).toBe('headless');
    const socket = lock.socket!;
    expect(statSync(socket).isSocket()).toBe(true);
    expect(statSync(socket).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(socket)).mode & 0o777).toBe(0o700);
    if (process.getuid?.() === 0) {
      spawnSync('chmod', ['755', dataDir]);
      const r = spawnSync(process.execPath, ['-e', `const s=require('net').connect(${JSON.stringify(socket)});s.on('connect',()=>{console.log('CONNECTED');process.exit(0)});s.on('error',e=>{console.log(e.code);process.exit(3)})`], { uid: 65534, gid: 65534, encoding: 'utf8' });
      expect(r.stdout.trim()).toBe('EACCES');
    }
    await expect(createJobdeck({ dataDir, kind: 'cli', schedules: false })).rejects.toThrow(/another Jobdeck \(headless host, pid \d+, http:\/\/127\.0\.0\.1:\d+\/…\) is using/);
  });

  it('bad arguments exit 2 and name the argument', async () => {
    const cases: [string[], RegExp][] = [
      [['run', 'x', '--priority', '9'], /--priority: "9" must be a whole number from 1 to 5/],
      [['jobs', 'list', '--status', 'done'], /--status: "done" is not a job state/],
      [['jobs', 'list', '--since', 'yesterday'], /--since: "yesterday" is not a duration/],
      [['cleanup', '--older-than', '7days'], /--older-than: "7days" is not a duration/],
      [['logs'], /missing required argument 'job'/],
      [['jobs', 'list', '--bogus'], /unknown option '--bogus'/],
      [['run', 'x', '--env', '1X=2'], /--env: "1X=2" must be NAME=VALUE/],
      [['logs', 'some-job', '--stream', 'both'], /--stream: "both" must be stdout or stderr/],
      [['completion', 'tcsh'], /completion: "tcsh" must be bash, zsh or fish/],
      [['retry'], /retry: name the jobs \(JOB…\) or choose them with --status/],
    ];
    for (const [args, message] of cases) {
      const r = await jd(dataDir, args);
      expect([r.code, r.stderr], args.join(' ')).toEqual([2, expect.stringMatching(message)]);
    }
    // A failed operation (no such job) is 1, not a usage error.
    const r = await jd(dataDir, ['show', 'no-such-job']);
    expect([r.code, r.stderr]).toEqual([1, 'jobdeck: no job no-such-job\n']);
    // Neither a stored template nor a file: said in those words, and 1.
    const none = await jd(dataDir, ['run', 'no-such-template', '--wait']);
    expect([none.code, none.stderr]).toEqual([1, 'jobdeck: no template or file named no-such-template (jobdeck templates list shows the templates)\n']);
  });

  it('prints shell completion for bash, zsh and fish', async () => {
    for (const shell of ['bash', 'zsh', 'fish']) {
      const r = await jd(dataDir, ['completion', shell]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('from-docker-run');
    }
    const bash = await jd(dataDir, ['completion', 'bash']);
    const check = spawnSync('bash', ['-n'], { input: bash.stdout, encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
  });

  describe.each(targets)('on $kind', (target) => {
    const engine = target.kind;
    it.skipIf(Boolean(target.missing))('run FILE --wait exits 3 for a job exiting 3, and the file is not saved as a template', async () => {
      const file = templateFile(files, `cli-exit3-${engine}`, 'echo to-out; echo to-err >&2; exit 3');
      const r = await jd(dataDir, ['run', file, '--wait', '--engine', engine]);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/exit 3 \(Error\)/);
      const templates = json(z.array(TemplateSummary), await jd(dataDir, ['--json', 'templates', 'list']));
      expect(templates.map((t) => t.template.name)).not.toContain(`cli-exit3-${engine}`);
    });

    it.skipIf(Boolean(target.missing))('show --events prints who ran the job and how it ended; report gives its Markdown; --json is the events export', async () => {
      const name = `cli-audit-${engine}`;
      const r = await jd(dataDir, ['run', templateFile(files, name, 'echo audit-out; echo audit-err >&2; exit 3'), '--wait', '--engine', engine]);
      expect(r.code, r.stderr).toBe(3);
      const page = json(JobPage, await jd(dataDir, ['--json', 'jobs', 'list', '--template', name]));
      const id = page.items[0]!.id;
      const shown = await jd(dataDir, ['show', id, '--events']);
      expect(shown.code, shown.stderr).toBe(0);
      const events = shown.stdout.slice(shown.stdout.indexOf('Events:'));
      expect(events).toMatch(new RegExp(`created .*by ${userInfo().username} \\(cli\\)`));
      expect(events).toMatch(/started/);
      expect(events).toMatch(/ended failed/);
      const exported = json(JobEventsFile, await jd(dataDir, ['--json', 'show', id, '--events']));
      expect(exported.jobId).toBe(id);
      expect(exported.events.map((e) => e.kind)).toEqual(expect.arrayContaining(['created', 'started', 'attemptEnded', 'ended']));
      const report = await jd(dataDir, ['report', id]);
      expect(report.code, report.stderr).toBe(0);
      expect(report.stdout).toContain(name);
      expect(report.stdout).toMatch(/\b3\b/);
      expect(report.stdout).toContain('audit-err');
      expect(report.stdout).toContain('audit-out');
    });

    it.skipIf(Boolean(target.missing))('run --follow prints stdout lines to stdout and stderr lines to stderr, and exits 0', async () => {
      const file = templateFile(files, `cli-follow-${engine}`, 'for i in 1 2 3; do echo out-$i; echo err-$i >&2; done');
      const r = await jd(dataDir, ['run', file, '--follow', '--engine', engine]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe('out-1\nout-2\nout-3\n');
      expect(r.stderr.split('\n').filter((l) => l.startsWith('err-'))).toEqual(['err-1', 'err-2', 'err-3']);
    });

    it.skipIf(Boolean(target.missing))('logs -f prints every line once and ends with the job; logs --json is a LogLinesPage', async () => {
      const name = `cli-logsf-${engine}`;
      const imported = await jd(dataDir, ['templates', 'import', templateFile(files, name, 'i=1; while [ $i -le 40 ]; do echo line-$i; i=$((i+1)); sleep 0.05; done')]);
      expect(imported.code, imported.stderr).toBe(0);
      const started = await jd(dataDir, ['-q', 'run', name, '--engine', engine]);
      expect(started.code, started.stderr).toBe(0);
      const id = started.stdout.trim();
      const r = await jd(dataDir, ['logs', '-f', id]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(Array.from({ length: 40 }, (_, i) => `line-${i + 1}\n`).join(''));
      const job = json(Job, await jd(dataDir, ['--json', 'show', id]));
      expect(job.status).toBe('completed');
      // By line: from a line, a limit, each line numbered and stamped.
      const page = json(LogLinesPage, await jd(dataDir, ['--json', 'logs', id, '--from-line', '10', '--lines', '5']));
      expect(page.lines.map((l) => [l.n, l.stream, l.text])).toEqual([10, 11, 12, 13, 14].map((n) => [n, 'stdout', `line-${n}`]));
      expect(page.hasMore).toBe(true);
      expect(page.total).toBeGreaterThanOrEqual(40);
      const tail = await jd(dataDir, ['logs', id, '--from-line', '39']);
      expect(tail.stdout).toBe('line-39\nline-40\n');
    });
  });

  it.skipIf(targets.every((t) => t.missing))('bulk retry and cleanup act on exactly the jobs they name; --json parses against the schemas', async () => {
    const engine = targets.find((t) => !t.missing)!.kind;
    const fail = templateFile(files, 'cli-bulk-fail', 'exit 4');
    const ok = templateFile(files, 'cli-bulk-ok', 'true');
    for (const f of [fail, fail, ok]) expect((await jd(dataDir, ['run', f, '--wait', '--engine', engine])).code).not.toBe(null);
    const failed = json(JobPage, await jd(dataDir, ['--json', 'jobs', 'list', '--status', 'failed', '--limit', '1000']));
    const completed = json(JobPage, await jd(dataDir, ['--json', 'jobs', 'list', '--status', 'completed', '--limit', '1000']));
    expect(failed.items.length).toBeGreaterThanOrEqual(2);

    // Without --json a bulk command says what it did, in the bulk bar's words (every job above has ended).
    expect((await jd(dataDir, ['cancel', '--status', 'pending'])).stdout).toBe('Cancelled 0 jobs.\n');
    const retried = json(BulkResult, await jd(dataDir, ['--json', 'retry', '--status', 'failed', '--since', '1h']));
    expect(retried.outcomes.map((o) => o.id).sort()).toEqual(failed.items.map((j) => j.id).sort());
    expect(retried.done).toBe(failed.items.length);
    // The retries run (and fail again): wait for each through the CLI.
    for (const j of failed.items) {
      const r = await jd(dataDir, ['--json', 'show', j.id]);
      expect(Job.parse(JSON.parse(r.stdout)).attempts.length).toBeGreaterThanOrEqual(1);
    }

    const preview = json(CleanupPreview, await jd(dataDir, ['--json', 'cleanup', '--older-than', '0s', '--status', 'completed', '--dry-run']));
    expect(preview.count).toBe(completed.items.length);
    expect(json(JobPage, await jd(dataDir, ['--json', 'jobs', 'list', '--status', 'completed'])).total).toBe(completed.total);
    const removed = json(z.object({ removed: z.number() }), await jd(dataDir, ['--json', 'cleanup', '--older-than', '0s', '--status', 'completed']));
    expect(removed.removed).toBe(completed.items.length);
    const after = json(JobPage, await jd(dataDir, ['--json', 'jobs', 'list', '--limit', '1000']));
    expect(after.items.filter((j) => j.status === 'completed')).toEqual([]);
    for (const j of failed.items) expect(after.items.map((x) => x.id)).toContain(j.id);

    // The other --json shapes, each the contract's own schema.
    json(z.array(EngineInfo), await jd(dataDir, ['--json', 'engines', 'list']));
    json(QueueState, await jd(dataDir, ['--json', 'queue', 'status']));
    json(Stats, await jd(dataDir, ['--json', 'stats', '--since', '1h']));
    const ids = await jd(dataDir, ['-q', 'jobs', 'list', '--status', 'failed']);
    expect(ids.stdout.trim().split('\n').sort()).toEqual(failed.items.map((j) => j.id).sort());
  });

  it.skipIf(targets.every((t) => t.missing))('templates from-docker-run -- docker run … prints a template, --save stores it, and it runs', async () => {
    const engine = targets.find((t) => !t.missing)!.kind;
    const line = ['docker', 'run', '--rm', '--name', 'cli-from-docker', '-e', 'GREETING=hello world', '--network', 'none', '--pull', 'never', TEST_IMAGE, 'sh', '-c', 'echo "$GREETING"'];
    const printed = await jd(dataDir, ['templates', 'from-docker-run', '--', ...line]);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toMatch(/^apiVersion: jobdeck\/v1\nkind: Template\nname: cli-from-docker\n/);
    const saved = DockerRunResult.parse(JSON.parse((await jd(dataDir, ['--json', 'templates', 'from-docker-run', '--save', '--', ...line])).stdout));
    expect(saved.template?.env).toEqual([{ name: 'GREETING', value: 'hello world', secret: false }]);
    const r = await jd(dataDir, ['run', 'cli-from-docker', '--follow', '--engine', engine]);
    expect([r.code, r.stdout]).toEqual([0, 'hello world\n']);
    const k8s = await jd(dataDir, ['templates', 'export', 'cli-from-docker', '--format', 'kubernetes']);
    expect(k8s.stdout).toMatch(/apiVersion: batch\/v1\nkind: Job\n/);
    expect((await jd(dataDir, ['templates', 'rm', 'cli-from-docker'])).code).toBe(0);
  });

  it.skipIf(targets.every((t) => t.missing))('Ctrl-C without a terminal leaves the job running; with --cancel-on-interrupt it cancels it; both exit 130', async () => {
    const engine = targets.find((t) => !t.missing)!.kind;
    const file = templateFile(files, 'cli-interrupt', 'echo started; sleep 60');
    for (const cancel of [false, true]) {
      const run = jdRunning(dataDir, ['run', file, '--follow', '--engine', engine, ...(cancel ? ['--cancel-on-interrupt'] : [])]);
      await expect.poll(() => run.stderrSoFar(), { timeout: 30_000 }).toMatch(/job [0-9a-f-]{36} \(cli-interrupt\)/);
      const id = /job ([0-9a-f-]{36})/.exec(run.stderrSoFar())![1]!;
      await expect.poll(async () => Job.parse(JSON.parse((await jd(dataDir, ['--json', 'show', id])).stdout)).status, { timeout: 30_000 }).toBe('running');
      run.child.kill('SIGINT');
      const r = await run.ended;
      expect(r.code, r.stderr).toBe(130);
      const after = Job.parse(JSON.parse((await jd(dataDir, ['--json', 'show', id])).stdout));
      if (cancel) expect(after.status).toBe('cancelled');
      else {
        expect(r.stderr).toContain(`left job ${id.slice(0, 8)} running`);
        expect(after.status).toBe('running');
        expect((await jd(dataDir, ['cancel', id])).code).toBe(0);
      }
    }
  });

  it.skipIf(targets.every((t) => t.missing))('Ctrl-C on a terminal asks: "y" cancels the job (exit 130)', async () => {
    const engine = targets.find((t) => !t.missing)!.kind;
    const file = templateFile(files, 'cli-interrupt-tty', 'echo started; sleep 60');
    // util-linux `script` gives the command a terminal; writing ^C to it is a Ctrl-C.
    const cmd = [process.execPath, BIN, '--data-dir', dataDir, 'run', file, '--follow', '--engine', engine].map((w) => `'${w}'`).join(' ');
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.DOCKER_HOST;
    delete env.CONTAINER_HOST;
    const child = spawn('script', ['-qefc', cmd, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let seen = '';
    child.stdout.on('data', (c: Buffer) => (seen += c.toString()));
    const ended = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    await expect.poll(() => seen, { timeout: 30_000 }).toContain('started');
    const id = /job ([0-9a-f-]{36})/.exec(seen)![1]!;
    child.stdin.write('\x03');
    await expect.poll(() => seen, { timeout: 10_000 }).toMatch(/Cancel job [0-9a-f]{8} \(cli-interrupt-tty\)\? \[y\/N\]/);
    child.stdin.write('y\r');
    expect(await ended).toBe(130);
    expect(Job.parse(JSON.parse((await jd(dataDir, ['--json', 'show', id])).stdout)).status).toBe('cancelled');
  });

  it.skipIf(targets.every((t) => t.missing))('run FILE gives the container the file\'s own secret value, not its mask', async () => {
    const engine = targets.find((t) => !t.missing)!.kind;
    // Its length, as the log masks the value itself: the mask (8 bullets) is 24 bytes long.
    const file = templateFile(files, 'cli-file-secret', 'echo "length=${#TOKEN}"', 'env:\n  TOKEN: { value: hunter2, secret: true }\n');
    const r = await jd(dataDir, ['run', file, '--follow', '--engine', engine]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('length=7\n');
  });

  it('templates import prints a line per file: created, and failed with why (exit 1)', async () => {
    const good = templateFile(files, 'cli-import-table', 'true');
    const bad = join(files, 'cli-import-bad.yaml');
    writeFileSync(bad, 'name: cli-import-bad\nimage: busybox\n');
    const r = await jd(dataDir, ['templates', 'import', good, bad]);
    expect(r.code, r.stderr).toBe(1);
    const [head, ...lines] = r.stdout.trimEnd().split('\n');
    expect(head).toMatch(/^FILE\s+TEMPLATE\s+OUTCOME\s+MESSAGE$/);
    expect(lines).toHaveLength(2);
    expect(lines).toContainEqual(expect.stringMatching(/^cli-import-table\.yaml\s+cli-import-table\s+created\s*$/));
    expect(lines).toContainEqual(expect.stringMatching(/^cli-import-bad\.yaml\s+\S+\s+failed\s+apiVersion: missing/));
    expect((await jd(dataDir, ['-q', 'templates', 'import', '--on-conflict', 'keep-both', good])).stdout).toMatch(/^[0-9a-f-]{36}\n$/);
  });

  it('queue pause and resume reach the app', async () => {
    expect(json(QueueState, await jd(dataDir, ['--json', 'queue', 'pause'])).paused).toBe(true);
    expect((await host.call('queue.state', {})).paused).toBe(true);
    expect((await jd(dataDir, ['queue', 'resume'])).stdout).toMatch(/^Queue running: /);
  });
});

describe('with no app running (the CLI runs the core itself)', () => {
  describe.each(targets)('on $kind', (target) => {
    it.skipIf(Boolean(target.missing))('run --wait exits with the job\'s code and leaves no lock (nor socket) behind', { timeout: 180_000 }, async () => {
      const dataDir = tmp();
      const files = tmp('jobdeck-cli-files-');
      const r = await jd(dataDir, ['run', templateFile(files, `cli-local-${target.kind}`, 'echo local; exit 3'), '--follow', '--engine', target.kind], { env: { JOBDECK_DEBUG: '1' } });
      expect(r.code, r.stderr).toBe(3);
      expect(r.stdout).toBe('local\n');
      expect(existsSync(join(dataDir, 'jobdeck.lock'))).toBe(false);
      expect(existsSync(join(dataDir, 'run', 'jobdeck.sock'))).toBe(false);
      const ok = await jd(dataDir, ['run', templateFile(files, `cli-local-true-${target.kind}`, 'true'), '--wait', '--engine', target.kind]);
      expect(ok.code, ok.stderr).toBe(0);
      const page = json(JobPage, await jd(dataDir, ['--json', 'jobs', 'list']));
      expect(page.items.map((j) => [j.templateName, j.status, j.exitCode])).toEqual([
        [`cli-local-true-${target.kind}`, 'completed', 0],
        [`cli-local-${target.kind}`, 'failed', 3],
      ]);
      expect(existsSync(join(dataDir, 'jobdeck.lock'))).toBe(false);
    });
  });

  it.skipIf(targets.every((t) => t.missing))('a second jobdeck meanwhile talks to the first one\'s core over its socket, and no lock is left after both', { timeout: 180_000 }, async () => {
    const engine = targets.find((t) => !t.missing)!.kind;
    const dataDir = tmp();
    const files = tmp('jobdeck-cli-files-');
    const first = jdRunning(dataDir, ['run', templateFile(files, 'cli-local-long', 'echo up; sleep 4; exit 5'), '--follow', '--engine', engine]);
    await expect.poll(() => existsSync(join(dataDir, 'run', 'jobdeck.sock')), { timeout: 60_000 }).toBe(true);
    await expect.poll(() => first.stderrSoFar(), { timeout: 60_000 }).toMatch(/job [0-9a-f-]{36}/);
    const second = json(JobPage, await jd(dataDir, ['--json', 'jobs', 'list']));
    expect(second.items.map((j) => j.templateName)).toEqual(['cli-local-long']);
    expect(LockHolder.parse(JSON.parse(readFileSync(join(dataDir, 'jobdeck.lock'), 'utf8'))).kind).toBe('cli');
    const r = await first.ended;
    expect([r.code, r.stdout]).toEqual([5, 'up\n']);
    expect(existsSync(join(dataDir, 'jobdeck.lock'))).toBe(false);
  });
});

describe('jobdeck serve', () => {
  it('runs the headless host on the data dir; other commands reach it; Ctrl-C stops it and frees the data dir', { timeout: 400_000 }, async () => {
    buildIfNeeded(process.cwd()); // the built app (out/main/headless.js), as e2e runs it
    const dataDir = tmp();
    const serve = jdRunning(dataDir, ['serve', '--port', '0']);
    let out = '';
    serve.child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    // A host's first start on a loaded machine has taken over a minute here.
    await expect.poll(() => out, { timeout: 180_000 }).toMatch(/Jobdeck headless: http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    expect(json(QueueState, await jd(dataDir, ['--json', 'queue', 'status'])).paused).toBe(false);
    expect(LockHolder.parse(JSON.parse(readFileSync(join(dataDir, 'jobdeck.lock'), 'utf8'))).kind).toBe('headless');
    serve.child.kill('SIGINT');
    expect((await serve.ended).code).toBe(0);
    expect(existsSync(join(dataDir, 'jobdeck.lock'))).toBe(false);
  });
});
