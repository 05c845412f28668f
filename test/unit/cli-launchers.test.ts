// The POSIX launchers (bin/jobdeck in a checkout, the one "Install the jobdeck command" writes)
// run as a shell runs them, with a stand-in for Node that prints what it was given: where
// NODE_EXTRA_CA_CERTS is set it reaches Node as JOBDECK_NODE_EXTRA_CA_CERTS, and nothing else changes.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { certsRestored, movedCerts, MOVED_CERTS } from '../../src/cli/extraCerts';
import { launcherText } from '../../src/main/desktop/cliInstall';

const dir = mkdtempSync(join(tmpdir(), 'jobdeck-launchers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Prints its script argument, the two variables (or "-" when unset) and its other arguments.
const fakeNode = join(dir, 'fake-bin', 'node');
mkdirSync(join(dir, 'fake-bin'));
writeFileSync(fakeNode, '#!/bin/sh\nprintf "%s|%s|%s|%s\\n" "$1" "${NODE_EXTRA_CA_CERTS--}" "${JOBDECK_NODE_EXTRA_CA_CERTS--}" "$2 $3"\n');
chmodSync(fakeNode, 0o755);

function run(file: string, env: Record<string, string>, cwd = dir): string {
  const base: Record<string, string> = { PATH: `${join(dir, 'fake-bin')}:/usr/bin:/bin` };
  const r = spawnSync(file, ['run', 'x y'], { env: { ...base, ...env }, cwd, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim();
}

const checkoutBin = join(process.cwd(), 'bin');

describe('bin/jobdeck', () => {
  it('runs bin/jobdeck.mjs with NODE_EXTRA_CA_CERTS moved aside, and the arguments as given', () => {
    expect(run(join(checkoutBin, 'jobdeck'), { NODE_EXTRA_CA_CERTS: '/etc/my ca.pem' })).toBe(`${checkoutBin}/jobdeck.mjs|-|/etc/my ca.pem|run x y`);
  });

  it('changes nothing where NODE_EXTRA_CA_CERTS is not set, or is empty', () => {
    expect(run(join(checkoutBin, 'jobdeck'), {})).toBe(`${checkoutBin}/jobdeck.mjs|-|-|run x y`);
    expect(run(join(checkoutBin, 'jobdeck'), { NODE_EXTRA_CA_CERTS: '' })).toBe(`${checkoutBin}/jobdeck.mjs||-|run x y`);
  });

  it('finds the checkout through links (a relative one, then an absolute one), wherever it is run from', () => {
    mkdirSync(join(dir, 'home', 'bin'), { recursive: true });
    symlinkSync(join(checkoutBin, 'jobdeck'), join(dir, 'home', 'abs'));
    symlinkSync('abs', join(dir, 'home', 'bin', '..', 'rel'));
    expect(run(join(dir, 'home', 'rel'), { NODE_EXTRA_CA_CERTS: '/c.pem' }, '/')).toBe(`${checkoutBin}/jobdeck.mjs|-|/c.pem|run x y`);
  });
});

describe('the installed launcher', () => {
  it('moves NODE_EXTRA_CA_CERTS aside as bin/jobdeck does', () => {
    const file = join(dir, 'installed');
    writeFileSync(file, launcherText({ platform: 'linux', execPath: fakeNode, cliPath: '/opt/Jobdeck/cli.mjs' }));
    chmodSync(file, 0o755);
    expect(run(file, { NODE_EXTRA_CA_CERTS: '/c.pem' })).toBe('/opt/Jobdeck/cli.mjs|-|/c.pem|run x y');
    expect(run(file, {})).toBe('/opt/Jobdeck/cli.mjs|-|-|run x y');
  });
});

describe('putting the certificates back', () => {
  it('gives NODE_EXTRA_CA_CERTS its value again and drops the launcher\'s name', () => {
    expect(movedCerts({ [MOVED_CERTS]: '/c.pem' })).toBe('/c.pem');
    expect(movedCerts({ [MOVED_CERTS]: '' })).toBeUndefined();
    expect(certsRestored({ PATH: '/bin', [MOVED_CERTS]: '/c.pem' })).toEqual({ PATH: '/bin', NODE_EXTRA_CA_CERTS: '/c.pem' });
    expect(certsRestored({ PATH: '/bin', NODE_EXTRA_CA_CERTS: '/own.pem' })).toEqual({ PATH: '/bin', NODE_EXTRA_CA_CERTS: '/own.pem' });
  });
});
