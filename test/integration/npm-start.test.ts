// `npm start` where the Electron binary cannot be had: one line says so, the browser host starts
// and serves, and no stack trace of the failed download reaches the user.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../support/tmp';

const root = join(__dirname, '../..');
const temp = tempDirs('jobdeck-start-');

/** An electron package without its binary whose download fails as it does offline (with a stack). */
function offlineElectron(dir: string): string {
  const pkg = join(dir, 'electron');
  mkdirSync(pkg);
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'electron', version: '0.0.0-test' }));
  writeFileSync(join(pkg, 'install.js'), "throw new Error('getaddrinfo ENOTFOUND github.com');\n");
  return pkg;
}

describe('npm start without an Electron binary', () => {
  it('says so in one line, starts the browser host and prints its URL, with no stack trace', async () => {
    const dir = temp();
    const child = spawn('npm', ['start', '--silent', '--', '--no-browser'], {
      cwd: root,
      // Its own process group: the test stops npm, the script and the host together, by pid.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, JOBDECK_ELECTRON_DIR: offlineElectron(dir), JOBDECK_DATA_DIR: join(dir, 'data'), JOBDECK_PORT: '0' },
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL within 240 s:\n${output}`)), 240_000);
        child.stdout.on('data', () => {
          const m = /Jobdeck headless: (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(output);
          if (m?.[1]) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
        child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
      expect(output).toMatch(/^Jobdeck: no Electron binary on this machine \(getaddrinfo ENOTFOUND github\.com\); starting Jobdeck in your browser instead\.$/m);
      // No stack frame, no thrown error's dump.
      expect(output).not.toMatch(/^\s+at /m);
      expect(output).not.toMatch(/node:internal|Error \[|throw new/);
    } finally {
      const gone = new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
      process.kill(-child.pid!, 'SIGTERM');
      await gone;
    }
  }, 300_000);
});
