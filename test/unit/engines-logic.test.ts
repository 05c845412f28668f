import { describe, expect, it } from 'vitest';
import { defaultSockets, discoverEngines } from '../../src/main/core/engines/discovery';
import { initExecFailureExitCode, startFailureExitCode } from '../../src/main/core/engines/errors';
import { createOptions, toCmd } from '../../src/main/core/engines/createOptions';
import { FrameDemuxer, RawText, StampedLineSplitter, type StampedText } from '../../src/main/core/engines/logFrames';
import { stampToIso, stampToNanos } from '../../src/main/core/engines/timestamps';
import { spec } from '../support/fakes';
import { engineFrame } from '../support/engineFrames';

describe('engine discovery', () => {
  const none = () => false;
  it('puts DOCKER_HOST and CONTAINER_HOST first, then settings, then the usual sockets', () => {
    const list = discoverEngines({
      env: { DOCKER_HOST: 'tcp://10.0.0.5:2376', CONTAINER_HOST: 'unix:///run/user/1000/podman/podman.sock' },
      settings: [{ id: 'remote', kind: 'docker', host: 'ssh://me@box' }],
      exists: none,
      platform: 'linux',
      home: '/home/me',
    });
    expect(list.map((c) => [c.id, c.host, c.source])).toEqual([
      ['docker', 'tcp://10.0.0.5:2376', 'env'],
      ['podman', 'unix:///run/user/1000/podman/podman.sock', 'env'],
      ['remote', 'ssh://me@box', 'settings'],
    ]);
    // DOCKER_HOST may be Podman: its kind is asked of the engine, not assumed.
    expect(list[0]!.kind).toBeUndefined();
  });

  it('takes the first usual socket that exists for each kind', () => {
    const list = discoverEngines({
      env: { XDG_RUNTIME_DIR: '/run/user/1000' },
      settings: [],
      platform: 'linux',
      home: '/home/me',
      exists: (p) => p === '/home/me/.docker/desktop/docker.sock' || p === '/run/podman/podman.sock',
    });
    expect(list.map((c) => [c.id, c.host])).toEqual([
      ['docker', 'unix:///home/me/.docker/desktop/docker.sock'],
      ['podman', 'unix:///run/podman/podman.sock'],
    ]);
  });

  it('still lists an engine whose socket is missing, at the first place it looked', () => {
    const list = discoverEngines({ env: {}, settings: [], platform: 'linux', home: '/h', exists: none });
    expect(list.map((c) => c.host)).toEqual(['unix:///var/run/docker.sock', 'unix:///run/podman/podman.sock']);
  });

  it('knows the Windows named pipes and the macOS Podman machine socket', () => {
    expect(defaultSockets('win32', 'C:/Users/me', {}).map((s) => s.host)).toEqual([
      'npipe:////./pipe/docker_engine',
      'npipe:////./pipe/podman-machine-default',
    ]);
    expect(defaultSockets('darwin', '/Users/me', {}).some((s) => s.host.includes('podman/machine'))).toBe(true);
  });
});

describe('container options', () => {
  it('runs a string command with sh -c and an argv array as it is', () => {
    expect(toCmd('echo $HOME')).toEqual(['sh', '-c', 'echo $HOME']);
    expect(toCmd(['echo', '$HOME'])).toEqual(['echo', '$HOME']);
  });

  it('always starts an init, applies limits, mounts, network and labels', () => {
    const o = createOptions({
      jobId: 'j',
      attempt: 1,
      index: 0,
      env: ['A=1'],
      labels: { 'dev.jobdeck.job': 'j' },
      graceSeconds: 5,
      spec: spec({
        limits: { memory: '64Mi', cpus: '500m' },
        mounts: [{ hostPath: '/data', containerPath: '/in', readOnly: true }],
        network: 'none',
        labels: { team: 'x' },
      }),
    });
    expect(o.HostConfig).toMatchObject({
      Init: true,
      Memory: 64 * 1024 * 1024,
      MemorySwap: 64 * 1024 * 1024,
      NanoCpus: 500_000_000,
      NetworkMode: 'none',
      Binds: ['/data:/in:ro'],
    });
    expect(o.Labels).toEqual({ team: 'x', 'dev.jobdeck.job': 'j' });
    expect(o.Env).toEqual(['A=1']);
  });

  it('maps engine start failures to the exit codes docker run gives', () => {
    expect(startFailureExitCode('exec: "nope": executable file not found in $PATH')).toBe(127);
    expect(startFailureExitCode('permission denied')).toBe(126);
    expect(startFailureExitCode('invalid mount config')).toBe(125);
  });

  it("reads Podman's catatonit exec failure as 127, like Docker's tini", () => {
    expect(initExecFailureExitCode(1, 'ERROR (catatonit:7): failed to exec pid1: No such file or directory\n')).toBe(127);
    expect(initExecFailureExitCode(1, 'ERROR (catatonit:7): failed to exec pid1: Permission denied\n')).toBe(126);
    expect(initExecFailureExitCode(1, 'plain failure\n')).toBe(1);
    expect(initExecFailureExitCode(0, 'failed to exec pid1')).toBe(0);
  });
});

