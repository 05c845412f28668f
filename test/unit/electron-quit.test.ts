// Quitting with jobs running: an asynchronous question, and a hard limit on stopping them.
import { describe, expect, it } from 'vitest';
import { QUIT_TIMEOUT_MS, QuitFlow, quitChoice, quitQuestion, type QuitDeps } from '../../src/main/desktop/quit';

function harness(over: Partial<QuitDeps> & { answer?: number } = {}) {
  const log: string[] = [];
  const calls: string[] = [];
  const timers: { fn: () => void; ms: number; cancelled: boolean }[] = [];
  let release: (() => void) | undefined;
  let closing!: () => void;
  /** Resolves when the flow asks the core to close: the moment the tests look at what it did. */
  const closed = new Promise<void>((r) => (closing = r));
  const deps: QuitDeps = {
    running: () => 2,
    ask: async (q) => {
      calls.push(`ask:${q.message}`);
      return over.answer ?? 0;
    },
    close: ({ stopRunning }) => {
      calls.push(`close:${stopRunning}`);
      closing();
      return new Promise<void>((resolve) => (release = resolve));
    },
    quit: () => void calls.push('quit'),
    log: (m) => void log.push(m),
    setTimer: (fn, ms) => {
      const t = { fn, ms, cancelled: false };
      timers.push(t);
      return () => void (t.cancelled = true);
    },
    ...over,
  };
  const flow = new QuitFlow(deps);
  return { flow, log, calls, timers, closed, release: () => release?.() };
}

describe('electron shell: quitting while jobs run', () => {
  it('asks with three answers; anything unknown is a cancel', () => {
    expect(quitQuestion(1)).toMatchObject({ buttons: ['Leave them running', 'Stop them', 'Cancel'], cancelId: 2, message: '1 job is still running' });
    expect(quitQuestion(3).message).toBe('3 jobs are still running');
    expect([0, 1, 2, 7, -1].map(quitChoice)).toEqual(['leave', 'stop', 'cancel', 'cancel', 'cancel']);
  });

  it('holds the quit while the question is open, and swallows a second quit meanwhile', async () => {
    let answer: ((n: number) => void) | undefined;
    let asked!: () => void;
    const questionOpen = new Promise<void>((r) => (asked = r));
    const h = harness({
      ask: () => {
        asked();
        return new Promise<number>((r) => (answer = r));
      },
    });
    expect(h.flow.beforeQuit()).toBe(false);
    expect(h.flow.beforeQuit()).toBe(false);
    await questionOpen;
    expect(h.calls).toEqual([]);
    answer!(2);
    await h.flow.settled();
    expect(h.calls).toEqual([]);
    expect(h.flow.quitting).toBe(false);
  });

  it('leaves jobs running: closes without stopping, then quits, and lets the real quit through', async () => {
    const h = harness({ answer: 0 });
    expect(h.flow.beforeQuit()).toBe(false);
    await h.closed;
    h.release();
    await h.flow.settled();
    expect(h.calls).toEqual(['ask:2 jobs are still running', 'close:false', 'quit']);
    expect(h.flow.quitting).toBe(true);
    expect(h.flow.beforeQuit()).toBe(true);
    expect(h.timers[0]!.cancelled).toBe(true);
    expect(h.log).toEqual([]);
  });

  it('stops them, and quits anyway after the hard limit, saying so in the log', async () => {
    const h = harness({ answer: 1 });
    h.flow.beforeQuit();
    await h.closed;
    expect(h.calls).toEqual(['ask:2 jobs are still running', 'close:true']);
    expect(h.timers[0]!.ms).toBe(QUIT_TIMEOUT_MS);
    expect(QUIT_TIMEOUT_MS).toBe(10_000);
    h.timers[0]!.fn(); // 10 s pass; the engine never answered the stop
    await h.flow.settled();
    expect(h.calls.at(-1)).toBe('quit');
    expect(h.log.join('\n')).toMatch(/longer than 10 s; quitting anyway/);
  });

  it('asks nothing when no job runs, and quits when closing fails', async () => {
    const h = harness({ running: () => 0, close: () => Promise.reject(new Error('disk full')) });
    h.flow.beforeQuit();
    await h.flow.settled();
    expect(h.calls).toEqual(['quit']);
    expect(h.log.join('\n')).toMatch(/disk full/);
  });

  it('does not quit when the question itself fails', async () => {
    const h = harness({ ask: () => Promise.reject(new Error('no display')) });
    h.flow.beforeQuit();
    await h.flow.settled();
    expect(h.calls).toEqual([]);
    expect(h.flow.beforeQuit()).toBe(false); // and may be asked again
  });
});
