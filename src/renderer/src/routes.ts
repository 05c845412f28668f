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
export function routeFromHash(hash: string): { view: View; jobId?: string } {
  const job = /^#\/jobs\/(.+)$/.exec(hash);
  if (job?.[1]) return { view: 'job', jobId: decodeURIComponent(job[1]) };
  const name = hash.replace(/^#\//, '');
  const found = VIEWS.find((v) => v.view === name);
  return { view: found ? found.view : 'queue' };
}

/** The address of a view: what go() puts in the hash and routeFromHash reads back. */
export function hashFor(view: View, jobId?: string): string {
  return view === 'job' && jobId ? `#/jobs/${encodeURIComponent(jobId)}` : `#/${view}`;
}
