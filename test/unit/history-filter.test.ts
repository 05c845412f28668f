import { describe, expect, it } from 'vitest';
import { currentHistoryQuery, historyHash, routeFromHash } from '../../src/renderer/src/routes';
import { DEFAULT_FILTER, fromQuery, listFilter, parseExitCode, rangeProblem, selectionFilter, toQuery } from '../../src/renderer/src/views/history/historyFilter';

const now = Date.parse('2026-12-01T12:00:00Z');

describe('History filters', () => {
  it('round-trip through the address, only what differs from the defaults', () => {
    const f = { ...DEFAULT_FILTER, status: 'failed' as const, templateName: 'nightly & co', range: '7d' as const, exitCode: '137', origin: 'schedule' as const, sort: 'duration' as const };
    const q = toQuery(f);
    expect(q).toBe('status=failed&template=nightly+%26+co&range=7d&exit=137&origin=schedule&sort=duration');
    expect(fromQuery(q)).toEqual(f);
    expect(toQuery(DEFAULT_FILTER)).toBe('');
  });

  it('ignores values in an address it does not know', () => {
    expect(fromQuery('status=exploded&sort=nope&order=sideways&range=1y')).toEqual(DEFAULT_FILTER);
  });

  it('become the job filter the core reads: exit code, origin, a custom range, the sort', () => {
    const f = { ...DEFAULT_FILTER, exitCode: ' -1 ', origin: 'clone' as const, range: 'custom' as const, from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z', sort: 'exitCode' as const, order: 'asc' as const };
    expect(listFilter(f, now)).toEqual({ exitCode: -1, origin: ['clone'], from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z', sort: 'exitCode', order: 'asc' });
    expect(selectionFilter({ ...DEFAULT_FILTER, range: '1h' }, now)).toEqual({ from: '2026-12-01T11:00:00.000Z' });
  });

  it('say what is wrong with an exit code or a range in the user\'s words', () => {
    expect(parseExitCode('abc')).toEqual({ bad: true });
    expect(parseExitCode('1.5')).toEqual({ bad: true });
    expect(parseExitCode('')).toEqual({ bad: false });
    expect(parseExitCode('0')).toEqual({ code: 0, bad: false });
    expect(rangeProblem({ range: 'custom', from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' })).toBe('The range ends before it starts');
    expect(rangeProblem({ range: 'custom', from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' })).toBeUndefined();
  });
});

describe('History address', () => {
  it('carries the filters after ?, and Back lands on the same query', () => {
    expect(historyHash('status=failed')).toBe('#/history?status=failed');
    expect(historyHash('')).toBe('#/history');
    expect(routeFromHash('#/history?status=failed&template=a')).toEqual({ view: 'history', query: 'status=failed&template=a' });
    expect(currentHistoryQuery('#/history?status=failed')).toBe('status=failed');
    expect(currentHistoryQuery('#/queue')).toBe('');
    expect(routeFromHash('#/nope?x=1')).toEqual({ view: 'queue' });
  });
});
