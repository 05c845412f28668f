import { describe, expect, it } from 'vitest';
import { LogStore } from '../../src/main/core/logs/logStore';
import { LogFollower, type FollowLimits } from '../../src/renderer/src/components/logFollow';
import type { LiveLogChunk, LogPage } from '../../src/shared/ipc';
import { tempDirs } from '../support/tmp';

const tmp = tempDirs('jobdeck-follow-');

/** An attempt's log file as main has it: records by byte range, and what each logs.read fetched. */
class FakeFile {
  records: LiveLogChunk[] = [];
  reads: { offset: number; bytes: number }[] = [];
  get size(): number {
    return this.records.at(-1)?.to ?? 0;
  }
  /** Appends a record and returns it as the live chunk main would send. */
  append(data: string, stream: LiveLogChunk['stream'] = 'stdout'): LiveLogChunk {
    const from = this.size;
    const c: LiveLogChunk = { attempt: 1, stream, t: '', data, from, to: from + data.length + 20 };
    this.records.push(c);
    return c;
  }
  async read(offset: number, maxBytes = 1 << 20): Promise<LogPage> {
    const got = this.records.filter((r) => r.from >= offset).filter((r, i, all) => i === 0 || r.to - all[0]!.from <= maxBytes);
    const nextOffset = got.at(-1)?.to ?? offset;
    this.reads.push({ offset, bytes: nextOffset - offset });
    return { chunks: got.map(({ attempt, stream, t, data }) => ({ attempt, stream, t, data })), nextOffset, size: this.size, eof: nextOffset >= this.size, truncated: false };
  }
}

/** A terminal that parses at once, or, with `hold`, only when the test says so. */
class FakeTerm {
  text = '';
  held: (() => void)[] = [];
  constructor(private hold = false) {}
  write(s: string, parsed: () => void): void {
    this.text += s;
    if (this.hold) this.held.push(parsed);
    else parsed();
  }
  parseAll(): void {
    this.hold = false;
    for (const p of this.held.splice(0)) p();
  }
}

const limits: FollowLimits = { high: 1000, low: 100, slice: 64 };
const settle = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

function pane(file: FakeFile, term = new FakeTerm(), l = limits) {
  const errors: unknown[] = [];
  const f = new LogFollower(1, { read: (o) => file.read(o), write: (s, p) => term.write(s, p), onError: (e) => errors.push(e) }, l);
  return { f, term, errors };
}

