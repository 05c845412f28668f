import { describe, expect, it } from 'vitest';
import { parseDuration, parseEnv, parseIntArg, parseSince, parseStatuses, parseTimeout, UsageError } from '../../src/cli/args';
import { exitCodeOf, overridesOf } from '../../src/cli/commands/run';
import { LOCK_FILE_NAME, defaultDataDirs } from '../../src/cli/connect';
import { JOBDECK_FILE_VERSION } from '../../src/cli/commands/templates';
import { LOCK_FILE } from '../../src/main/core/dataDirLock';
import { JOBDECK_API_VERSION } from '../../src/main/core/templates/jobdeckFormat';

describe('durations', () => {
  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['12h', 43_200_000],
    ['7d', 604_800_000],
    ['2w', 1_209_600_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
  ])('%s is %i ms', (text, ms) => expect(parseDuration(text, '--since')).toBe(ms));

  it.each(['12', '7 days', 'h', '', '-1d', '3y'])('refuses %j naming the option', (text) => {
    expect(() => parseDuration(text, '--older-than')).toThrow(UsageError);
    expect(() => parseDuration(text, '--older-than')).toThrow(/^--older-than: /);
  });

  it('--since takes a duration back from now or an ISO time', () => {
    const now = Date.parse('2026-03-02T12:00:00Z');
    expect(parseSince('12h', '--since', now)).toBe('2026-03-02T00:00:00.000Z');
    expect(parseSince('2026-03-01T09:00:00Z', '--since', now)).toBe('2026-03-01T09:00:00.000Z');
    expect(() => parseSince('2026-13-45', '--since', now)).toThrow(/--since: "2026-13-45" is not a date/);
  });

  it('--timeout takes seconds or a duration, at least a second', () => {
    expect(parseTimeout('300')).toBe(300);
    expect(parseTimeout('2m')).toBe(120);
    expect(() => parseTimeout('0')).toThrow(/--timeout/);
    expect(() => parseTimeout('500ms')).toThrow(/--timeout/);
  });
});

describe('K=V and other values', () => {
  it('reads NAME=VALUE (the value may hold =), and a bare NAME from this shell as docker run -e does', () => {
    expect(parseEnv('A=1')).toEqual({ name: 'A', value: '1', secret: false });
    expect(parseEnv('URL=a=b&c=d')).toEqual({ name: 'URL', value: 'a=b&c=d', secret: false });
    expect(parseEnv('EMPTY=')).toEqual({ name: 'EMPTY', value: '', secret: false });
    expect(parseEnv('HOME_X', { HOME_X: '/h' })).toEqual({ name: 'HOME_X', value: '/h', secret: false });
    expect(() => parseEnv('NOPE', {})).toThrow(/--env: NOPE has no value here/);
    expect(() => parseEnv('1A=x')).toThrow(/--env: "1A=x" must be NAME=VALUE/);
  });

  it('numbers and states in range, or the option named', () => {
    expect(parseIntArg('3', '--priority', 1, 5)).toBe(3);
    expect(() => parseIntArg('9', '--priority', 1, 5)).toThrow('--priority: "9" must be a whole number from 1 to 5');
    expect(() => parseIntArg('2.5', '--limit', 1, 1000)).toThrow(/--limit/);
    expect(parseStatuses(['failed,cancelled', 'pending'])).toEqual(['failed', 'cancelled', 'pending']);
    expect(() => parseStatuses(['done'])).toThrow('--status: "done" is not a job state; use pending, running, completed, failed, cancelled');
  });

  it('run options become the contract\'s overrides; --engine is a kind or an engine id', () => {
    expect(overridesOf({ env: ['A=1'], memory: '256Mi', cpus: '0.5', timeout: '90s', priority: '1', engine: 'podman' }, ['sh', '-c', 'x'])).toEqual({
      env: [{ name: 'A', value: '1', secret: false }],
      limits: { memory: '256Mi', cpus: '0.5' },
      timeoutSeconds: 90,
      priority: 1,
      engine: 'podman',
      command: ['sh', '-c', 'x'],
    });
    expect(overridesOf({ engine: 'remote-1' }, [])).toEqual({ engineId: 'remote-1' });
    expect(() => overridesOf({ memory: 'lots' }, [])).toThrow(/^--memory: /);
    expect(() => overridesOf({ cpus: 'two' }, [])).toThrow(/^--cpus: /);
  });
});

describe('exit codes of run --wait', () => {
  it.each([
    [{ status: 'completed', exitCode: 0, reason: 'Completed' }, 0],
    [{ status: 'failed', exitCode: 3, reason: 'Error' }, 3],
    [{ status: 'failed', exitCode: 137, reason: 'OOMKilled' }, 137],
    [{ status: 'failed', exitCode: null, reason: 'ImagePullFailed' }, 125],
    [{ status: 'failed', reason: 'EngineUnavailable' }, 125],
    [{ status: 'failed', reason: 'EngineLost' }, 125],
    [{ status: 'cancelled', reason: 'Cancelled' }, 1],
    [{ status: 'failed', reason: 'UpstreamFailed' }, 1],
    [{ status: 'failed', exitCode: null, reason: 'DeadlineExceeded' }, 1],
  ] as const)('%j exits %i', (job, code) => expect(exitCodeOf(job)).toBe(code));
});

describe('what the CLI knows of the app without importing it', () => {
  it('the lock file name and the file format version are the core\'s', () => {
    expect(LOCK_FILE_NAME).toBe(LOCK_FILE);
    expect(JOBDECK_FILE_VERSION).toBe(JOBDECK_API_VERSION);
  });

  it('looks in the headless host\'s default data dir first, then the desktop app\'s', () => {
    expect(defaultDataDirs({ platform: 'linux', env: {}, home: '/home/ann' })).toEqual([
      '/home/ann/.local/share/jobdeck',
      '/home/ann/.config/Jobdeck',
      '/home/ann/.config/jobdeck',
    ]);
    expect(defaultDataDirs({ platform: 'linux', env: { XDG_DATA_HOME: '/d', XDG_CONFIG_HOME: '/c' }, home: '/h' })[0]).toBe('/d/jobdeck');
    expect(defaultDataDirs({ platform: 'darwin', env: {}, home: '/Users/ann' })[1]).toBe('/Users/ann/Library/Application Support/Jobdeck');
  });
});
