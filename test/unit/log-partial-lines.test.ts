import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { FrameDemuxer, PARTIAL_LINE_HOLD_MS, RawText, type StampedText } from '../../src/main/core/engines/logFrames';
import { LineSplitter, type LogLine } from '../../src/shared/logLines';
import { engineFrame } from '../support/engineFrames';

// A program's buffered stdout reaches the attach in 4 KiB blocks cut mid-line; a stderr line read
// between two blocks must stay a stderr line of its own (as `docker logs` keeps them), or a
// stderr filter loses it (the log-reach journey's err-alpha, CI of stop 21).
const frame = engineFrame;

function demux(hold: number) {
  const got: StampedText[] = [];
  const d = new FrameDemuxer(new RawText('stdout', (t) => got.push(t), hold), new RawText('stderr', (t) => got.push(t), hold));
  const lines = () => {
    const s = new LineSplitter();
    const out: Omit<LogLine, 't'>[] = [];
    for (const c of got) s.push(c.stream, c.stamp, c.data, (l) => out.push({ n: l.n, stream: l.stream, text: l.text }));
    s.end((l) => out.push({ n: l.n, stream: l.stream, text: l.text }));
    return out;
  };
  return { d, got, lines, end: () => new Promise<void>((r) => d.end(() => r())) };
}

describe('attach output keeps each stream\'s lines whole', () => {
  it('a stderr line read between two halves of a stdout line is a stderr line of its own', async () => {
    const run = demux(PARTIAL_LINE_HOLD_MS);
    run.d.write(frame(1, 'row-1\nrow-'));
    run.d.write(frame(2, 'err-alpha\n'));
    run.d.write(frame(1, '2\nrow-3\n'));
    await run.end();
    expect(run.lines()).toEqual([
      { n: 1, stream: 'stdout', text: 'row-1' },
      { n: 2, stream: 'stderr', text: 'err-alpha' },
      { n: 3, stream: 'stdout', text: 'row-2' },
      { n: 4, stream: 'stdout', text: 'row-3' },
    ]);
    expect(run.got.map((c) => c.data).join('')).toHaveLength('row-1\nrow-err-alpha\n2\nrow-3\n'.length);
  });

  it('without the hold (a tty, one stream) the text goes out as it came', async () => {
    const run = demux(0);
    run.d.write(frame(1, 'row-1\nrow-'));
    run.d.write(frame(2, 'err-alpha\n'));
    await run.end();
    expect(run.got.map((c) => c.data)).toEqual(['row-1\nrow-', 'err-alpha\n']);
  });

  it('a prompt without a newline goes out once its wait is over, with the time it was read', () => {
    vi.useFakeTimers({ now: Date.parse('2026-12-02T08:00:00Z') });
    onTestFinished(() => void vi.useRealTimers());
    const got: StampedText[] = [];
    const r = new RawText('stdout', (t) => got.push(t), PARTIAL_LINE_HOLD_MS);
    r.push(Buffer.from('Continue? '));
    r.flush();
    expect(got).toEqual([]);
    vi.advanceTimersByTime(PARTIAL_LINE_HOLD_MS - 1);
    expect(got).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(got).toEqual([{ stream: 'stdout', stamp: '2026-12-02T08:00:00.000Z', data: 'Continue? ' }]);
    r.end();
    expect(got).toHaveLength(1);
  });

  it('an unfinished last line goes out at the end, and one past 16 KiB without waiting', async () => {
    const run = demux(PARTIAL_LINE_HOLD_MS);
    run.d.write(frame(1, 'x'.repeat(17 * 1024)));
    expect(run.got).toHaveLength(1);
    run.d.write(frame(2, 'tail without newline'));
    expect(run.got).toHaveLength(1);
    await run.end();
    expect(run.got.map((c) => c.data.length)).toEqual([17 * 1024, 'tail without newline'.length]);
  });
});
