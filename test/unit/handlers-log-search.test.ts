// Search and pages over a whole log file in the host (issue 11, item 7): the line rule the pane
// shares, a search with a count, pages by line number; and the two commands on the fake core.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineSplitter, plainText, type LogLine } from '../../src/shared/logLines';
import { scanLines, searchLog } from '../../src/main/core/logs/logSearch';
import { readLines } from '../support/logOracle';
import { desktopSaveDialog } from '../../src/main/desktop/saveDialog';
import { describeCommand, useFakeCore, type FakeCore } from '../support/fakeCore';

const rec = (s: 'o' | 'e' | 'x', d: string, t = '2026-01-01T00:00:00.000Z') => `${JSON.stringify({ t, s, d })}\n`;
function logFile(records: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'jd-search-')), '1.jsonl');
  writeFileSync(file, records.join(''));
  return file;
}
const all = { regex: false, caseSensitive: false, limit: 1000 };

describe('LineSplitter', () => {
  it('numbers lines across chunks; a line keeps the stream and time of its first piece', () => {
    const s = new LineSplitter();
    const out: LogLine[] = [];
    s.push('stdout', 't1', 'one\ntw', (l) => out.push(l));
    s.push('stderr', 't2', 'o\nthree\n\nfour', (l) => out.push(l));
    expect(out).toEqual([
      { n: 1, stream: 'stdout', t: 't1', text: 'one' },
      { n: 2, stream: 'stdout', t: 't1', text: 'two' },
      { n: 3, stream: 'stderr', t: 't2', text: 'three' },
      { n: 4, stream: 'stderr', t: 't2', text: '' },
    ]);
    expect(s.count).toBe(5);
    s.end((l) => out.push(l));
    expect(out.at(-1)).toEqual({ n: 5, stream: 'stderr', t: 't2', text: 'four' });
  });

  it('reads colour codes and a final carriage return as nothing', () => {
    expect(plainText('\x1b[1;31mred\x1b[0m text\r')).toBe('red text');
  });
});

describe('searchLog', () => {
  const lines = Array.from({ length: 30_000 }, (_, i) => rec(i % 3 === 2 ? 'e' : 'o', `line ${i + 1}\n`));
  const file = logFile(lines);

  it('finds one line among 30,000 by its text, with its number and the whole count', async () => {
    const r = await searchLog(file, { ...all, query: 'line 12345' });
    expect(r).toEqual({ matches: [{ n: 12345, stream: 'stderr', start: 0, end: 10, text: 'line 12345' }], total: 1, lines: 30_000 });
  });

  it('caps the matches it sends but counts them all', async () => {
    const r = await searchLog(file, { ...all, query: 'line 1', limit: 5 });
    expect(r.matches.map((m) => m.n)).toEqual([1, 10, 11, 12, 13]);
    expect(r.total).toBe(1 + 10 + 100 + 1000 + 10_000);
  });

  it('by regex, case-sensitive or not, over one stream, and says plainly when a regex is bad', async () => {
    expect((await searchLog(file, { ...all, query: '^LINE 2999[0-9]$', regex: true })).total).toBe(10);
    expect((await searchLog(file, { ...all, query: 'LINE 1', caseSensitive: true })).total).toBe(0);
    const err = await searchLog(file, { ...all, query: 'line 1234', streams: ['stderr'] });
    expect(err.matches.map((m) => m.n)).toEqual([12342, 12345, 12348]);
    await expect(searchLog(file, { ...all, query: '(', regex: true })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/^not a valid regular expression/) });
  });

  it('matches the plain text of coloured output, and cuts a long line around the match', async () => {
    const long = `${'x'.repeat(5000)}needle${'y'.repeat(5000)}`;
    const f = logFile([rec('o', '\x1b[31mERROR\x1b[0m: disk\n'), rec('o', `${long}\n`)]);
    expect((await searchLog(f, { ...all, query: 'error: disk' })).matches[0]).toMatchObject({ n: 1, text: 'ERROR: disk', start: 0, end: 11 });
    const m = (await searchLog(f, { ...all, query: 'needle' })).matches[0]!;
    expect(m.text.length).toBe(300);
    expect(m.text.slice(m.start, m.end)).toBe('needle');
  });

  it('an attempt without a log file is an empty log; a torn last record is skipped', async () => {
    expect(await scanLines('/nonexistent/1.jsonl', () => undefined)).toBe(0);
    const f = logFile([rec('o', 'a\n'), '{"t":"x","s":"o","d":"b']);
    expect((await readLines(f, { from: 1, count: 10 })).lines.map((l) => l.text)).toEqual(['a']);
  });
});

describe('readLines', () => {
  const file = logFile(Array.from({ length: 100 }, (_, i) => rec(i % 2 ? 'e' : 'o', `l${i + 1}\n`)));
  it('a page from a line on, with the count of the whole log', async () => {
    const page = await readLines(file, { from: 41, count: 3 });
    expect(page).toMatchObject({ total: 100, lines: [{ n: 41, text: 'l41' }, { n: 42, text: 'l42' }, { n: 43, text: 'l43' }] });
    const err = await readLines(file, { from: 1, count: 2, streams: ['stderr'] });
    expect(err.lines.map((l) => [l.n, l.stream])).toEqual([[2, 'stderr'], [4, 'stderr']]);
  });
});

