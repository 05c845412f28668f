import { describe, expect, it } from 'vitest';
import { CliInstallError, installCli, installedMessage, LAUNCHER_MARK, launcherPath, launcherText, onPath, type LauncherFs } from '../../src/main/desktop/cliInstall';

function memFs(files: Record<string, string> = {}): LauncherFs & { files: Record<string, string>; modes: Record<string, number>; dirs: string[] } {
  const modes: Record<string, number> = {};
  const dirs: string[] = [];
  return {
    files,
    modes,
    dirs,
    exists: (p) => p in files,
    read: (p) => files[p]!,
    mkdirp: (d) => void dirs.push(d),
    write: (p, t, m) => {
      files[p] = t;
      modes[p] = m;
    },
  };
}

const linux = { platform: 'linux' as const, home: '/home/ann', env: { PATH: '/usr/bin:/home/ann/.local/bin' }, execPath: '/opt/Jobdeck/jobdeck', cliPath: '/opt/Jobdeck/resources/app.asar/out/cli/jobdeck.mjs' };

describe('install the jobdeck command (the packaged app)', () => {
  it('writes an executable launcher to ~/.local/bin that runs the bundled CLI with the app as Node', () => {
    const fs = memFs({ [linux.cliPath]: '' });
    const r = installCli(fs, linux);
    expect(r).toEqual({ path: '/home/ann/.local/bin/jobdeck', onPath: true, replaced: false });
    expect(fs.dirs).toEqual(['/home/ann/.local/bin']);
    expect(fs.modes[r.path]).toBe(0o755);
    // The lines between move NODE_EXTRA_CA_CERTS aside (cli-launchers.test.ts runs them).
    expect(fs.files[r.path]).toMatch(/^#!\/bin\/sh\n# Installed by Jobdeck \("Install the jobdeck command"\)\nif \[ -n "\$\{NODE_EXTRA_CA_CERTS:-\}" \]; then\n[^]*\nfi\n/);
    expect(fs.files[r.path]).toMatch(/\nELECTRON_RUN_AS_NODE=1 exec '\/opt\/Jobdeck\/jobdeck' '\/opt\/Jobdeck\/resources\/app\.asar\/out\/cli\/jobdeck\.mjs' "\$@"\n$/);
    expect(installedMessage(r, 'linux')).toBe('Installed the jobdeck command at /home/ann/.local/bin/jobdeck. Open a new terminal and run: jobdeck --help');
  });

  it('quotes paths with spaces and quotes for the shell', () => {
    expect(launcherText({ platform: 'darwin', execPath: "/Applications/Job deck's.app/x", cliPath: '/c' })).toContain(`exec '/Applications/Job deck'\\''s.app/x' '/c'`);
  });

  it('replaces its own launcher, but never a jobdeck another program put there', () => {
    const path = '/home/ann/.local/bin/jobdeck';
    const ours = memFs({ [linux.cliPath]: '', [path]: launcherText({ ...linux, execPath: '/old/jobdeck' }) });
    expect(installCli(ours, linux).replaced).toBe(true);
    expect(ours.files[path]).toContain("'/opt/Jobdeck/jobdeck'");
    const theirs = memFs({ [linux.cliPath]: '', [path]: '#!/bin/sh\necho something else\n' });
    expect(() => installCli(theirs, linux)).toThrow(new CliInstallError(`${path} already exists and was not installed by Jobdeck; remove or rename it, then try again`));
    expect(theirs.files[path]).toBe('#!/bin/sh\necho something else\n');
  });

  it('says how to put the folder on PATH when it is not there', () => {
    const fs = memFs({ [linux.cliPath]: '' });
    const r = installCli(fs, { ...linux, env: { PATH: '/usr/bin' } });
    expect(r.onPath).toBe(false);
    expect(installedMessage(r, 'linux')).toContain('export PATH="/home/ann/.local/bin:$PATH"');
  });

  it('refuses when the build has no CLI bundle', () => {
    expect(() => installCli(memFs(), linux)).toThrow(/no command line bundle/);
  });

  it('on Windows: a jobdeck.cmd under LocalAppData, PATH compared without case', () => {
    const win = { platform: 'win32' as const, home: 'C:\\Users\\ann', env: { LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local', Path: 'C:\\Windows;c:\\users\\ann\\appdata\\local\\programs\\jobdeck\\bin\\' }, execPath: 'C:\\Jobdeck\\Jobdeck.exe', cliPath: 'C:\\Jobdeck\\cli.mjs' };
    expect(launcherPath(win)).toBe('C:\\Users\\ann\\AppData\\Local\\Programs\\Jobdeck\\bin\\jobdeck.cmd');
    expect(launcherText(win)).toBe(`@echo off\r\nrem ${LAUNCHER_MARK}\r\nset ELECTRON_RUN_AS_NODE=1\r\n"C:\\Jobdeck\\Jobdeck.exe" "C:\\Jobdeck\\cli.mjs" %*\r\n`);
    expect(onPath('C:\\Users\\ann\\AppData\\Local\\Programs\\Jobdeck\\bin', win)).toBe(true);
  });
});
