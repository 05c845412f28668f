import { describe, expect, it } from 'vitest';
import { addEnd, EMPTY_LIST, LIST_CAP, markAllRead } from '../../src/renderer/src/notify/endList';
import { JobEndLedger, noticeForJob } from '../../src/shared/jobEnds';

const end = (id: string, status: 'completed' | 'failed' | 'cancelled', extra: Record<string, unknown> = {}) => ({
  id,
  status,
  templateName: `tpl-${id}`,
  finishedAt: '2026-12-01T10:00:00.000Z',
  ...(status === 'failed' ? { exitCode: 3, reason: 'Error' as const } : status === 'cancelled' ? { reason: 'Cancelled' as const } : { exitCode: 0 }),
  ...extra,
});

describe('the bell\'s list of job ends', () => {
  it('puts each end first, worded as its notice, and counts the unread', () => {
    let list = addEnd(EMPTY_LIST, end('a', 'completed'));
    list = addEnd(list, end('b', 'failed'));
    list = addEnd(list, end('c', 'cancelled'));
    expect(list.unread).toBe(3);
    expect(list.items.map((i) => i.title)).toEqual(['tpl-c was cancelled', 'tpl-b failed', 'tpl-a succeeded']);
    expect(list.items[1]!.body).toMatch(/^exit code 3, Error: /);
  });

  it('opening it marks all read; a later end is unread again', () => {
    const read = markAllRead(addEnd(addEnd(EMPTY_LIST, end('a', 'completed')), end('b', 'failed')));
    expect(read.unread).toBe(0);
    expect(read.items.every((i) => i.read)).toBe(true);
    expect(addEnd(read, end('c', 'failed')).unread).toBe(1);
  });

  it('keeps only the latest ends', () => {
    let list = EMPTY_LIST;
    for (let i = 0; i < LIST_CAP + 5; i++) list = addEnd(list, end(`j${i}`, 'completed'));
    expect(list.items).toHaveLength(LIST_CAP);
    expect(list.items[0]!.jobId).toBe(`j${LIST_CAP + 4}`);
    expect(list.unread).toBe(LIST_CAP);
  });
});

describe('the shared notice rules both shells use', () => {
  it('notify per the settings: off, muted success, failures always', () => {
    const on = { notifications: { enabled: true, muteSuccess: false } };
    expect(noticeForJob(end('a', 'completed'), on)).toMatchObject({ title: 'tpl-a succeeded' });
    expect(noticeForJob(end('a', 'completed'), { notifications: { enabled: true, muteSuccess: true } })).toBeNull();
    expect(noticeForJob(end('b', 'failed'), { notifications: { enabled: true, muteSuccess: true } })).toMatchObject({ title: 'tpl-b failed' });
    expect(noticeForJob(end('b', 'failed'), { notifications: { enabled: false, muteSuccess: false } })).toBeNull();
    expect(noticeForJob(end('c', 'cancelled'), on)).toBeNull();
  });

  it('announce each end once, and none from before the window watched', () => {
    const ledger = new JobEndLedger({ since: Date.parse('2026-12-01T09:00:00.000Z') });
    expect(ledger.observe(end('a', 'completed'))).toBe(true);
    expect(ledger.observe(end('a', 'completed'))).toBe(false);
    expect(ledger.observe(end('old', 'completed', { finishedAt: '2026-12-01T08:00:00.000Z' }))).toBe(false);
  });
});