describe('log pane: following a live log', () => {
  it('writes live chunks as they come and reads nothing when nothing was missed', async () => {
    const file = new FakeFile();
    const { f, term } = pane(file);
    f.catchUp(); // opened before any output: the read finds an empty file
    await settle();
    for (const line of ['one\n', 'two\n', 'three\n']) f.onChunks([file.append(line)]);
    await settle();
    f.catchUp(); // the job ended: one last look, which finds nothing new
    await settle();
    expect(term.text).toBe('one\ntwo\nthree\n');
    expect(file.reads.map((r) => r.bytes)).toEqual([0, 0]);
    expect(f.position).toBe(file.size);
  });

  it('fills a gap with one read from where the pane is, and takes live chunks again after it', async () => {
    const file = new FakeFile();
    const { f, term } = pane(file);
    f.catchUp();
    await settle();
    f.onChunks([file.append('a\n')]);
    const at = f.position;
    file.append('missed-1\n'); // sent while the pane was away (a reconnect)
    file.append('missed-2\n');
    f.onChunks([file.append('c\n')]);
    await settle();
    expect(file.reads.slice(1)).toEqual([{ offset: at, bytes: file.size - at }]);
    f.onChunks([file.append('d\n')]);
    await settle();
    expect(term.text).toBe('a\nmissed-1\nmissed-2\nc\nd\n');
    expect(file.reads).toHaveLength(2);
  });

  it('opened late: reads what the file holds once, drops the chunks that read covered, writes the rest', async () => {
    const file = new FakeFile();
    file.append('old-1\n');
    const covered = file.append('old-2\n');
    const { f, term } = pane(file);
    f.catchUp(); // the read is on its way…
    f.onChunks([covered]); // …while chunks arrive: one the read brings, one after it
    const after = file.append('new\n');
    f.onChunks([after]);
    await settle();
    expect(term.text).toBe('old-1\nold-2\nnew\n');
    expect(file.reads).toEqual([{ offset: 0, bytes: covered.to }]);
  });

  it('a chunk that straddles where a read ended is not written twice', async () => {
    const file = new FakeFile();
    file.append('x\n');
    const { f, term } = pane(file);
    f.catchUp();
    await settle();
    // The batcher merged two records; the pane already has the first of them.
    const second = file.append('y\n');
    f.onChunks([{ ...second, data: 'x\ny\n', from: 0 }]);
    await settle();
    expect(term.text).toBe('x\ny\n');
  });

  it('behind the terminal: takes no chunk past HIGH, reads the gap once under LOW, keeps the order', async () => {
    const file = new FakeFile();
    const term = new FakeTerm(true);
    const { f } = pane(file, term);
    f.catchUp();
    await settle();
    const line = (i: number) => `${String(i).padStart(4, '0')}${'.'.repeat(95)}\n`; // 100 characters
    for (let i = 0; i < 30; i++) f.onChunks([file.append(line(i))]);
    await settle();
    // Eleven chunks took it past HIGH (1000 characters pending); the rest were left to the file.
    expect(term.text.length).toBe(1100);
    expect(file.reads).toHaveLength(1);
    term.parseAll();
    await settle();
    expect(file.reads).toHaveLength(2);
    expect(file.reads[1]!.offset).toBe(file.records[11]!.from);
    expect(term.text).toBe(Array.from({ length: 30 }, (_, i) => line(i)).join(''));
  });

  it('opens on the tail: the text before it is never read, and what the file holds past it is', async () => {
    const file = new FakeFile();
    for (let i = 0; i < 100; i++) file.append(`early-${i}\n`);
    const tailEnd = file.size;
    const after = file.append('written after the tail was read\n');
    const errors: unknown[] = [];
    const term = new FakeTerm();
    let release: () => void = () => undefined;
    const f = new LogFollower(
      1,
      {
        read: (o) => file.read(o),
        write: (s, p) => term.write(s, p),
        onError: (e) => errors.push(e),
        start: () => new Promise((r) => (release = () => r({ offset: tailEnd, text: 'early-99\n' }))),
      },
      limits,
    );
    f.catchUp();
    // A live chunk while the tail is on its way: taken after it, once.
    const live = file.append('live\n');
    f.onChunks([live]);
    release();
    await settle();
    expect(term.text).toBe('early-99\nwritten after the tail was read\nlive\n');
    expect(file.reads[0]).toEqual({ offset: tailEnd, bytes: live.to - after.from });
    expect(f.position).toBe(file.size);
    // A reconnect reads on from where the pane is, not the tail again.
    f.catchUp();
    await settle();
    expect(term.text).toBe('early-99\nwritten after the tail was read\nlive\n');
    expect(errors).toEqual([]);
  });

  it('stderr in red and notes dimmed, as the pane shows them', async () => {
    const file = new FakeFile();
    const { f, term } = pane(file);
    f.catchUp();
    await settle();
    f.onChunks([file.append('bad\n', 'stderr'), file.append('note\n', 'system'), { ...file.append('other attempt\n'), attempt: 2 }]);
    await settle();
    expect(term.text).toBe('\x1b[31mbad\n\x1b[0m\x1b[2mnote\n\x1b[0m');
  });
});

describe('log writer: the byte range of each chunk', () => {
  it('is where logs.read finds the chunk, from the start and after a reopen', async () => {
    const store = new LogStore(tmp(), { capBytes: () => 1 << 20 });
    const w = store.openWriter('job', 1);
    const sent = [w.append('stdout', 'héllo\n'), w.append('stderr', 'ünïcode ✓\n'), w.append('stdout', 'last')];
    await w.close();
    const again = store.openWriter('job', 1);
    sent.push(again.append('stdout', ' more\n'));
    await again.close();
    let at = 0;
    for (const c of sent) {
      expect(c!.from).toBe(at);
      const page = await store.read('job', 1, c!.from, 1);
      expect(page.chunks.map((x) => x.data)).toEqual([c!.data]);
      expect(page.nextOffset).toBe(c!.to);
      at = c!.to;
    }
    expect((await store.read('job', 1, 0, 1 << 20)).size).toBe(at);
  });
});

describe('log batcher: byte ranges', () => {
  it('merges only chunks adjacent in the file, so a merged range is the records it stands for', async () => {
    const { LogBatcher } = await import('../../src/main/core/logs/batcher');
    const sent: LiveLogChunk[][] = [];
    const b = new LogBatcher((_id, chunks) => sent.push(chunks), 1_000_000);
    const c = (data: string, from: number): LiveLogChunk => ({ attempt: 1, stream: 'stdout', t: '', data, from, to: from + 10 });
    b.push('j', c('a', 0));
    b.push('j', c('b', 10));
    b.push('j', c('d', 30)); // a record between them was not sent (a subscriber came in between)
    b.close();
    expect(sent).toEqual([[{ ...c('ab', 0), to: 20 }, c('d', 30)]]);
  });
});
