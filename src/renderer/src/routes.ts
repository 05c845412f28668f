/** The views of the app; `job` is one job's page (#/jobs/<id>). */
export type View = 'queue' | 'history' | 'job' | 'templates' | 'engines' | 'dashboard' | 'settings';

export const VIEWS: { view: View; label: string; key: string }[] = [
  { view: 'queue', label: 'Queue', key: 'q' },
  { view: 'history', label: 'History', key: 'h' },
  { view: 'templates', label: 'Templates', key: 't' },
  { view: 'engines', label: 'Engines', key: 'e' },
  { view: 'dashboard', label: 'Dashboard', key: 'd' },
  { view: 'settings', label: 'Settings', key: 's' },
];

/** `#/history`, `#/jobs/<id>`: a reload keeps the place (the token stays in the query string). */
export function routeFromHash(hash: string): { view: View; jobId?: string; query?: string } {
  const job = /^#\/jobs\/(.+)$/.exec(hash);
  if (job?.[1]) return { view: 'job', jobId: decodeURIComponent(job[1]) };
  // A view's address may carry its state after `?` (History's filters: #/history?status=failed).
  const [name = '', query] = hash.replace(/^#\//, '').split(/\?(.*)/s, 2);
  const found = VIEWS.find((v) => v.view === name);
  if (!found) return { view: 'queue' };
  return query ? { view: found.view, query } : { view: found.view };
}

/** History's address with its filters (a query from views/history/historyFilter.ts toQuery). */
export function historyHash(query: string): string {
  return query ? `#/history?${query}` : '#/history';
}

/** The query of the address now, when it is History's ('' for none). */
export function currentHistoryQuery(hash: string): string {
  const r = routeFromHash(hash);
  return r.view === 'history' ? (r.query ?? '') : '';
}

/** The address of a view: what go() puts in the hash and routeFromHash reads back. */
export function hashFor(view: View, jobId?: string): string {
  return view === 'job' && jobId ? `#/jobs/${encodeURIComponent(jobId)}` : `#/${view}`;
}