describe('engine log stamps', () => {
  it('compares RFC3339Nano stamps exactly, trailing zeros trimmed or not', () => {
    expect(stampToNanos('2026-01-01T00:00:00.1Z')).toBe(stampToNanos('2026-01-01T00:00:00.100000000Z'));
    expect(stampToNanos('2026-01-01T00:00:00.000000002Z')! - stampToNanos('2026-01-01T00:00:00.000000001Z')!).toBe(1n);
    expect(stampToNanos('not a stamp')).toBeNull();
  });

  it('strips the stamp from each entry and keeps partial lines whole', () => {
    const got: StampedText[] = [];
    const s = new StampedLineSplitter('stdout', (t) => got.push(t));
    s.push(Buffer.from('2026-01-01T00:00:00.1Z hello\n'));
    s.endOfEntry();
    s.push(Buffer.from('2026-01-01T00:00:00.2Z no newline'));
    s.endOfEntry();
    s.push(Buffer.from('2026-01-01T00:00:00.3Z a\n2026-01-01T00:00:00.4Z b\n'));
    s.endOfEntry();
    expect(got.map((g) => g.data)).toEqual(['hello\n', 'no newline', 'a\n', 'b\n']);
    expect(got[3]!.stamp).toBe('2026-01-01T00:00:00.4Z');
  });

  it('demuxes engine frames split anywhere across chunks, stdout and stderr apart, without losing a byte', async () => {
    const frame = engineFrame;
    const entries: [1 | 2, string][] = [];
    for (let i = 0; i < 200; i++) entries.push([i % 3 === 0 ? 2 : 1, `2026-01-01T00:00:0${i % 10}.${i}Z line ${i} ${'é'.repeat(i % 7)}\n`]);
    const wire = Buffer.concat(entries.map(([t, x]) => frame(t, x)));
    // Every chunk size from 1 byte (a header split in two) up to several frames at once.
    for (const size of [1, 3, 7, 8, 9, 50, 4096]) {
      const got: StampedText[] = [];
      const d = new FrameDemuxer(new StampedLineSplitter('stdout', (t) => got.push(t)), new StampedLineSplitter('stderr', (t) => got.push(t)));
      for (let at = 0; at < wire.length; at += size) d.write(wire.subarray(at, at + size));
      await new Promise<void>((r) => d.end(() => r()));
      expect(got.filter((g) => g.stream === 'stdout').map((g) => g.data)).toEqual(entries.filter(([t]) => t === 1).map(([, x]) => x.slice(x.indexOf(' ') + 1)));
      expect(got.filter((g) => g.stream === 'stderr').map((g) => g.data)).toEqual(entries.filter(([t]) => t === 2).map(([, x]) => x.slice(x.indexOf(' ') + 1)));
    }
  });

  it('turns UTC stamps into millisecond ISO times without date arithmetic, others exactly', () => {
    expect(stampToIso('2026-01-01T00:00:00.123456789Z')).toBe('2026-01-01T00:00:00.123Z');
    expect(stampToIso('2026-01-01T00:00:05Z')).toBe('2026-01-01T00:00:05.000Z');
    expect(stampToIso('2026-01-01T00:00:05.1Z')).toBe('2026-01-01T00:00:05.100Z');
    expect(stampToIso('2026-01-01T02:00:05.5+02:00')).toBe('2026-01-01T00:00:05.500Z');
  });

  it('re-assembles raw tty output split mid-line and mid-character', () => {
    const got: string[] = [];
    const s = new StampedLineSplitter('stdout', (t) => got.push(t.data));
    const bytes = Buffer.from('2026-01-01T00:00:00.1Z héllo\n2026-01-01T00:00:00.2Z x\n');
    for (let i = 0; i < bytes.length; i += 3) s.push(bytes.subarray(i, i + 3));
    s.end();
    expect(got).toEqual(['héllo\n', 'x\n']);
  });

  it('drops, after a restart, the text of this stream already stored, then keeps everything', () => {
    const got: string[] = [];
    const s = new StampedLineSplitter('stdout', (t) => got.push(t.data), 'old\nstored\n'.length);
    s.push(Buffer.from('2026-01-01T00:00:00.1Z old\n2026-01-01T00:00:00.2Z stored\n2026-01-01T00:00:00.2Z new\n'));
    s.end();
    expect(got).toEqual(['new\n']);
  });

  it('skips by amount of text, so a line split into entries differently is kept once (Podman)', () => {
    const got: string[] = [];
    // "abcdef\n" was stored as "abc" + "def\n"; the read after the restart gives it whole, then more.
    const s = new StampedLineSplitter('stdout', (t) => got.push(t.data), 7);
    s.push(Buffer.from('2026-01-01T00:00:05Z abcdef\n2026-01-01T00:00:05Z ghi\n'));
    s.end();
    expect(got).toEqual(['ghi\n']);
    const cut: string[] = [];
    const c = new StampedLineSplitter('stdout', (t) => cut.push(t.data), 3);
    c.push(Buffer.from('2026-01-01T00:00:05Z abcdef\n'));
    c.end();
    expect(cut).toEqual(['def\n']);
  });

  it('keeps unstored lines that share a whole-second stamp with stored ones (Podman)', () => {
    const got: string[] = [];
    // a, b and c were stored before the restart; d shares c's second but was not.
    const s = new StampedLineSplitter('stdout', (t) => got.push(t.data), 6);
    s.push(Buffer.from('2026-01-01T00:00:04Z a\n2026-01-01T00:00:05Z b\n2026-01-01T00:00:05Z c\n2026-01-01T00:00:05Z d\n2026-01-01T00:00:06Z e\n'));
    s.end();
    expect(got).toEqual(['d\n', 'e\n']);
  });

  it('attach output is kept as written: a character split between frames is held back, not mangled', () => {
    const got: StampedText[] = [];
    const r = new RawText('stderr', (t) => got.push(t));
    const bytes = Buffer.from('héllo wörld\nno newline');
    for (let i = 0; i < bytes.length; i += 2) r.push(bytes.subarray(i, i + 2));
    r.end();
    expect(got.map((g) => g.data).join('')).toBe('héllo wörld\nno newline');
    expect(got.every((g) => g.stream === 'stderr' && !Number.isNaN(Date.parse(g.stamp)))).toBe(true);
  });
});
