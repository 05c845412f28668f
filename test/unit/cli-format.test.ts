import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { badge, formatDuration, paint, styleFor, table } from '../../src/cli/format';
import { completionScript } from '../../src/cli/completion';
import { LineFollower } from '../../src/cli/follow';
import type { LiveLogChunk, LogPage } from '../../src/shared/ipc';
import type { LogLine } from '../../src/shared/logLines';

describe('tables', () => {
  it('pads each column to its widest cell, colour codes not counted', () => {
    const red = paint({ color: true }, 'red', 'failed');
    const out = table(['ID', 'STATUS', 'NAME'], [['a1', red, 'x'], ['b22222', 'ok', 'longer name']]);
    // eslint-disable-next-line no-control-regex
    expect(out.replace(/\x1b\[\d+m/g, '')).toBe(['ID      STATUS  NAME', 'a1      failed  x', 'b22222  ok      longer name'].join('\n'));
  });

  it('colours only a terminal, and never with NO_COLOR or --no-color', () => {
    expect(styleFor({ isTTY: true }, {})).toEqual({ color: true });
    expect(styleFor({ isTTY: false }, {})).toEqual({ color: false });
    expect(styleFor({ isTTY: true }, { NO_COLOR: '1' })).toEqual({ color: false });
    expect(styleFor({ isTTY: true }, {}, true)).toEqual({ color: false });
    expect(paint({ color: false }, 'red', 'x')).toBe('x');
  });
});

describe('badges as text', () => {
  it.each([
    [{ status: 'running' }, 'running'],
    [{ status: 'completed', exitCode: 0, reason: 'Completed' }, 'exit 0 (Completed)'],
    [{ status: 'failed', exitCode: 3, reason: 'Error' }, 'exit 3 (Error)'],
    [{ status: 'failed', exitCode: 137, reason: 'OOMKilled' }, 'exit 137 (OOMKilled)'],
    [{ status: 'cancelled', reason: 'Cancelled' }, 'Cancelled'],
    [{ status: 'failed', exitCode: null, reason: 'ImagePullFailed' }, 'ImagePullFailed'],
  ] as const)('%j reads %s', (job, text) => expect(badge(job)).toBe(text));

  it.each([
    [850, '850ms'],
    [12_300, '12.3s'],
    [245_000, '4m 05s'],
    [7_800_000, '2h 10m'],
    [273_600_000, '3d 4h'],
  ])('%i ms reads %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe('completion scripts', () => {
  const program = new Command('jobdeck').option('--json');
  program.command('run').option('--wait');
  program.command('templates').command('import').option('--on-conflict <a>');
  it('name every command and option the parser has, for bash, zsh and fish', () => {
    const bash = completionScript(program, 'bash');
    expect(bash).toContain('complete -o default -F _jobdeck_complete jobdeck');
    expect(bash).toContain('"templates") words="import --help --json --help"');
    expect(bash).toContain('"run") words="--wait --help --json --help"');
    expect(completionScript(program, 'zsh')).toMatch(/^#compdef jobdeck\nautoload -U \+X bashcompinit/);
    const fish = completionScript(program, 'fish');
    expect(fish).toContain("complete -c jobdeck -n '__fish_use_subcommand' -a run");
    expect(fish).toContain("complete -c jobdeck -n '__fish_seen_subcommand_from import' -l on-conflict");
  });
});

describe('following a log: every line once', () => {
  // A log file of records, read by byte range the way logs.read does (one byte per character here).
  const records: { stream: 'stdout' | 'stderr'; data: string; from: number; to: number }[] = [];
  let size = 0;
  const write = (stream: 'stdout' | 'stderr', data: string): LiveLogChunk => {
    const r = { stream, data, from: size, to: size + data.length };
    size = r.to;
    records.push(r);
    return { attempt: 1, t: '2026-01-01T00:00:00.000Z', ...r };
  };
  const read = async (_attempt: number, offset: number): Promise<LogPage> => {
    const rest = records.filter((r) => r.from >= offset);
    return { chunks: rest.map((r) => ({ attempt: 1, stream: r.stream, t: '2026-01-01T00:00:00.000Z', data: r.data })), nextOffset: size, size, eof: true, truncated: false };
  };

  it('reads what was written before it came, drops chunks it read, fills a gap from the file, ends the last line', async () => {
    const lines: LogLine[] = [];
    const f = new LineFollower({ read, line: (l) => lines.push(l) });
    const early = write('stdout', 'one\ntw');
    await f.start(1);
    await f.push([early]); // already read from the file: not again
    const c2 = write('stdout', 'o\n');
    await f.push([c2]);
    write('stderr', 'three\n'); // missed (never sent live)
    const c4 = write('stdout', 'four\nfive');
    await f.push([c4]);
    await f.finish();
    expect(lines.map((l) => [l.n, l.stream, l.text])).toEqual([
      [1, 'stdout', 'one'],
      [2, 'stdout', 'two'],
      [3, 'stderr', 'three'],
      [4, 'stdout', 'four'],
      [5, 'stdout', 'five'],
    ]);
  });

  it('starts at --from-line and keeps to one stream', async () => {
    records.length = 0;
    size = 0;
    write('stdout', 'a\nb\n');
    write('stderr', 'c\n');
    write('stdout', 'd\n');
    const lines: LogLine[] = [];
    const f = new LineFollower({ read, line: (l) => lines.push(l) }, { fromLine: 2, streams: ['stdout'] });
    await f.start(1);
    await f.finish();
    expect(lines.map((l) => [l.n, l.text])).toEqual([[2, 'b'], [4, 'd']]);
  });
});
