// The job page's spec as text (issue 11, item 9): container names that say which job they are,
// and the argv quoted as a shell needs it.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { containerName, shortId, slug } from '../../src/shared/containerName';
import { TemplateSpec } from '../../src/shared/template';
import { createOptions, toCmd } from '../../src/main/core/engines/createOptions';
import { argvOf, quotedArgv, retryText } from '../../src/renderer/src/components/specText';

const JOB = '3f2a9c1e-77b0-4d1e-9a55-0123456789ab';

describe('container names', () => {
  it('jobdeck-<template slug>-<short id>-<attempt>, valid for Docker and Podman', () => {
    expect(containerName('Nightly Report', JOB, 2)).toBe('jobdeck-nightly-report-3f2a9c1e-2');
    for (const name of ['Nightly Report', 'Ünïcödé — backup!', '日本語', '  --x--  ', 'a'.repeat(200), '../etc']) {
      expect(containerName(name, JOB, 1)).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/);
    }
  });

  it('slugs fold accents, join the rest with one dash, cap the length, and never come out empty', () => {
    expect(slug('Ünïcödé — backup!')).toBe('unicode-backup');
    expect(slug('日本語')).toBe('job');
    expect(slug('  --x--  ')).toBe('x');
    expect(slug('ab '.repeat(30)).length).toBeLessThanOrEqual(40);
    expect(slug(`${'a'.repeat(39)} b`)).toBe('a'.repeat(39)); // cut at 40, the dash left at the cut dropped
    expect(shortId(JOB)).toBe('3f2a9c1e');
  });

  it('the executor names the container so (reconcile still goes by labels)', () => {
    const spec = TemplateSpec.parse({ name: 'Nightly Report', image: 'busybox', command: 'true' });
    const o = createOptions({ jobId: JOB, attempt: 3, index: 0, env: [], labels: { 'dev.jobdeck.job': JOB }, graceSeconds: 5, spec });
    expect(o.name).toBe('jobdeck-nightly-report-3f2a9c1e-3');
    expect(o.Labels).toMatchObject({ 'dev.jobdeck.job': JOB });
  });
});

describe('argv quoted as a shell needs it', () => {
  it('a string command runs as sh -c, as the executor runs it', () => {
    const spec = { command: 'for i in 1 2; do echo "$i"; done' };
    expect(argvOf(spec)).toEqual(toCmd(spec.command));
    expect(quotedArgv(spec)).toBe(`sh -c 'for i in 1 2; do echo "$i"; done'`);
  });

  it('quotes each word so that a shell reads back the same argv', () => {
    const argv = ['printf', '%s\\n', "it's", 'a b', '$HOME', '*', ''];
    const spec = { entrypoint: ['/bin/env'], command: argv };
    const quoted = quotedArgv(spec);
    // A real shell reads it back word for word (printf prints each argument NUL-terminated).
    const words = execFileSync('sh', ['-c', `printf '%s\\0' ${quoted}`], { encoding: 'utf8' }).split('\0').slice(0, -1);
    expect(words).toEqual(['/bin/env', ...argv]);
    expect(quoted).toContain(`'a b'`);
    expect(quotedArgv({})).toBe("(the image's default command)");
  });

  it('says the retry policy in words', () => {
    expect(retryText({ limit: 0, backoffInitialSeconds: 10, backoffFactor: 2, backoffMaxSeconds: 360, neverRetryExitCodes: [] })).toBe('no retries');
    expect(retryText({ limit: 3, backoffInitialSeconds: 10, backoffFactor: 2, backoffMaxSeconds: 3600, neverRetryExitCodes: [125, 126, 127] })).toBe(
      'up to 3 retries, after 10 s ×2 up to 1 h; never on exit 125, 126, 127',
    );
  });
});