const core = useFakeCore();
async function jobWithLog(h: FakeCore, name: string, text: string[]) {
  const job = await h.call('jobs.create', { spec: { name, image: 'busybox:1.36', command: 'echo hi' } });
  await h.until('the attempt to start', () => h.engines.runs(job.id).length > 0);
  const run = h.engines.runs(job.id).at(-1)!;
  for (const [i, t] of text.entries()) run.sink.log(i % 2 ? 'stderr' : 'stdout', t, new Date(h.clock.now()).toISOString());
  await h.finish(job.id, { reason: 'Completed', exitCode: 0 });
  return job;
}

describeCommand('logs.search', () => {
  it('searches the newest attempt, or the one named, and refuses an attempt the job does not have', async () => {
    const h = core();
    const job = await jobWithLog(h, 'lsr-one', ['alpha\n', 'beta\n', 'alphabet\n']);
    const r = await h.call('logs.search', { id: job.id, query: 'alpha' });
    expect(r.total).toBe(2);
    expect(r.matches.map((m) => m.text)).toEqual(['alpha', 'alphabet']);
    expect((await h.call('logs.search', { id: job.id, attempt: 1, query: 'beta', streams: ['stderr'] })).matches[0]).toMatchObject({ stream: 'stderr', text: 'beta' });
    expect(await h.fail('logs.search', { id: job.id, attempt: 2, query: 'x' })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await h.fail('logs.search', { id: job.id, query: '' })).toMatchObject({ code: 'VALIDATION' });
    expect(await h.fail('logs.search', { id: job.id, query: '[', regex: true })).toMatchObject({ code: 'VALIDATION' });
  });
});

describeCommand('logs.lines', () => {
  it('answers numbered lines from a line on, and the total', async () => {
    const h = core();
    const job = await jobWithLog(h, 'lli-one', ['a\nb\n', 'c\n', 'd\n']);
    const page = await h.call('logs.lines', { id: job.id, from: 2, count: 2 });
    expect(page.lines.map((l) => [l.n, l.stream, l.text])).toEqual([[2, 'stdout', 'b'], [3, 'stderr', 'c']]);
    expect(page.total).toBeGreaterThanOrEqual(4);
    expect(page.hasMore).toBe(true);
  });

  it('says hasMore only while lines of the chosen streams follow the page; each line has its time', async () => {
    const h = core();
    const job = await jobWithLog(h, 'lli-more', ['a\nb\n', 'c\n', 'd\n']);
    const rest = await h.call('logs.lines', { id: job.id, from: 3, count: 5 });
    expect(rest.hasMore).toBe(false);
    expect(rest.lines.every((l) => !Number.isNaN(Date.parse(l.t)))).toBe(true);
    const stderr = await h.call('logs.lines', { id: job.id, streams: ['stderr'], count: 1 });
    expect(stderr.lines.map((l) => [l.n, l.text])).toEqual([[3, 'c']]);
    expect(stderr.hasMore).toBe(false);
  });
});

let saveTo: string | undefined;
const asked: string[] = [];
const desktop = useFakeCore({ saveDialog: { choose: async (name) => (asked.push(name), saveTo) } });

describeCommand('logs.save', () => {
  it('in the desktop app writes the whole log where the user chose, under the job\'s name by default', async () => {
    const h = desktop();
    const job = await jobWithLog(h, 'Save Me', ['one\n', 'two\n', 'three\n']);
    saveTo = join(mkdtempSync(join(tmpdir(), 'jd-save-')), 'chosen.log');
    asked.length = 0;
    expect(await h.call('logs.save', { id: job.id })).toEqual({ saved: true, path: saveTo });
    expect(asked).toEqual([`save-me-${job.id.replace(/-/g, '').slice(0, 8)}-1.log`]);
    expect(readFileSync(saveTo, 'utf8')).toBe('one\ntwo\nthree\n');
    await h.call('logs.save', { id: job.id, format: 'json', streams: ['stderr'] });
    expect(readFileSync(saveTo, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual([{ n: 2, stream: 'stderr', t: expect.any(String), text: 'two' }]);
    saveTo = undefined;
    expect(await h.call('logs.save', { id: job.id })).toEqual({ saved: false });
  });

  it('without a desktop (the browser host) says the download comes from the host', async () => {
    const h = core();
    const job = await jobWithLog(h, 'lsv-web', ['x\n']);
    expect(await h.fail('logs.save', { id: job.id })).toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('desktopSaveDialog', () => {
  it('offers the Downloads folder and the job\'s file name; a cancel is no path', async () => {
    const seen: unknown[] = [];
    let answer = { canceled: false, filePath: '/home/u/Downloads/x.log' };
    const d = desktopSaveDialog(async (o) => (seen.push(o), answer), '/home/u/Downloads');
    expect(await d.choose('job-1.log')).toBe('/home/u/Downloads/x.log');
    expect(seen[0]).toMatchObject({ defaultPath: '/home/u/Downloads/job-1.log', filters: [{ extensions: ['log', 'txt'] }, { extensions: ['*'] }] });
    answer = { canceled: true, filePath: '' };
    expect(await d.choose('job-1.log.jsonl')).toBeUndefined();
    expect(seen[1]).toMatchObject({ filters: [{ extensions: ['jsonl'] }, { extensions: ['*'] }] });
  });
});
