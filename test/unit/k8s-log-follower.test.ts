// The Kubernetes log follower against a pod log served as a kubelet serves it: one file in the
// order the runtime wrote it (stdout and stderr together, each line stamped by its own stream's
// reader, so not always in stamp order), each line filtered by sinceTime (inclusive) after the API
// server has cut sinceTime to whole seconds (it passes it on as RFC3339), follows that end early.
import { PassThrough, type Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { LogOptions } from '@kubernetes/client-node';
import { LogFollower, type LogSource } from '../../src/main/core/kubernetes/logFollower';
import { stampToNanos } from '../../src/main/core/engines/timestamps';

const BASE = '2026-12-02T07:00:';
/** An RFC3339Nano stamp at second `s` (of BASE's minute) and `ns` nanoseconds, trailing zeros trimmed as Go does. */
const stamp = (s: number, ns: number) => {
  const frac = String(ns).padStart(9, '0').replace(/0+$/, '');
  return `${BASE}${String(s).padStart(2, '0')}${frac ? `.${frac}` : ''}Z`;
};

interface Line {
  t: string;
  text: string;
}

/** A pod log as a kubelet behind an API server serves it. */
class FakeKubelet implements LogSource {
  readonly file: Line[] = [];
  readonly asked: LogOptions[] = [];
  running = true;
  /** A server that does not filter by sinceTime at all (the follower must not rely on it). */
  ignoresSince = false;
  private follows = new Set<PassThrough>();
  private waiters: { n: number; resolve: () => void }[] = [];

  log(_ns: string, _pod: string, _container: string, stream: Writable, options?: LogOptions): Promise<AbortController> {
    this.asked.push(options ?? {});
    const body = new PassThrough();
    body.pipe(stream);
    // The API server passes sinceTime on at whole seconds; the kubelet skips lines stamped before it.
    const since = options?.sinceTime && !this.ignoresSince ? BigInt(Math.floor(Date.parse(options.sinceTime) / 1000)) * 1_000_000_000n : undefined;
    for (const l of this.file) if (since === undefined || stampToNanos(l.t)! >= since) body.write(`${l.t} ${l.text}\n`);
    if (options?.follow && this.running) this.follows.add(body);
    else body.end();
    const controller = new AbortController();
    controller.signal.addEventListener('abort', () => body.destroy());
    for (const w of this.waiters.filter((w) => this.asked.length >= w.n)) w.resolve();
    return Promise.resolve(controller);
  }

  /** Resolves once the follower has asked for the log `n` times. */
  asks(n: number): Promise<void> {
    if (this.asked.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  /** The container writes a line (the open follows get it). */
  write(t: string, text: string): void {
    this.file.push({ t, text });
    for (const f of this.follows) f.write(`${t} ${text}\n`);
  }

  /** The open follows end early (an idle timeout, a proxy); `half`: in the middle of this next line. */
  cut(half?: Line): void {
    if (half) this.file.push(half);
    for (const f of this.follows) {
      if (half) f.write(`${half.t} ${half.text}`.slice(0, 30));
      f.end();
    }
    this.follows.clear();
  }

  /** The container ends: its follows end after its last line. */
  exit(): void {
    this.running = false;
    this.cut();
  }
}

function follower(kubelet: FakeKubelet) {
  const got: string[] = [];
  const f = new LogFollower(kubelet, 'ns', 'pod-1', 'main', { line: (text) => got.push(text) });
  return { f, got, texts: () => kubelet.file.map((l) => `${l.text}\n`) };
}

describe('LogFollower: the pod log as a kubelet serves it', () => {
  it('keeps a line stamped before the line written ahead of it (stderr stamped, then a later stdout line written first)', async () => {
    const kubelet = new FakeKubelet();
    const { f, got, texts } = follower(kubelet);
    // As Docker wrote attempt 2 of the same-outcome test: "err" stamped 16 µs before "tok", written after it.
    kubelet.write(stamp(20, 472_100_000), 'out attempt=2');
    kubelet.write(stamp(20, 472_303_830), 'tok 4');
    kubelet.write(stamp(20, 472_287_426), 'err attempt=2');
    kubelet.write(stamp(20, 472_400_000), 'TOKEN');
    f.start();
    await kubelet.asks(1);
    kubelet.exit();
    await f.finish();
    expect(got).toEqual(texts());
  });

  it('follows again from a whole second after an early end: every line once, those in the replayed second too', async () => {
    const kubelet = new FakeKubelet();
    const { f, got, texts } = follower(kubelet);
    kubelet.write(stamp(1, 900_000_000), 'a');
    f.start();
    await kubelet.asks(1);
    kubelet.write(stamp(2, 100_000_000), 'b');
    kubelet.write(stamp(2, 100_000_000), 'b again, same stamp');
    kubelet.write(stamp(2, 500_000_000), 'c');
    kubelet.cut();
    // Written while no follow is open; one stamped before the last line kept (its reader was late).
    kubelet.write(stamp(2, 400_000_000), 'd, stamped before c');
    kubelet.write(stamp(2, 600_000_000), 'e');
    await kubelet.asks(2);
    kubelet.write(stamp(3, 0), 'f');
    kubelet.exit();
    await f.finish();
    expect(got).toEqual(texts());
    // The follow again named a whole second (what the API server would pass on anyway).
    expect(kubelet.asked[1]?.sinceTime).toMatch(/^2026-12-02T07:00:\d\dZ$/);
  });

  it('a line cut in the middle by an early end comes whole, once', async () => {
    const kubelet = new FakeKubelet();
    const { f, got, texts } = follower(kubelet);
    kubelet.write(stamp(5, 1), 'first');
    f.start();
    await kubelet.asks(1);
    kubelet.cut({ t: stamp(5, 2), text: 'a longer line that the cut splits in two' });
    await kubelet.asks(2);
    kubelet.exit();
    await f.finish();
    expect(got).toEqual(texts());
  });

  it('a server that ignores sinceTime replays the whole log: nothing twice', async () => {
    const kubelet = new FakeKubelet();
    kubelet.ignoresSince = true;
    const { f, got, texts } = follower(kubelet);
    for (let i = 0; i < 5; i++) kubelet.write(stamp(i, 7), `line ${i}`);
    f.start();
    await kubelet.asks(1);
    kubelet.cut();
    kubelet.write(stamp(9, 0), 'after the cut');
    await kubelet.asks(2);
    kubelet.exit();
    await f.finish();
    expect(got).toEqual(texts());
  });

  it('the container ends while a follow is open: what it wrote last is read at once, not after a retry pause', async () => {
    const kubelet = new FakeKubelet();
    const { f, got, texts } = follower(kubelet);
    kubelet.write(stamp(7, 1), 'working');
    f.start();
    await kubelet.asks(1);
    kubelet.write(stamp(7, 2), 'done');
    const t0 = Date.now();
    const finished = f.finish();
    kubelet.exit();
    await finished;
    expect(got).toEqual(texts());
    expect(Date.now() - t0).toBeLessThan(250);
  });
});
