import { describe, expect, it } from 'vitest';
import { onStopSignal } from '../../src/main/headless/shutdown';

/** A host whose close ends when the test says (or never); what it logged, and its exit code once it exits. */
function host(closeMs = 50) {
  let endClose!: () => void;
  let failClose!: (e: Error) => void;
  const lines: string[] = [];
  let exited!: (code: number) => void;
  const exit = new Promise<number>((r) => (exited = r));
  let closes = 0;
  const stop = onStopSignal({
    close: () => {
      closes++;
      return new Promise<void>((resolve, reject) => {
        endClose = resolve;
        failClose = reject;
      });
    },
    exit: (code) => exited(code),
    log: (line) => lines.push(line),
    closeMs,
  });
  return { stop, lines, exit, closes: () => closes, endClose: () => endClose(), failClose: (e: Error) => failClose(e) };
}

describe('the headless host on SIGINT / SIGTERM', () => {
  it('closes once and exits 0', async () => {
    const h = host();
    h.stop();
    h.endClose();
    expect(await h.exit).toBe(0);
    expect(h.lines).toEqual([]);
    expect(h.closes()).toBe(1);
  });

  it('a close that does not end in time (an engine that stopped answering): says so and exits 1', async () => {
    const h = host(30);
    h.stop();
    expect(await h.exit).toBe(1);
    expect(h.lines).toEqual(['jobdeck: closing took longer than 30 ms; quitting anyway (the next start follows the running jobs again)']);
  });

  it('a second signal while closing exits at once, without a second close', async () => {
    const h = host(60_000);
    h.stop();
    h.stop();
    expect(await h.exit).toBe(1);
    expect(h.closes()).toBe(1);
    expect(h.lines).toEqual(['jobdeck: asked again to stop: quitting anyway (the next start follows the running jobs again)']);
  });

  it('a close that fails: says why and exits 1', async () => {
    const h = host(60_000);
    h.stop();
    h.failClose(new Error('the store could not be written (ENOSPC)'));
    expect(await h.exit).toBe(1);
    expect(h.lines[0]).toBe('jobdeck: closing failed (the store could not be written (ENOSPC)); quitting anyway (the next start follows the running jobs again)');
  });
});
