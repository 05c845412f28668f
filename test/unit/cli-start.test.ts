import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { buildProgram, commandNamed } from '../../src/cli/program';
import type { Cli } from '../../src/cli/context';
import { COMMAND_NAMES, commands } from '../../src/shared/ipc';
import { cmd } from '../../src/shared/lazyCommand';
import { z } from 'zod';

// What a command's start costs is most of `jobdeck run --wait` beside `docker run` (bench/cli.bench.ts):
// the contract builds a command's schemas when they are first read, and the CLI loads no module
// it does not use for the command at hand.
const dir = mkdtempSync(join(tmpdir(), 'jobdeck-cli-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the contract', () => {
  it('makes a command\'s schemas when they are first read, and the same ones after', () => {
    for (const name of COMMAND_NAMES) {
      const entry = commands[name];
      for (const side of ['input', 'output'] as const) {
        // A getter, not a value: nothing is built as the module loads.
        expect(Object.getOwnPropertyDescriptor(entry, side)?.get, `${name}.${side}`).toBeTypeOf('function');
        expect(entry[side]).toBe(entry[side]);
      }
    }
    expect(commands['jobs.get'].input.safeParse({ id: '' }).success).toBe(false);
    expect(commands['jobs.get'].input.parse({ id: 'a' })).toEqual({ id: 'a' });
  });

  it('takes a schema given as it is, as well as one given as the function that makes it', () => {
    const made: string[] = [];
    const Out = z.number();
    const c = cmd(() => (made.push('input'), z.object({ id: z.string() })), Out);
    expect(made).toEqual([]);
    expect(c.output).toBe(Out);
    expect(c.input.parse({ id: 'x' })).toEqual({ id: 'x' });
    expect(c.input).toBe(c.input);
    expect(made).toEqual(['input']);
  });
});

describe('the CLI\'s start', () => {
  it('loads no child_process (commander\'s executable subcommands, serve\'s spawn) for a command that spawns nothing', () => {
    // Node's own list of the modules this process loaded, read as it exits.
    const probe = join(dir, 'loaded.cjs');
    writeFileSync(probe, "process.on('exit', () => process.stderr.write('\\nLOADED ' + JSON.stringify(process.moduleLoadList)));\n");
    const run = (args: string[]) => {
      try {
        execFileSync(process.execPath, ['-r', probe, join(process.cwd(), 'bin/jobdeck.mjs'), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        throw new Error('expected to exit with the stderr captured below');
      } catch (error) {
        const stderr = String((error as { stderr?: unknown }).stderr ?? '');
        return JSON.parse(stderr.slice(stderr.lastIndexOf('LOADED ') + 7)) as string[];
      }
    };
    // Built first when the sources are newer (the build itself runs esbuild's own process).
    execFileSync(process.execPath, [join(process.cwd(), 'bin/jobdeck.mjs'), '--version'], { stdio: 'ignore' });
    // A usage error exits 2 (stderr is read from the error); --version would exit 0.
    const loaded = run(['--data-dir', dir, 'run', 'nothing.yaml', '--memory', 'lots']);
    expect(loaded.some((m) => m.includes('child_process')), loaded.filter((m) => /child|process/.test(m)).join(', ')).toBe(false);
    // The probe itself works: Node lists the modules the CLI did load.
    expect(loaded).toContain('NativeModule net');
  });
});

describe('the command tree, built for the command named', () => {
  const build = (only?: string) => buildProgram(() => ({}) as Cli, () => undefined, '1.2.3', only);
  const helps = (c: Command, path: string[] = []): Record<string, string> => ({
    [path.join(' ')]: c.helpInformation(),
    ...Object.assign({}, ...c.commands.map((s) => helps(s, [...path, s.name()]))),
  });

  it('reads the command\'s name past the global options, and none where help comes first', () => {
    expect(commandNamed(['run', 'x.yaml', '--wait'])).toBe('run');
    expect(commandNamed(['--data-dir', 'run', '--json', '-q', 'logs', 'j'])).toBe('logs');
    expect(commandNamed(['--data-dir=d', 'templates', 'ls'])).toBe('templates');
    expect(commandNamed(['--help', 'run'])).toBeUndefined();
    expect(commandNamed(['-h'])).toBeUndefined();
    expect(commandNamed(['--json'])).toBeUndefined();
    expect(commandNamed([])).toBeUndefined();
  });

  it('has each command as the whole tree has it (help, options, subcommands), and only that one', () => {
    const full = build();
    const all = helps(full);
    for (const top of full.commands.filter((c) => c.name() !== 'completion')) {
      const part = build(top.name());
      // cancel, retry and clone are made in one loop, and come together.
      expect(part.commands.length).toBeLessThanOrEqual(3);
      const mine = helps(part.commands.find((c) => c.name() === top.name())!, [top.name()]);
      for (const [path, text] of Object.entries(mine)) expect(text, path).toBe(all[path]);
    }
  });

  it('is whole for a name that is no command (commander suggests one) and for completion (it walks the tree)', () => {
    const count = build().commands.length;
    expect(build('runn').commands).toHaveLength(count);
    expect(build('completion').commands).toHaveLength(count);
  });
});
