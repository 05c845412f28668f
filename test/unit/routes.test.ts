// Every view has an address (issue 8, item 15): the hash a view gets and the view a hash means.
import { describe, expect, it } from 'vitest';
import { hashFor, routeFromHash, VIEWS } from '../../src/renderer/src/routes';

describe('view addresses', () => {
  it('round-trips every view and a job page', () => {
    for (const { view } of VIEWS) expect(routeFromHash(hashFor(view))).toEqual({ view });
    expect(hashFor('job', 'a b/c')).toBe('#/jobs/a%20b%2Fc');
    expect(routeFromHash(hashFor('job', 'a b/c'))).toEqual({ view: 'job', jobId: 'a b/c' });
  });

  it('falls back to the queue for an address it does not know', () => {
    expect(routeFromHash('')).toEqual({ view: 'queue' });
    expect(routeFromHash('#/nope')).toEqual({ view: 'queue' });
    expect(routeFromHash('#/jobs/')).toEqual({ view: 'queue' });
  });
});
