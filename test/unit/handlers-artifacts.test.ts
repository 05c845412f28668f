// Artifacts open (issue 11, item 8): previews through the contract in both shells, and the
// desktop's own programs behind a port, confined to the artifacts dir.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { desktopArtifactShell, type SystemShell } from '../../src/main/desktop/artifactShell';
import { attemptResult } from '../../src/main/core/scheduler/outcome';
import { describeCommand, useFakeCore, type FakeCore } from '../support/fakeCore';

function fakeShell(reason = '') {
  const calls: [string, string][] = [];
  const shell: SystemShell = {
    openPath: async (p) => (calls.push(['open', p]), reason),
    showItemInFolder: (p) => void calls.push(['reveal', p]),
  };
  return { shell, calls };
}

describe('desktopArtifactShell', () => {
  it('opens and reveals files below artifacts/ only', async () => {
    const { shell, calls } = fakeShell();
    const s = desktopArtifactShell(shell, '/data');
    await s.open('/data/artifacts/j/1/report.txt');
    s.reveal('/data/artifacts/j/1/report.txt');
    expect(calls).toEqual([['open', '/data/artifacts/j/1/report.txt'], ['reveal', '/data/artifacts/j/1/report.txt']]);
    for (const bad of ['/etc/passwd', '/data/artifacts/../state.json', '/data/artifacts', 'artifacts/j/1/x', '/data/artifacts-other/x']) {
      await expect(s.open(bad)).rejects.toThrow(/not an artifact/);
      expect(() => s.reveal(bad)).toThrow(/not an artifact/);
    }
    expect(calls).toHaveLength(2);
  });

  it("says the system's reason when it cannot open a file", async () => {
    const s = desktopArtifactShell(fakeShell('no application is registered for .xyz').shell, '/data');
    await expect(s.open('/data/artifacts/j/1/a.xyz')).rejects.toThrow('the system could not open /data/artifacts/j/1/a.xyz: no application is registered for .xyz');
  });
});

const core = useFakeCore();
async function jobWithFiles(h: FakeCore, name: string) {
  const job = await h.call('jobs.create', { spec: { name, image: 'busybox:1.36', command: 'echo hi' } });
  await h.until('the attempt to start', () => h.engines.runs(job.id).length > 0);
  const dir = join(h.dataDir, 'artifacts', job.id, '1');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'report.txt'), 'hello report\n');
  writeFileSync(join(dir, 'big.log'), 'x'.repeat(300_000));
  writeFileSync(join(dir, 'dot.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  writeFileSync(join(dir, 'tool.bin'), Buffer.alloc(4));
  symlinkSync('/etc/passwd', join(dir, 'link.txt'));
  return job;
}

describeCommand('artifacts.read', () => {
  it('text as text, an image as base64, the start of a long file, and nothing outside the attempt', async () => {
    const h = core();
    const job = await jobWithFiles(h, 'ar-one');
    expect(await h.call('artifacts.read', { id: job.id, attempt: 1, name: 'report.txt' })).toEqual({
      name: 'report.txt', type: 'text/plain; charset=utf-8', size: 13, truncated: false, encoding: 'utf8', data: 'hello report\n',
    });
    expect(await h.call('artifacts.read', { id: job.id, attempt: 1, name: 'dot.png' })).toMatchObject({ type: 'image/png', encoding: 'base64', data: 'iVBORw0KGgo=' });
    const big = await h.call('artifacts.read', { id: job.id, attempt: 1, name: 'big.log' });
    expect([big.size, big.truncated, big.data.length]).toEqual([300_000, true, 256 * 1024]);
    expect(await h.fail('artifacts.read', { id: job.id, attempt: 1, name: 'tool.bin' })).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/download it/) });
    for (const name of ['../../../state.json', '/etc/passwd', 'link.txt']) {
      expect(await h.fail('artifacts.read', { id: job.id, attempt: 1, name })).toMatchObject({ code: 'VALIDATION' });
    }
    expect(await h.fail('artifacts.read', { id: job.id, attempt: 2, name: 'report.txt' })).toMatchObject({ code: 'NOT_FOUND' });
  });
});

const opened: [string, string][] = [];
const desktop = useFakeCore({
  artifactShell: { open: async (p) => void opened.push(['open', p]), reveal: (p) => void opened.push(['reveal', p]) },
});

describeCommand('artifacts.open', () => {
  it('in the desktop app opens the artifact itself with the system program, and nothing else', async () => {
    const h = desktop();
    const job = await jobWithFiles(h, 'ao-desk');
    opened.length = 0;
    expect(await h.call('artifacts.open', { id: job.id, attempt: 1, name: 'report.txt' })).toEqual({ ok: true });
    expect(opened).toEqual([['open', join(h.dataDir, 'artifacts', job.id, '1', 'report.txt')]]);
    expect(await h.fail('artifacts.open', { id: job.id, attempt: 1, name: '../../../state.json' })).toMatchObject({ code: 'VALIDATION' });
    expect(await h.fail('artifacts.open', { id: job.id, attempt: 1, name: 'link.txt' })).toMatchObject({ code: 'VALIDATION' });
    expect(opened).toHaveLength(1);
  });

  it('without a desktop (the browser host) says to download instead', async () => {
    const h = core();
    const job = await jobWithFiles(h, 'ao-one');
    expect(await h.fail('artifacts.open', { id: job.id, attempt: 1, name: 'report.txt' })).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/desktop app; here, download it/) });
  });
});

describeCommand('artifacts.reveal', () => {
  it('without a desktop says so, and refuses a name outside the attempt first', async () => {
    const h = core();
    const job = await jobWithFiles(h, 'av-one');
    expect(await h.fail('artifacts.reveal', { id: job.id, attempt: 1, name: 'report.txt' })).toMatchObject({ code: 'FORBIDDEN' });
    const d = desktop();
    const other = await jobWithFiles(d, 'av-desk');
    opened.length = 0;
    expect(await d.call('artifacts.reveal', { id: other.id, attempt: 1, name: 'report.txt' })).toEqual({ ok: true });
    expect(opened).toEqual([['reveal', join(d.dataDir, 'artifacts', other.id, '1', 'report.txt')]]);
    expect(await d.fail('artifacts.reveal', { id: other.id, attempt: 1, name: '/etc/passwd' })).toMatchObject({ code: 'VALIDATION' });
  });
});

describe('Attempt.artifacts', () => {
  it('is filled from the files the executor copied out of the output dir', () => {
    const files = [{ name: 'report.txt', size: 12 }, { name: 'sub/data.bin', size: 3 }];
    expect(attemptResult({ exitCode: 0, reason: 'Completed', finishedAt: 't', artifacts: files })).toMatchObject({ artifacts: files });
    expect(attemptResult({ exitCode: 0, reason: 'Completed', finishedAt: 't' })).not.toHaveProperty('artifacts');
  });
});
