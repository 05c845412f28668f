import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirLock } from '../../src/main/core/dataDirLock';
import { startOrExplain } from '../../src/main/desktop/startup';

describe('electron shell: a start that meets a headless host on its data dir', () => {
  it('shows the lock holder in an error dialog and quits with 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jobdeck-electron-lock-'));
    const host = DataDirLock.acquire(dir, { kind: 'headless' });
    host.setUrl('http://127.0.0.1:5173/?token=t0ken-not-shown');
    const shown: [string, string][] = [];
    const exits: number[] = [];
    const started = await startOrExplain(
      async () => {
        DataDirLock.acquire(dir, { kind: 'electron' });
      },
      { showErrorBox: (title, content) => shown.push([title, content]), exit: (code) => exits.push(code) },
    );
    expect(started).toBe(false);
    expect(exits).toEqual([1]);
    expect(shown).toHaveLength(1);
    expect(shown[0]![0]).toBe('Jobdeck is already running on this data');
    expect(shown[0]![1]).toContain(`another Jobdeck (headless host, pid ${process.pid}, http://127.0.0.1:5173/…) is using ${dir}`);
    expect(shown[0]![1]).not.toContain('t0ken');
    host.release();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says any other start failure as it is, and starts normally otherwise', async () => {
    const shown: string[] = [];
    const exits: number[] = [];
    const shell = { showErrorBox: (t: string, c: string) => shown.push(`${t}: ${c}`), exit: (c: number) => exits.push(c) };
    expect(await startOrExplain(async () => Promise.reject(new Error('disk on fire')), shell)).toBe(false);
    expect(shown).toEqual(['Jobdeck could not start: disk on fire']);
    expect(await startOrExplain(async () => undefined, shell)).toBe(true);
    expect(exits).toEqual([1]);
  });
});
